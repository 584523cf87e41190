import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VerdictFacetValue } from '../../../shared/contract/roster-query.ts';
import type { UserVerification } from '../../../shared/contract/verify.ts';
import { EnvKeyWrapper } from '../crypto/env-key-wrapper.ts';
import { JournalDatabase } from '../journal/journal-database.ts';
import { emptyCounts } from './classify.ts';
import { VerificationResultStore } from './results.ts';
import { applyVerifyMigrations, VERIFY_MIGRATIONS } from './verify-migrations.ts';

const KEY = Buffer.alloc(32, 4).toString('base64');
const folders: string[] = [];
const journals: JournalDatabase[] = [];
afterEach(() => {
  for (const journal of journals.splice(0)) journal.close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function open(folder: string | null, keyed = true): JournalDatabase {
  const journal = JournalDatabase.open({
    folder,
    keyWrapper: keyed ? new EnvKeyWrapper({ CONSOLE_DATA_KEY: KEY }) : null,
  });
  journals.push(journal);
  return journal;
}

function temp(): string {
  const folder = mkdtempSync(join(tmpdir(), 'verify-results-'));
  folders.push(folder);
  return folder;
}

const result = (userId: string, over: Partial<UserVerification> = {}): UserVerification => ({
  userId,
  verdict: 'anomalies',
  counts: { ...emptyCounts(), ok: 1, mismatch: 1 },
  checkedAt: '2026-12-04T16:00:00.000Z',
  graphChecked: true,
  notChecked: [],
  platform: {
    status: 'migrated',
    syncedItemCount: 2,
    itemsRead: 2,
    lastSyncAt: null,
    lastSyncOutcome: null,
    lastErrorCode: null,
    failedRuns: { toCalendar: 0, fromCalendar: 0 },
  },
  items: [
    { userId, itemId: 'i1', externalEventId: 'AAMkA1', class: 'ok', detail: 'As stored.' },
    {
      userId,
      itemId: 'i2',
      externalEventId: 'AAMkA2',
      class: 'mismatch',
      detail: 'Title differs: "Advising with Zelda Quimby".',
    },
  ],
  error: null,
  durationMs: 12,
  ...over,
});

const bit = (v: VerdictFacetValue) => 1 << VerdictFacetValue.options.indexOf(v);

describe('latest verifications in the journal', () => {
  it('keeps the latest per user with its job, details sealed on disk, and survives a reopen', () => {
    const folder = temp();
    const journal = open(folder);
    const store = new VerificationResultStore(journal);
    store.record(result('u1'), 'job_a');
    store.record(result('u2', { verdict: 'ok', counts: { ...emptyCounts(), ok: 2 } }), 'job_a');
    store.record(result('u1', { checkedAt: '2026-12-05T09:00:00.000Z' }), null);
    journal.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    expect(readFileSync(join(folder, 'journal.db')).toString('latin1')).not.toContain('Zelda Quimby');
    journal.close();

    const again = new VerificationResultStore(open(folder));
    expect(again.get('u1')).toMatchObject({ jobId: null, checkedAt: '2026-12-05T09:00:00.000Z' });
    expect(again.get('u1')?.items[1]?.detail).toContain('Zelda Quimby');
    expect(again.summary('u2')).toMatchObject({ verdict: 'ok', jobId: 'job_a' });
    expect(again.get('nobody')).toBeNull();
    expect(again.list({ offset: 0, limit: 10 }).items.map((s) => s.userId)).toEqual(['u1', 'u2']);
    expect(again.list({ verdicts: ['ok'], offset: 0, limit: 10 })).toMatchObject({ total: 1 });
    expect(again.size).toBe(2);
  });

  it('hands out one labels map until the table changes, here or through another handle', () => {
    const folder = temp();
    const here = new VerificationResultStore(open(folder));
    const there = new VerificationResultStore(open(folder));
    here.record(result('u1'), 'job_a');
    const first = here.labels();
    expect(first.get('u1')).toBe(bit('mismatch'));
    expect(here.labels()).toBe(first);
    there.record(result('u2', { verdict: 'no_mailbox', counts: emptyCounts(), items: [] }), 'job_b');
    const second = here.labels();
    expect(second).not.toBe(first);
    expect(second.get('u2')).toBe(bit('unverified'));
  });

  it('without a key holder keeps verdict, counts and when, but no details', () => {
    const store = new VerificationResultStore(open(null, false));
    store.record(result('u1'), 'job_a');
    const read = store.get('u1');
    expect(read).toMatchObject({ verdict: 'anomalies', counts: { mismatch: 1 }, jobId: 'job_a', items: [] });
    expect(read?.notChecked.join(' ')).toMatch(/not kept/);
  });

  it('a corrupted row is a clear error naming the user; its migrations run once and refuse a newer schema', () => {
    const journal = open(null);
    const store = new VerificationResultStore(journal);
    store.record(result('u1'), null);
    journal.db.prepare("UPDATE verify_results SET counts = '{oops' WHERE user_id = 'u1'").run();
    expect(() => store.get('u1')).toThrow(/verification of u1 is corrupted/);
    expect(applyVerifyMigrations(journal.db)).toBe(VERIFY_MIGRATIONS.length);
    journal.db.prepare("INSERT INTO verify_schema_migrations VALUES (99, 'future', 'x')").run();
    expect(() => applyVerifyMigrations(journal.db)).toThrow(/newer than this console knows/);
  });
});
