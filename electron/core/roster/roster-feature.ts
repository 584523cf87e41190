import {
  ConsoleError,
  type MethodName,
  type RosterFilter,
  type RosterSort,
  type RosterSyncState,
  type VerdictLabels,
} from '../../../shared/contract/index.ts';
import type { Feature } from '../feature.ts';
import { AsyncEmitter, type AsyncEvent, type Event } from '../lifecycle/emitter.ts';
import type { Logger } from '../log/logger.ts';
import { PlatformError } from '../platform/errors.ts';
import type { StoreStatus } from '../store/store-status.ts';
import type { Workspace, WorkspacePart } from '../workspace/workspace.ts';
import type { WorkspaceHost, WorkspaceSlot } from '../workspace/workspace-host.ts';
import { basename } from 'node:path';
import { rosterCsv } from './export/roster-csv.ts';
import { writeRosterCsvFile, type ChooseSaveFile } from './export/roster-csv-file.ts';
import type { RosterQueryEngine } from './query/roster-query-engine.ts';
import { RosterSyncService } from './sync/roster-sync-service.ts';
import { SavedViewsService } from './views/saved-views-service.ts';
import { migrateSavedViews } from '../journal/open-journal.ts';
import type { EventBus } from '../ipc/event-bus.ts';

export interface RosterFeatureOptions {
  logger: Logger;
  /** The UI's events (`roster.syncState`, `roster.changed`); null where no UI listens (CLI). */
  events: EventBus | null;
  workspaces: WorkspaceHost;
  workerUrl?: URL;
  /** How often the roster refreshes in the background (ms; 0 = only on start and on demand); asked per workspace. */
  syncIntervalMs?: () => number;
  /** Fires when `syncIntervalMs` may answer differently (Settings changed): the running sync follows. */
  syncIntervalChanged?: Event<unknown>;
  now?: () => Date;
  /** The host's save dialog (Electron) for `roster.exportFile`; absent where exports download (browser host). */
  chooseSaveFile?: ChooseSaveFile | null;
  /**
   * The users' latest verifications (kept in the journal by the verify feature) for the `verdict`
   * filter and facet; null when they cannot be read (a `verdict` filter is then refused).
   */
  verdicts?: () => VerdictLabels | null;
}

export type RosterMethod = Extract<MethodName, `roster.${string}` | `views.${string}`>;

/** The roster's state for one workspace: its sync (cache and engine) and its saved views. */
export interface RosterPart extends WorkspacePart {
  readonly sync: RosterSyncService;
  readonly views: SavedViewsService;
  /** After every successful sync, awaited by the sync (the dashboard's snapshots hang off it). */
  readonly onDidSync: AsyncEvent<RosterQueryEngine>;
  /** Loads the cache and runs the first sync (once); resolves when that sync has ended. */
  start(): Promise<void>;
  /** Brings the cache up to date and answers when done (see `roster.sync`'s `wait`). */
  syncAndWait(mode: 'full' | 'incremental'): Promise<RosterSyncState>;
  clearCache(): Promise<void>;
}

export interface RosterFeature extends Feature<RosterMethod> {
  readonly slot: WorkspaceSlot<RosterPart>;
}

