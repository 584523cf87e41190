import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleError, type MethodName } from '../../../shared/contract/index.ts';
import type { DataSourceService } from '../data-source/data-source-service.ts';
import { EphemeralKeyWrapper } from '../crypto/ephemeral-key-wrapper.ts';
import type { KeyWrapper } from '../crypto/key-wrapper.ts';
import type { Handlers } from '../ipc/dispatcher.ts';
import type { JournalDatabase } from '../journal/journal-database.ts';
import { migrateSavedViews } from '../journal/open-journal.ts';
import type { EventBus } from '../ipc/event-bus.ts';
import type { Logger } from '../log/logger.ts';
import { PlatformError } from '../platform/errors.ts';
import { MigrationProgressService } from '../progress/migration-progress-service.ts';
import { EncryptedStore } from '../store/encrypted-store.ts';
import { rosterCsv } from './export/roster-csv.ts';
import { storeFolderFor } from './store-folder.ts';
import { RosterSyncService } from './sync/roster-sync-service.ts';
import { SavedViewsService } from './views/saved-views-service.ts';

export interface RosterFeatureOptions {
  logger: Logger;
  events: EventBus;
  dataSource: DataSourceService;
  /** The host's data folder; null keeps everything in memory. */
  dataDir: string | null;
  /** The host's key holder (Electron: safeStorage; browser host and CLI: CONSOLE_DATA_KEY); null if it has none. */
  keyWrapper: KeyWrapper | null;
  /** True when the console runs on the embedded demo sandbox, not a configured platform. */
  demo: boolean;
  /** The configured platform's base URL (null in demo mode): each platform gets its own cache folder. */
  platformUrl?: string | null;
  /** The data source's durable journal: saved views live there (moved from the cache once). */
  journal?: JournalDatabase | null;
  workerUrl?: URL;
  syncIntervalMs?: number;
  now?: () => Date;
}

export type RosterMethod = Extract<MethodName, `roster.${string}` | `views.${string}` | 'dashboard.summary'>;

export interface RosterFeature {
  handlers: Pick<Handlers, RosterMethod>;
  sync: RosterSyncService;
  progress: MigrationProgressService;
  views: SavedViewsService;
  store: EncryptedStore | null;
  /** Loads the cache and starts syncing (in the background; resolves after the first sync). */
  start(): Promise<void>;
  /**
   * Settings → Clear cache: drops the cached roster rows (their sealed personal fields included)
   * and the sync watermarks, on disk and in memory, then starts a full sync. Saved views and the
   * dashboard's daily counts stay: they are the operator's own or hold no personal data.
   */
  clearCache(): Promise<void>;
  dispose(): Promise<void>;
}

const DEMO_EPHEMERAL_NOTE =
  'Demo mode without a data key: the demo university (synthetic data) is sealed with a key held in memory for this session only and is discarded when the console stops.';

const DEMO_PERSISTED_NOTE =
  'Demo mode: the demo university (synthetic data) is kept in the data folder under demo-store, apart from any real platform’s roster, and shown again at the next start; Clear cache removes it.';

/** Chooses where roster data lives and what protects it (ADR 0002). */
function openStore(options: RosterFeatureOptions): {
  store: EncryptedStore | null;
  note: string | null;
  cleanup: () => void;
} {
  const { dataDir, keyWrapper, demo } = options;
  const now = options.now ?? (() => new Date());
  const usable = keyWrapper !== null && keyWrapper.check().available;
  if (demo && !usable) {
    // Synthetic data only: a throw-away folder and key, so nothing of it outlives the session.
    const folder = mkdtempSync(join(tmpdir(), 'console-demo-store-'));
    const store = EncryptedStore.open({ dataFolder: folder, keyWrapper: new EphemeralKeyWrapper(), now });
    return {
      store,
      note: DEMO_EPHEMERAL_NOTE,
      cleanup: () => {
        store.close();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  }
  if (dataDir === null || keyWrapper === null) return { store: null, note: null, cleanup: () => {} };
  // Demo and real rosters never share a cache, nor do two platforms. A refusing wrapper opens the store memory-only.
  const store = EncryptedStore.open({
    dataFolder: join(dataDir, demo ? 'demo-store' : storeFolderFor(options.platformUrl ?? null)),
    keyWrapper,
    now,
  });
  return { store, note: demo ? DEMO_PERSISTED_NOTE : null, cleanup: () => store.close() };
}

/** The migration-progress feature: roster cache and sync, saved views, export, dashboard. */
export function createRosterFeature(options: RosterFeatureOptions): RosterFeature {
  const { logger, dataSource } = options;
  const { store, note, cleanup } = openStore(options);
  const progress = new MigrationProgressService({
    logger: logger.child({ component: 'progress' }),
    store,
    platform: () => dataSource.platform(),
    migration: () => dataSource.migration(),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const sync = new RosterSyncService({
    logger: logger.child({ component: 'roster-sync' }),
    events: options.events,
    store,
    storeNote: note,
    platform: () => dataSource.platformConnection(),
    expectedTotal: async () => (await dataSource.migration()).counts.total,
    afterSync: (engine) => progress.afterSync(engine),
    ...(options.workerUrl === undefined ? {} : { workerUrl: options.workerUrl }),
    ...(options.syncIntervalMs === undefined ? {} : { intervalMs: options.syncIntervalMs }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const journal = options.journal ?? null;
  if (journal !== null) {
    try {
      const moved = migrateSavedViews(
        journal,
        store !== null && ['ready', 'memory-only'].includes(store.status().state) ? store.savedViews : null,
      );
      if (moved > 0) logger.info('saved views moved to the journal', { moved });
    } catch (error) {
      logger.warn('saved views could not be moved to the journal', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  const views = new SavedViewsService({
    store,
    journal,
    logger: logger.child({ component: 'views' }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });

  const handlers: Pick<Handlers, RosterMethod> = {
    'roster.status': () => sync.state(),
    'roster.sync': ({ mode }) => sync.requestSync(mode),
    'roster.query': (query) => sync.engine.query(query),
    'roster.get': async ({ userId }) => {
      try {
        const client = await dataSource.platform();
        return { connection: await client.getConnection(userId), fromCache: false };
      } catch (error) {
        if (error instanceof PlatformError && error.code === 'not_found') throw error.toConsoleError();
        const cached = sync.engine.get(userId);
        if (cached !== undefined) return { connection: cached, fromCache: true };
        if (error instanceof PlatformError) throw error.toConsoleError();
        throw error;
      }
    },
    'roster.export': ({ filter, sort }) => {
      const engine = sync.engine;
      const now = (options.now ?? (() => new Date()))();
      const result = engine.query({
        filter,
        sort,
        offset: 0,
        limit: Math.max(1, engine.size),
        now: now.toISOString(),
      });
      return {
        filename: `roster-${now.toISOString().slice(0, 10)}.csv`,
        rowCount: result.total,
        csv: rosterCsv(result.rows),
      };
    },
    'views.list': () => views.list(),
    'views.save': (input) => views.save(input),
    'views.delete': ({ id }) => ({ deleted: views.delete(id) }),
    'dashboard.summary': async () => {
      try {
        return await progress.summary();
      } catch (error) {
        if (error instanceof ConsoleError) throw error;
        if (error instanceof PlatformError) throw error.toConsoleError();
        throw error;
      }
    },
  };

  return {
    handlers,
    sync,
    progress,
    views,
    store,
    start: () => sync.start(),
    async clearCache() {
      await sync.clearCache(() => store?.clearRosterCache());
      sync.requestSync('full');
    },
    async dispose() {
      await sync.dispose();
      cleanup();
    },
  };
}
