import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppInfo, RosterSyncState } from '../../shared/contract/index.ts';
import type { ConsoleCore } from '../../electron/core/compose.ts';
import { CONSOLE_DATA_KEY_ENV } from '../../electron/core/crypto/env-key-wrapper.ts';
import type { CallContext, Operator } from '../../electron/core/ipc/dispatcher.ts';
import { createMemoryLogger } from '../../electron/core/log/logger.ts';
import { composeBrowserCore } from '../../electron/host/compose-browser-core.ts';
import { startSandbox, type Sandbox } from '../../electron/sandbox/index.ts';

/**
 * A configured platform whose saved key cannot be used is said to be unavailable, with the reason; the
 * console never quietly runs on the demo instead (issue 10: store and settings recovery, roles and sign-in).
 */

const director: Operator = { id: 'director', role: 'director' };
const signedOut: Operator = { id: 'signed-out', role: 'viewer' };
let platform: Sandbox;
const dirs: string[] = [];

beforeAll(async () => {
  platform = await startSandbox({ users: 120, seed: 'unavailable', identity: false });
});
afterAll(async () => {
  await platform.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function open(dir: string, dataKey: string): Promise<ConsoleCore> {
  return composeBrowserCore({
    dataDir: dir,
    logger: createMemoryLogger(),
    demoUsers: 100,
    env: { [CONSOLE_DATA_KEY_ENV]: dataKey },
  });
}

async function call<T>(core: ConsoleCore, method: string, input: unknown, operator = director): Promise<T> {
  const context: CallContext = { transport: 'test', operator };
  const reply = await core.dispatch(method, input, context);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.code} ${reply.error.message}`);
  return reply.value as T;
}

async function dataSourceWhen(core: ConsoleCore, done: (info: AppInfo) => boolean): Promise<AppInfo> {
  for (let i = 0; i < 200; i += 1) {
    const info = await call<AppInfo>(core, 'app.info', {});
    if (done(info)) return info;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the data source did not get there');
}

describe('a configured platform that cannot be used', () => {
  it('after a restart with another data key: says so and why, and does not switch to the demo', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unavailable-'));
    dirs.push(dir);
    const first = await open(dir, randomBytes(32).toString('base64'));
    await call(first, 'settings.setPlatformKey', {
      platformUrl: platform.platformUrl,
      apiKey: platform.apiKey,
    });
    await dataSourceWhen(
      first,
      (info) => info.dataSource.kind === 'platform' && info.dataSource.state === 'ready',
    );
    await first.dispose();

    const second = await open(dir, randomBytes(32).toString('base64'));
    try {
      const info = await dataSourceWhen(second, (i) => i.dataSource.state === 'error');
      expect(info.dataSource).toMatchObject({ kind: 'platform', state: 'error' });
      expect(info.dataSource.detail).toMatch(/configured but its saved API key cannot be opened/);
      const roster = await call<RosterSyncState>(second, 'roster.status', {});
      expect(JSON.stringify(roster)).not.toMatch(/[Dd]emo/);
      // Signed out, the configured platform's rules apply, not the demo's.
      const refused = await second.dispatch(
        'roster.export',
        { filter: {}, sort: { field: 'userId', direction: 'asc' } },
        { transport: 'test', operator: signedOut },
      );
      expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    } finally {
      await second.dispose();
    }
  });

  it('after someone who is not a director points sign-in at another registration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unavailable-'));
    dirs.push(dir);
    const core = await open(dir, randomBytes(32).toString('base64'));
    try {
      const tenant = randomUUID();
      await call(core, 'settings.setSignIn', { authority: tenant, clientId: randomUUID() }, signedOut);
      await call(core, 'settings.setPlatformKey', {
        platformUrl: platform.platformUrl,
        apiKey: platform.apiKey,
      });
      await dataSourceWhen(core, (info) => info.dataSource.state === 'ready');

      // Signed out, anyone may still change sign-in (first-run rule), but the saved key stops working.
      await call(core, 'settings.setSignIn', { authority: randomUUID(), clientId: randomUUID() }, signedOut);
      const info = await dataSourceWhen(core, (i) => i.dataSource.state === 'error');
      expect(info.dataSource.kind).toBe('platform');
      expect(info.dataSource.detail).toMatch(/another sign-in registration/);
    } finally {
      await core.dispose();
    }
  });
});