function createRosterPart(workspace: Workspace, options: RosterFeatureOptions): RosterPart {
  const { logger } = options;
  const { store } = workspace;
  const synced = new AsyncEmitter<RosterQueryEngine>();
  const sync = new RosterSyncService({
    logger: logger.child({ component: 'roster-sync' }),
    events: options.events,
    store,
    storeNote: workspace.storeNote,
    platform: () => workspace.platformConnection(),
    expectedTotal: async () => (await (await workspace.platform()).getMigration()).counts.total,
    afterSync: (engine) => synced.fireAsync(engine),
    ...(options.workerUrl === undefined ? {} : { workerUrl: options.workerUrl }),
    ...(options.syncIntervalMs === undefined ? {} : { intervalMs: options.syncIntervalMs() }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  // Saved views are the operator's work: they live in the workspace's journal (moved from the cache once).
  try {
    const moved = migrateSavedViews(
      workspace.journal,
      store !== null && ['ready', 'memory-only'].includes(store.status().state) ? store.savedViews : null,
    );
    if (moved > 0) logger.info('saved views moved to the journal', { moved });
  } catch (error) {
    logger.warn('saved views could not be moved to the journal', {
      error: error instanceof Error ? error.message : String(error),
    });
  }
  const views = new SavedViewsService({
    store,
    journal: workspace.journal,
    logger: logger.child({ component: 'views' }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  let firstSyncEnded = false;
  const start = async (): Promise<void> => {
    await sync.start();
    firstSyncEnded = true;
  };
  return {
    sync,
    views,
    onDidSync: synced.event,
    start,
    async syncAndWait(mode) {
      if (!firstSyncEnded) {
        await start();
        return sync.state();
      }
      await sync.wait();
      sync.requestSync(mode);
      await sync.wait();
      return sync.state();
    },
    async clearCache() {
      await sync.clearCache(() => store?.clearRosterCache());
      sync.requestSync('full');
    },
    async dispose() {
      await sync.dispose();
      synced.dispose();
    },
  };
}

/**
 * The roster: the local cache and its sync, the Users table's queries and export, saved views.
 * Its state lives per workspace; Settings → Clear cache and the store rebuild reach the current one.
 */
export function createRosterFeature(options: RosterFeatureOptions): RosterFeature {
  const { workspaces } = options;
  const slot = workspaces.slot((workspace) => createRosterPart(workspace, options));
  const now = options.now ?? (() => new Date());
  const { syncIntervalMs } = options;
  const following =
    syncIntervalMs === undefined
      ? null
      : options.syncIntervalChanged?.(() => {
          // Mid-switch there is no part; the next one reads the interval when it is built.
          slot.peek()?.sync.setIntervalMs(syncIntervalMs());
        });
  const verdicts = (): VerdictLabels | null => {
    try {
      return options.verdicts?.() ?? null;
    } catch (error) {
      options.logger.warn('verification results not readable', {
        error: error instanceof Error ? error.message : String(error),
      });
      return null;
    }
  };
  /** The whole match of a filter, not only the visible window. */
  const exportRows = (filter: RosterFilter, sort: RosterSort) => {
    const engine = slot.current.sync.engine;
    const at = now();
    const result = engine.query(
      { filter, sort, offset: 0, limit: Math.max(1, engine.size), now: at.toISOString() },
      { verdicts: verdicts() },
    );
    return { at, result };
  };
  const exportName = (at: Date): string => `roster-${at.toISOString().slice(0, 10)}.csv`;
  return {
    name: 'roster',
    slot,
    caches: [{ name: 'Roster cache', clear: () => slot.current.clearCache() }],
    handlers: {
      'roster.status': () => slot.current.sync.state(),
      'roster.sync': ({ mode, wait }) =>
        wait === true ? slot.current.syncAndWait(mode) : slot.current.sync.requestSync(mode),
      'roster.rebuildCache': async () => {
        // A sound cache is never set aside by this (Clear cache downloads it again instead).
        const state = workspaces.current.store?.status().state ?? 'memory-only';
        if (state !== 'needs-rebuild' && state !== 'locked')
          throw new ConsoleError(
            'precondition_failed',
            `The roster cache is ${state}: there is nothing to rebuild. Settings → Clear cache downloads it again.`,
          );
        const status: StoreStatus | null = await workspaces.rebuildStore();
        options.logger.info('roster cache rebuilt', { state: status?.state ?? 'memory-only' });
        // A started console syncs the new store at once (full: it has no watermark).
        return slot.current.sync.state();
      },
      'roster.query': (query) => slot.current.sync.engine.query(query, { verdicts: verdicts() }),
      'roster.get': async ({ userId }) => {
        const { sync } = slot.current;
        try {
          const client = await workspaces.current.platform();
          return { connection: await client.getConnection(userId), fromCache: false };
        } catch (error) {
          // Offline: the cached row is better than nothing; a user the platform does not know is not.
          const notFound = error instanceof PlatformError && error.code === 'not_found';
          const cached = notFound ? undefined : sync.engine.get(userId);
          if (cached !== undefined) return { connection: cached, fromCache: true };
          throw error;
        }
      },
      'roster.export': ({ filter, sort }) => {
        const { at, result } = exportRows(filter, sort);
        return { filename: exportName(at), rowCount: result.total, csv: rosterCsv(result.rows) };
      },
      'roster.exportFile': async ({ filter, sort }) => {
        const choose = options.chooseSaveFile;
        if (!choose)
          throw new ConsoleError(
            'unavailable',
            'Saving an export to a file you choose is part of the desktop app; here the export downloads instead.',
          );
        const path = await choose(exportName(now()));
        if (path === null) return { saved: false, filename: '', rowCount: 0 };
        // The rows as they are once the operator has chosen (a sync may have ended meanwhile).
        const { result } = exportRows(filter, sort);
        await writeRosterCsvFile(path, result.rows);
        options.logger.info('roster exported to a file', { rows: result.total });
        return { saved: true, filename: basename(path).slice(0, 260), rowCount: result.total };
      },
      'views.list': () => slot.current.views.list(),
      'views.save': (input) => slot.current.views.save(input),
      'views.delete': ({ id }) => ({ deleted: slot.current.views.delete(id) }),
    },
    dispose: () => following?.dispose(),
  };
}
