import { ConsoleError, type RosterSyncState } from '../../../../shared/contract/index.ts';
import type { Connection } from '../../../../shared/domain/platform.ts';
import type { EventBus } from '../../ipc/event-bus.ts';
import type { Logger } from '../../log/logger.ts';
import type { EncryptedStore } from '../../store/encrypted-store.ts';
import type { RosterMeta } from '../../store/roster-meta-table.ts';
import { RosterQueryEngine } from '../query/roster-query-engine.ts';
import { workerConnection, type PlatformConnection, type SyncMode } from './sync-protocol.ts';
import { SOURCE_WORKER_URL, SyncJobFailed, SyncWorkerClient } from './sync-worker-client.ts';
import { updatedSinceFor } from './watermark.ts';

export const DEFAULT_SYNC_INTERVAL_MS = 15 * 60_000;
/** A full sync at least this often, so users removed from the platform leave the cache too. */
export const FULL_SYNC_MAX_AGE_MS = 24 * 3_600_000;
/** How long one slice of sort-order preparation may hold the event loop. */
export const PREPARE_SLICE_MS = 12;

export interface PrepareInSlicesOptions {
  /** Checked between slices: true (the console shutting down) leaves the rest to the first query that sorts. */
  stop?: () => boolean;
  /** Told each slice's synchronous duration and its number of steps (instrumentation: benches and tests). */
  onSlice?: (ms: number, steps: number) => void;
}

/**
 * Runs the engine's sort-order preparation a few milliseconds at a time between event-loop turns,
 * keeping the main thread's delay well under the sync's target (< 100 ms).
 */
