import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  RosterQueryResult,
  RosterSyncState,
  Troubleshooting,
  UserVerification,
} from '../../shared/contract/index.ts';
import type { ConsoleCore } from '../../electron/core/compose.ts';
import type { CallContext } from '../../electron/core/ipc/dispatcher.ts';
import { createMemoryLogger } from '../../electron/core/log/logger.ts';
import { composeBrowserCore } from '../../electron/host/compose-browser-core.ts';
import { startSandbox, type Sandbox } from '../../electron/sandbox/index.ts';

/** verify.* and support.* through core.dispatch on a platform that goes away mid-session. */
const support: CallContext = { transport: 'test', operator: { id: 's', role: 'support' } };
let core: ConsoleCore;
let box: Sandbox;
let dir: string;

async function call<T>(method: string, input: unknown, context = support): Promise<T> {
  const reply = await core.dispatch(method, input, context);
  if (!reply.ok)
    throw Object.assign(new Error(`${method}: ${reply.error.message}`), { code: reply.error.code });
  return reply.value as T;
}

beforeAll(async () => {
  box = await startSandbox({
    users: 800,
    seed: 'troubleshoot-core',
    identity: false,
    rateLimit: { perSecond: 1000, burst: 1000 },
  });
  dir = mkdtempSync(join(tmpdir(), 'troubleshoot-core-'));
  core = await composeBrowserCore({
    dataDir: dir,
    logger: createMemoryLogger(),
    demo: false,
    platform: { baseUrl: box.platformUrl, apiKey: box.apiKey },
  });
  for (let i = 0; i < 300; i += 1) {
    const state = await call<RosterSyncState>('roster.status', {});
    if (state.lastFullSyncAt !== null && state.running === null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 60_000);

afterAll(async () => {
  await core.dispose();
  await box.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('troubleshooter through the core', () => {
  it('support verifies one user (platform-only without Graph access) and may not force-disconnect', async () => {
    const rows = await call<RosterQueryResult>('roster.query', {
      filter: { status: ['migrated'] },
      sort: { field: 'userId', direction: 'asc' },
      offset: 0,
      limit: 1,
      now: new Date().toISOString(),
    });
    const userId = rows.rows[0]!.userId;
    const v = await call<UserVerification>('verify.user', { userId });
    expect(['platform_only', 'no_items']).toContain(v.verdict);
    const t = await call<Troubleshooting>('support.troubleshoot', { userId });
    expect(t.fromCache).toBe(false);
    expect(t.latestVerification?.verdict).toBe(v.verdict);
    expect(t.syncLog.length).toBeGreaterThan(0);
    await expect(call('support.forceDisconnect', { userId, reason: 'test' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    // Found from anywhere: "Last, First" as the table shows names.
    const row = rows.rows[0]!;
    const found = await call<{ items: Array<{ userId: string }> }>('support.findUsers', {
      q: `${row.lastName}, ${row.preferredName ?? row.firstName}`,
      limit: 50,
    });
    expect(found.items.map((u) => u.userId)).toContain(userId);
  });

  it('diagnoses from the roster cache when the platform is gone, and says so', async () => {
    const rows = await call<RosterQueryResult>('roster.query', {
      filter: { status: ['legacy'] },
      sort: { field: 'userId', direction: 'asc' },
      offset: 0,
      limit: 1,
      now: new Date().toISOString(),
    });
    const userId = rows.rows[0]!.userId;
    await box.close();
    const t = await call<Troubleshooting>('support.troubleshoot', { userId });
    expect(t.fromCache).toBe(true);
    expect(t.diagnoses[0]?.code).toBe('legacy_connection');
    expect(t.syncLogError).toMatch(/could not be reached/);
  }, 60_000);
});
