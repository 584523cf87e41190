import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RosterSyncState, SavedView } from '../../shared/contract/index.ts';
import type { ConsoleCore } from '../../electron/core/compose.ts';
import { CONSOLE_DATA_KEY_ENV } from '../../electron/core/crypto/env-key-wrapper.ts';
import type { CallContext } from '../../electron/core/ipc/dispatcher.ts';
import { createMemoryLogger } from '../../electron/core/log/logger.ts';
import { composeBrowserCore } from '../../electron/host/compose-browser-core.ts';

/**
 * Settings → Clear cache drops the sealed roster from memory and disk and resets the watermarks;
 * the next sync is full and brings the rows back. Saved views stay.
 */

const USERS = 800;
const context: CallContext = { transport: 'test', operator: { id: 't', role: 'director' } };
let core: ConsoleCore;
let dir: string;
let databasePath: string;
const events: Array<{ name: string; rowCount: number }> = [];

async function call<T>(method: string, input: unknown): Promise<T> {
  const reply = await core.dispatch(method, input, context);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.code} ${reply.error.message}`);
  return reply.value as T;
}

async function settled(): Promise<RosterSyncState> {
  for (let i = 0; i < 300; i += 1) {
    const state = await call<RosterSyncState>('roster.status', {});
    if (state.lastFullSyncAt !== null && state.running === null) return state;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the roster did not finish a full sync');
}

/** The database file and its WAL, as bytes: where a sealed value could linger. */
function fileBytes(): Buffer {
  return Buffer.concat(
    [databasePath, `${databasePath}-wal`].filter((p) => existsSync(p)).map((p) => readFileSync(p)),
  );
}

function sealedValues(): Buffer[] {
  const db = new DatabaseSync(databasePath, { readOnly: true });
  try {
    // A full sync seals a page's personal fields as one chunk; single-row writes seal their own.
    const rows = db
      .prepare(
        `SELECT sealed FROM personal_chunks
         UNION ALL SELECT personal FROM roster WHERE personal IS NOT NULL LIMIT 25`,
      )
      .all() as Array<{ sealed: Uint8Array }>;
    // A chunk spans several database pages (not contiguous in the file): look for 32-byte samples.
    return rows.flatMap((row) => {
      const sealed = Buffer.from(row.sealed);
      const samples: Buffer[] = [];
      for (let at = 0; at + 32 <= sealed.length && samples.length < 40; at += 3_001)
        samples.push(sealed.subarray(at, at + 32));
      return samples;
    });
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'roster-clear-'));
  databasePath = join(dir, 'demo-store', 'console.db');
  core = await composeBrowserCore({
    dataDir: dir,
    logger: createMemoryLogger(),
    demoUsers: USERS,
    env: { [CONSOLE_DATA_KEY_ENV]: randomBytes(32).toString('base64') },
  });
  core.events.subscribe((name, payload) => {
    if (name === 'roster.changed')
      events.push({ name, rowCount: (payload as { rowCount: number }).rowCount });
  });
  await settled();
}, 60_000);

afterAll(async () => {
  await core.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('Settings → Clear cache (roster)', () => {
  it('drops the sealed rows and watermarks, keeps saved views, and a full sync brings the rows back', async () => {
    const before = await call<RosterSyncState>('roster.status', {});
    expect(before).toMatchObject({ storeState: 'ready', rowCount: USERS, lastError: null });
    // Demo data sealed under CONSOLE_DATA_KEY outlives the session; the operator is told so.
    expect(before.storeDetail).toMatch(/demo university \(synthetic data\) is kept in the data folder/);
    const view = await call<SavedView>('views.save', {
      name: 'Students left',
      filter: { role: ['student'] },
      sort: { field: 'lastName', direction: 'asc' },
    });
    const sealed = sealedValues();
    expect(sealed.length).toBeGreaterThan(0);
    const bytesBefore = fileBytes();
    // Nearly every sample lies within one page (one straddling a page boundary is not found whole).
    const found = sealed.filter((value) => bytesBefore.includes(value)).length;
    expect(found / sealed.length).toBeGreaterThan(0.8);

    events.length = 0;
    // Verification results live in the journal (the operator's record), so they are not a cache.
    expect(await call('settings.clearCache', {})).toEqual({ cleared: ['Roster cache'] });

    // At once: nothing in memory, no watermark, and the UI was told the roster is empty.
    const cleared = await call<RosterSyncState>('roster.status', {});
    expect(cleared.lastFullSyncAt).toBeNull();
    expect(cleared.lastIncrementalSyncAt).toBeNull();
    expect(cleared.rowCount === 0 || cleared.running?.mode === 'full').toBe(true);
    expect(events[0]).toEqual({ name: 'roster.changed', rowCount: 0 });

    // On disk: the sealed values are gone from the database file and its WAL.
    const bytesAfter = fileBytes();
    expect(sealed.filter((value) => bytesAfter.includes(value))).toEqual([]);

    // The full sync that follows fills the cache again.
    const after = await settled();
    expect(after).toMatchObject({ rowCount: USERS, lastError: null, offline: false });
    expect(after.lastFullSyncAt).not.toBe(before.lastFullSyncAt);
    const views = await call<SavedView[]>('views.list', {});
    expect(views.some((v) => v.id === view.id)).toBe(true);
    expect(sealedValues().length).toBeGreaterThan(0);
  });

  it('refuses a viewer', async () => {
    const reply = await core.dispatch(
      'settings.clearCache',
      {},
      { ...context, operator: { id: 'v', role: 'viewer' } },
    );
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await settled()).rowCount).toBe(USERS);
  });
});