export async function prepareSortOrdersInSlices(
  engine: RosterQueryEngine,
  options: PrepareInSlicesOptions = {},
): Promise<void> {
  const steps = engine.prepareSortOrders();
  const stop = options.stop ?? (() => false);
  while (!stop()) {
    const began = performance.now();
    const until = began + PREPARE_SLICE_MS;
    let done = false;
    let count = 0;
    while (!done && performance.now() < until) {
      done = steps.next().done === true;
      count += 1;
    }
    options.onSlice?.(performance.now() - began, count);
    if (done) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** At most this many `roster.syncState` progress events per second (start, finish and failure always go out). */
const PROGRESS_EVENTS_PER_SECOND = 5;
export const SYNC_PAGE_LIMIT = 1000;
/** Rows fed to the query engine per event-loop turn (a few milliseconds of work each). */
const UPSERT_SLICE = 500;

/**
 * Feeds rows to an engine a slice per event-loop turn, yielding after each slice (the last too, so
 * back-to-back batches never add up into one long turn): the UI's requests get in between.
 */
async function upsertInSlices(engine: RosterQueryEngine, rows: readonly Connection[]): Promise<void> {
  for (let i = 0; i < rows.length; i += UPSERT_SLICE) {
    engine.upsert(rows.length <= UPSERT_SLICE ? rows : rows.slice(i, i + UPSERT_SLICE));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

const EMPTY_META: RosterMeta = {
  lastFullSyncAt: null,
  updatedSinceWatermark: null,
  lastIncrementalSyncAt: null,
};

export interface RosterSyncServiceOptions {
  logger: Logger;
  events: EventBus | null;
  /** The opened store, or null where none could be opened (then everything stays in memory). */
  store: EncryptedStore | null;
  /** Added to the store's explanation, e.g. that demo data is sealed with a throw-away key. */
  storeNote?: string | null;
  /** Where the platform is, or null while it cannot be reached (the cache is then shown offline). */
  platform: () => Promise<PlatformConnection | null>;
  /** The platform's user total, for a full sync's progress; null when unknown. */
  expectedTotal?: () => Promise<number | null>;
  /** Called after every successful sync (history snapshots hang off it). */
  afterSync?: (engine: RosterQueryEngine) => Promise<void>;
  /** Told each sort-order preparation slice's duration and step count (benches: see PrepareInSlicesOptions). */
  onPrepareSlice?: (ms: number, steps: number) => void;
  workerUrl?: URL;
  intervalMs?: number;
  locale?: string;
  now?: () => Date;
}

/**
 * The roster cache as the UI sees it: the query engine in memory, kept in step with the platform by
 * a worker thread (see roster-sync-worker.ts). On start it loads the sealed cache first (the UI shows
 * rows at once, marked offline with their age), then syncs: full when the cache has never been filled
 * whole or that is over a day old, else incremental from the watermark. Then every `intervalMs`, and on
 * demand. This thread only feeds rows to the engine and tells the UI.
 */
export class RosterSyncService {
  readonly #options: RosterSyncServiceOptions;
  #intervalMs: number;
  /** Periodic syncs begin once the cache is loaded and the first sync requested. */
  #periodic = false;
  readonly #now: () => Date;
  readonly #worker: SyncWorkerClient;
  #engine: RosterQueryEngine;
  #meta: RosterMeta = EMPTY_META;
  #offline = false;
  #lastError: string | null = null;
  #running: NonNullable<RosterSyncState['running']> | null = null;
  #current: Promise<void> | null = null;
  #started: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #lastProgressAt = 0;
  #disposed = false;
  /** The sort-order preparation of the engine shown, chained so only one runs at a time. */
  #preparation: Promise<void> = Promise.resolve();

  constructor(options: RosterSyncServiceOptions) {
    this.#options = options;
    this.#intervalMs = options.intervalMs ?? DEFAULT_SYNC_INTERVAL_MS;
    this.#now = options.now ?? (() => new Date());
    this.#engine = this.#newEngine();
    const session = options.store?.rosterWriterSession() ?? null;
    this.#worker = new SyncWorkerClient(options.workerUrl ?? SOURCE_WORKER_URL, {
      session,
      pageLimit: SYNC_PAGE_LIMIT,
    });
    session?.dataKey.fill(0);
  }

  get engine(): RosterQueryEngine {
    return this.#engine;
  }

  /** Loads the cache, then syncs with the platform and keeps syncing on the interval. Idempotent. */
  start(): Promise<void> {
    this.#started ??= this.#startOnce();
    return this.#started;
  }

  state(): RosterSyncState {
    const status = this.#options.store?.status() ?? null;
    const note = this.#options.storeNote ?? null;
    const explanation =
      status === null ? 'No local data folder: the roster is kept in memory only.' : status.explanation;
    return {
      storeState: status === null ? 'memory-only' : status.state,
      storeDetail:
        [explanation, note]
          .filter((s) => s !== null && s !== '')
          .join(' ')
          .slice(0, 1000) || null,
      rowCount: this.#engine.size,
      lastFullSyncAt: this.#meta.lastFullSyncAt,
      lastIncrementalSyncAt: this.#meta.lastIncrementalSyncAt,
      offline: this.#offline,
      running: this.#running === null ? null : { ...this.#running },
      lastError: this.#lastError,
    };
  }

  /**
   * Starts a sync unless one is running, and answers at once with the state; progress arrives as
   * events. `wait()` resolves when the sync in flight ends.
   */
  requestSync(mode: SyncMode): RosterSyncState {
    if (this.#disposed) throw new ConsoleError('unavailable', 'The console is shutting down.');
    if (this.#current === null) this.#current = this.#sync(mode).finally(() => (this.#current = null));
    return this.state();
  }

  /** Resolves when the sync in flight (if any) has finished, whatever its outcome. */
  async wait(): Promise<void> {
    await this.#current;
  }

  /** Runs one sync to its end; rejects with the failure (lastError holds it too). */
  async syncNow(mode: SyncMode): Promise<RosterSyncState> {
    await this.wait();
    this.requestSync(mode);
    await this.wait();
    if (this.#lastError !== null) throw new ConsoleError('unavailable', this.#lastError);
    return this.state();
  }

  /**
   * Settings → Clear cache: waits for the cache load and the sync in flight, runs `dropStored`
   * (which empties the stored rows and watermarks), then empties the engine and forgets the
   * watermarks, so the UI shows no rows and the next sync is full. Does not start that sync.
   */
  async clearCache(dropStored: () => void): Promise<void> {
    if (this.#disposed) throw new ConsoleError('unavailable', 'The console is shutting down.');
    await this.#started;
    while (this.#current !== null) await this.#current;
    dropStored();
    this.#engine = this.#newEngine();
    this.#meta = EMPTY_META;
    this.#offline = false;
    this.#lastError = null;
    this.#emitChanged();
    this.#emitState(true);
  }

  /**
   * Resolves once the sort orders of the engine shown are prepared (or their preparation stopped
   * because that engine was replaced or the console is shutting down). Syncs do not wait for it.
   */
  sortOrdersPrepared(): Promise<void> {
    return this.#preparation;
  }

  /** Starts the sync worker thread now, resolving once it listens (see SyncWorkerClient.ready). */
  warmUp(): Promise<void> {
    return this.#worker.ready();
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    await this.#worker.close();
    await this.#current?.catch(() => undefined);
    await this.#preparation;
  }

  async #startOnce(): Promise<void> {
    await this.#loadCache();
    if (this.#disposed) return;
    this.#periodic = true;
    this.#schedule();
    this.requestSync(this.#dueMode());
    await this.wait();
  }

  /** Settings → refresh interval: applies at once, without a restart (0 turns periodic syncs off). */
  setIntervalMs(intervalMs: number): void {
    this.#intervalMs = intervalMs;
    if (this.#periodic) this.#schedule();
  }

  #schedule(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    if (this.#disposed || this.#intervalMs <= 0) return;
    this.#timer = setInterval(() => {
      if (this.#current === null) this.requestSync(this.#dueMode());
    }, this.#intervalMs);
    this.#timer.unref();
  }

  #dueMode(): SyncMode {
    const last = this.#meta.lastFullSyncAt;
    if (last === null || this.#meta.updatedSinceWatermark === null) return 'full';
    return this.#now().getTime() - Date.parse(last) > FULL_SYNC_MAX_AGE_MS ? 'full' : 'incremental';
  }

  async #loadCache(): Promise<void> {
    if (this.#options.store?.status().state !== 'ready') return;
    try {
      const done = await this.#worker.run(
        { kind: 'load' },
        { onRows: (rows) => upsertInSlices(this.#engine, rows) },
      );
      if (done.kind === 'loaded' && done.meta !== null) this.#meta = done.meta;
      // Until the platform answers, what is shown is the cache.
      this.#offline = this.#engine.size > 0;
      this.#emitState(true);
      this.#emitChanged();
      // The cache is what the table shows until a sync replaces it, and stays so when the platform
      // cannot be reached: its sort orders are prepared too, alongside the first sync.
      this.#prepareSortOrders();
    } catch (error) {
      this.#lastError = error instanceof Error ? error.message : String(error);
      this.#options.logger.error('roster cache could not be read', { error: this.#lastError });
      this.#emitState(true);
    }
  }

  async #sync(requested: SyncMode): Promise<void> {
    // An incremental refresh needs a watermark; without one it is a full sync.
    const mode: SyncMode =
      requested === 'incremental' && this.#meta.updatedSinceWatermark === null ? 'full' : requested;
    const startedAt = this.#now().toISOString();
    this.#running = { mode, startedAt, fetched: 0, expected: null };
    this.#emitState(true);
    const log = this.#options.logger;
    try {
      const platform = await this.#options.platform();
      if (platform === null)
        throw new SyncJobFailed(
          'The platform cannot be reached right now; the roster shown is the local cache.',
          true,
        );
      if (mode === 'full' && this.#options.expectedTotal) {
        const expected = await this.#options.expectedTotal().catch(() => null);
        if (this.#running !== null) this.#running.expected = expected;
      }
      // A full sync fills a fresh engine and swaps it in at the end, so users gone from the platform
      // disappear and a failed sync leaves the rows on screen as they were. With nothing on screen
      // yet, rows go straight into the live engine so the first sync shows progress.
      const target = mode === 'full' && this.#engine.size > 0 ? this.#newEngine() : this.#engine;
      if (mode === 'full' && this.#running?.expected != null) target.reserve(this.#running.expected);
      const changed: Connection[] = [];
      const updatedSince =
        mode === 'incremental' && this.#meta.updatedSinceWatermark !== null
          ? updatedSinceFor(this.#meta.updatedSinceWatermark)
          : null;
      const done = await this.#worker.run(
        {
          kind: 'sync',
          mode,
          platform: workerConnection(platform),
          updatedSince,
          startedAt,
          previous: this.#meta,
        },
        {
          onRows: async (rows, fetched) => {
            if (mode === 'full') await upsertInSlices(target, rows);
            else changed.push(...rows);
            if (this.#running !== null) this.#running.fetched = fetched;
            if (target === this.#engine) this.#emitChanged(false);
            this.#emitState(false);
          },
        },
      );
      if (done.kind !== 'synced') throw new Error('The sync worker answered out of turn.');
      if (mode === 'full') this.#engine = target;
      else await upsertInSlices(this.#engine, changed);
      this.#meta = done.meta;
      this.#offline = false;
      this.#lastError = null;
      log.info('roster synced', { mode, fetched: done.fetched, rows: this.#engine.size });
    } catch (error) {
      const failure =
        error instanceof SyncJobFailed
          ? error
          : new SyncJobFailed(error instanceof Error ? error.message : String(error), false);
      this.#lastError = failure.message.slice(0, 2000);
      if (failure.offline) this.#offline = this.#engine.size > 0;
      log.warn('roster sync failed', { mode, error: this.#lastError });
    } finally {
      this.#running = null;
    }
    this.#emitChanged();
    this.#emitState(true);
    if (this.#lastError === null && this.#options.afterSync) {
      await this.#options.afterSync(this.#engine).catch((error: unknown) =>
        log.warn('after-sync step failed', {
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    }
    // Sort orders are prepared now, in slices, rather than by the first query that sorts; after a
    // failed sync too, since the rows shown (the cache, or what the sync brought) are sorted all the same.
    this.#prepareSortOrders();
  }

  /**
   * Prepares the shown engine's sort orders off the critical path: after the callers have their
   * answer (the first slice waits one event-loop turn), a slice at a time, until that engine is
   * replaced or the console shuts down. A stopped preparation keeps its work for the next one.
   */
  #prepareSortOrders(): void {
    const engine = this.#engine;
    if (this.#disposed || engine.size === 0) return;
    const stop = () => this.#disposed || this.#engine !== engine;
    this.#preparation = this.#preparation
      .then(async () => {
        await new Promise<void>((resolve) => setImmediate(resolve));
        const onSlice = this.#options.onPrepareSlice;
        await prepareSortOrdersInSlices(engine, onSlice === undefined ? { stop } : { stop, onSlice });
      })
      .catch((error: unknown) =>
        this.#options.logger.warn('sort-order preparation failed', {
          error: error instanceof Error ? error.message : String(error),
        }),
      );
  }

  #newEngine(): RosterQueryEngine {
    return new RosterQueryEngine(this.#options.locale === undefined ? {} : { locale: this.#options.locale });
  }

  /** Progress is throttled; `force` for starts, ends and failures, which the UI must never miss. */
  #emitState(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.#lastProgressAt < 1000 / PROGRESS_EVENTS_PER_SECOND) return;
    this.#lastProgressAt = now;
    this.#options.events?.emit('roster.syncState', this.state());
  }

  #lastChangedAt = 0;
  #emitChanged(force = true): void {
    const now = Date.now();
    if (!force && now - this.#lastChangedAt < 1000 / PROGRESS_EVENTS_PER_SECOND) return;
    this.#lastChangedAt = now;
    this.#options.events?.emit('roster.changed', {
      rowCount: this.#engine.size,
      at: this.#now().toISOString(),
    });
  }
}
