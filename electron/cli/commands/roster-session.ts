import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvKeyWrapper } from '../../core/crypto/env-key-wrapper.ts';
import { EphemeralKeyWrapper } from '../../core/crypto/ephemeral-key-wrapper.ts';
import { createLogger, stderrSink } from '../../core/log/logger.ts';
import { storeFolderFor } from '../../core/roster/store-folder.ts';
import { RosterSyncService } from '../../core/roster/sync/roster-sync-service.ts';
import type { PlatformConnection } from '../../core/roster/sync/sync-protocol.ts';
import { EncryptedStore } from '../../core/store/encrypted-store.ts';
import { DEMO_USERS } from '../../sandbox/demo.ts';
import type { CommandContext } from '../command.ts';
import { dataFolderError } from '../file-errors.ts';
import { secretFromEnv } from '../globals.ts';

export interface RosterSession {
  sync: RosterSyncService;
  demo: boolean;
  close(): Promise<void>;
}

/**
 * What every `roster …` command runs on: the platform (--platform-url, key from
 * --platform-key-env) or an in-process demo sandbox, and the roster cache. With --data-dir and
 * CONSOLE_DATA_KEY the cache is the sealed store in that folder (so `roster sync` then `roster
 * export` refreshes incrementally); without them it lives in memory for this command only.
 */
export async function openRosterSession(context: CommandContext): Promise<RosterSession> {
  const { globals } = context;
  const cleanups: Array<() => Promise<void> | void> = [];
  let connection: PlatformConnection;
  let demo = false;
  if (globals.platformUrl !== undefined) {
    connection = {
      baseUrl: globals.platformUrl,
      apiKey: secretFromEnv('platform-key-env', globals.platformKeyEnv, context.env),
    };
  } else {
    context.out.log(
      'Demo mode: no --platform-url given, so this runs against an in-process sandbox with made-up users.',
    );
    const { startSandbox } = await import('../../sandbox/index.ts');
    const sandbox = await startSandbox({ users: DEMO_USERS, identity: false });
    cleanups.push(() => sandbox.close());
    connection = { baseUrl: sandbox.platformUrl, apiKey: sandbox.apiKey };
    demo = true;
  }
  const keyWrapper = new EnvKeyWrapper(context.env);
  let store: EncryptedStore | null = null;
  if (globals.dataDir !== undefined && (keyWrapper.check().available || !demo)) {
    try {
      store = EncryptedStore.open({
        dataFolder: join(globals.dataDir, demo ? 'demo-store' : storeFolderFor(connection.baseUrl)),
        keyWrapper,
      });
    } catch (error) {
      for (const cleanup of cleanups.reverse()) await cleanup();
      throw dataFolderError(globals.dataDir, error);
    }
    cleanups.push(() => store?.close());
    const status = store.status();
    if (status.state !== 'ready')
      context.out.log(`Local roster cache: ${status.state}. ${status.explanation}`);
  } else if (demo) {
    // Synthetic demo data only: sealed under a key that dies with this process, in a throw-away folder.
    const folder = mkdtempSync(join(tmpdir(), 'console-cli-demo-'));
    store = EncryptedStore.open({ dataFolder: folder, keyWrapper: new EphemeralKeyWrapper() });
    cleanups.push(() => {
      store?.close();
      rmSync(folder, { recursive: true, force: true });
    });
  }
  const logger = createLogger({ sink: stderrSink, level: 'warn', bindings: { process: 'cli' } });
  const sync = new RosterSyncService({
    logger,
    events: null,
    store,
    platform: async () => connection,
    intervalMs: 0,
  });
  return {
    sync,
    demo,
    async close() {
      await sync.dispose();
      for (const cleanup of cleanups.reverse()) await cleanup();
    },
  };
}

/** Loads the cache and brings it up to date (incremental when the cache allows); a failure is exit code 1. */
export async function syncedSession(context: CommandContext): Promise<RosterSession> {
  const session = await openRosterSession(context);
  try {
    await session.sync.start();
  } catch (error) {
    await session.close();
    throw error;
  }
  return session;
}
