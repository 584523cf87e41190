import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RosterQueryResult, RosterSyncState } from '../../shared/contract/index.ts';
import type { ConsoleCore } from '../../electron/core/compose.ts';
import { CONSOLE_DATA_KEY_ENV } from '../../electron/core/crypto/env-key-wrapper.ts';
import type { CallContext } from '../../electron/core/ipc/dispatcher.ts';
import { createMemoryLogger } from '../../electron/core/log/logger.ts';
import { storeFolderFor } from '../../electron/core/roster/store-folder.ts';
import { composeBrowserCore } from '../../electron/host/compose-browser-core.ts';
import { startSandbox, type Sandbox } from '../../electron/sandbox/index.ts';

/**
 * Saving a platform in Settings replaces the demo without a restart, and the demo's rows never
 * show under the real platform's name: each source has its own roster and cache.
 */

const DEMO_USERS = 300;
const PLATFORM_USERS = 450;
const context: CallContext = { transport: 'test', operator: { id: 't', role: 'director' } };
let core: ConsoleCore;
let platform: Sandbox;
let dir: string;

async function call<T>(method: string, input: unknown): Promise<T> {
  const reply = await core.dispatch(method, input, context);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.code} ${reply.error.message}`);
  return reply.value as T;
}

async function settledAt(rows: number): Promise<RosterSyncState> {
  for (let i = 0; i < 400; i += 1) {
    const reply = await core.dispatch('roster.status', {}, context);
    // While the workspace is being replaced the roster answers a retryable `unavailable`: ask again.
    if (!reply.ok && reply.error.code === 'unavailable') {
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    if (!reply.ok) throw new Error(`roster.status: ${reply.error.code} ${reply.error.message}`);
    const state = reply.value as RosterSyncState;
    if (state.lastFullSyncAt !== null && state.running === null && state.rowCount === rows) return state;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the roster did not settle at ${rows} rows`);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'roster-switch-'));
  platform = await startSandbox({ users: PLATFORM_USERS, seed: 'another-university', identity: false });
  core = await composeBrowserCore({
    dataDir: dir,
    logger: createMemoryLogger(),
    demoUsers: DEMO_USERS,
    env: { [CONSOLE_DATA_KEY_ENV]: randomBytes(32).toString('base64') },
  });
  await settledAt(DEMO_USERS);
}, 60_000);

afterAll(async () => {
  await core?.dispose();
  await platform?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('switching from the demo to a configured platform', () => {
  it('replaces the roster with the platform’s own, in its own cache folder, without a restart', async () => {
    const demoRows = await call<RosterQueryResult>('roster.query', {
      filter: {},
      sort: { field: 'userId', direction: 'asc' },
      offset: 0,
      limit: 5,
      now: new Date().toISOString(),
    });
    const demoIds = new Set(demoRows.rows.map((row) => row.userId));

    await call('settings.setPlatformKey', { platformUrl: platform.platformUrl, apiKey: platform.apiKey });
    const state = await settledAt(PLATFORM_USERS);
    expect(state.rowCount).toBe(PLATFORM_USERS);

    const info = await call<{ dataSource: { kind: string } }>('app.info', {});
    expect(info.dataSource.kind).toBe('platform');
    const all = await call<RosterQueryResult>('roster.query', {
      filter: {},
      sort: { field: 'userId', direction: 'asc' },
      offset: 0,
      limit: 1000,
      now: new Date().toISOString(),
    });
    expect(all.total).toBe(PLATFORM_USERS);
    // The two universities are generated from different seeds: none of the demo's users remain.
    expect(all.rows.some((row) => demoIds.has(row.userId))).toBe(false);
    expect(existsSync(join(dir, storeFolderFor(platform.platformUrl), 'console.db'))).toBe(true);
    expect(existsSync(join(dir, 'demo-store', 'console.db'))).toBe(true);
  }, 60_000);
});
