import { afterEach, describe, expect, it } from 'vitest';
import { EnvKeyWrapper } from '../crypto/env-key-wrapper.ts';
import { JournalDatabase } from '../journal/journal-database.ts';
import { AuditLog } from './audit-log.ts';

const journals: JournalDatabase[] = [];
afterEach(() => {
  for (const journal of journals.splice(0)) journal.close();
});

function setup(now: () => Date = () => new Date()) {
  const journal = JournalDatabase.open({
    folder: null,
    keyWrapper: new EnvKeyWrapper({ CONSOLE_DATA_KEY: Buffer.alloc(32, 3).toString('base64') }),
  });
  journals.push(journal);
  return { journal, audit: new AuditLog(journal, now) };
}

const entry = (i: number) => ({
  actor: 'oid-1',
  actorName: `alice@host-${i}`,
  transport: 'cli',
  action: 'force-disconnect.user',
  target: `u_${i}`,
  outcome: 'disconnected',
  detail: `job_1: Disconnected ${i}.`,
});

describe('audit log', () => {
  it('chains entries, seals personal fields and verifies', () => {
    const { journal, audit } = setup();
    for (let i = 0; i < 20; i++) audit.append(entry(i));
    expect(audit.verify()).toEqual({ ok: true, checked: 20, firstBad: null });
    const row = journal.db.prepare('SELECT actor_name, detail FROM audit_log WHERE seq = 3').get() as {
      actor_name: Uint8Array;
      detail: Uint8Array;
    };
    expect(Buffer.from(row.actor_name).toString('latin1')).not.toContain('alice');
    const { entries, total } = audit.list({ limit: 2 });
    expect(total).toBe(20);
    expect(entries.map((e) => e.seq)).toEqual([20, 19]);
    expect(entries[0]?.actorName).toBe('alice@host-19');
  });

  it('shows the first bad entry of a broken chain: an edited row, a deleted row', () => {
    const { journal, audit } = setup();
    for (let i = 0; i < 10; i++) audit.append(entry(i));
    journal.db.prepare("UPDATE audit_log SET outcome = 'skipped_reauthorized' WHERE seq = 4").run();
    journal.db.prepare("UPDATE audit_log SET outcome = 'ok' WHERE seq = 7").run();
    expect(audit.verify()).toMatchObject({ ok: false, checked: 3, firstBad: { seq: 4 } });
    expect(audit.verify().firstBad?.reason).toMatch(/changed after it was written/);
    const fresh = setup();
    for (let i = 0; i < 5; i++) fresh.audit.append(entry(i));
    fresh.journal.db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    expect(fresh.audit.verify()).toMatchObject({
      ok: false,
      firstBad: { seq: 3, reason: 'Entry 2 is missing (the next one is 3).' },
    });
  });

  it('a retention purge removes old entries and the chain still verifies from its new start', () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const { audit } = setup(() => now);
    for (let i = 0; i < 5; i++) audit.append(entry(i));
    now = new Date('2026-06-01T00:00:00Z');
    for (let i = 5; i < 8; i++) audit.append(entry(i));
    audit.setRetentionDays(90);
    expect(audit.purge()).toEqual({ purged: 5, before: '2026-03-03T00:00:00.000Z' });
    audit.append({ ...entry(99), action: 'audit.purged' });
    expect(audit.verify()).toEqual({ ok: true, checked: 4, firstBad: null });
    expect(audit.list().entries.map((e) => e.seq)).toEqual([9, 8, 7, 6]);
    expect(audit.exportCsv().csv.split('\r\n')[0]).toBe(
      'seq,at,actor,actorName,transport,action,target,outcome,detail,hash',
    );
  });
});
