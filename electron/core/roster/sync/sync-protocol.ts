import type { Connection } from '../../../../shared/domain/platform.ts';
import type { RosterWriterSession } from '../../store/encrypted-store.ts';
import type { RosterMeta } from '../../store/roster-meta-table.ts';
import type { BudgetReply, BudgetRequest } from '../../net/remote-budget.ts';

/**
 * Messages between the roster sync service (main thread) and its worker. The worker does the
 * HTTP paging, the schema validation and the sealing and writing of the cache; the main thread
 * only feeds rows into the query engine and tells the UI. Everything here is structured-clone safe.
 */

export interface PlatformConnection {
  baseUrl: string;
  apiKey: string;
  /**
   * The run's overall deadline (the CLI's `--deadline`) as an epoch instant and its length: an
   * AbortSignal cannot cross to the worker, so the worker makes its own that fires at `at`.
   */
  deadline?: { at: number; ms: number };
}

/**
 * What the worker needs of a platform config, as plain data: the URL, the key and the deadline's
 * instant (a config's `Deadline` holds a signal and a timer, which cannot be posted).
 */
export function workerConnection(config: PlatformConnection): PlatformConnection {
  return {
    baseUrl: config.baseUrl,
    apiKey: config.apiKey,
    ...(config.deadline === undefined
      ? {}
      : { deadline: { at: config.deadline.at, ms: config.deadline.ms } }),
  };
}

export interface WorkerStartData {
  /** Null when personal data is memory-only: the worker then fetches and validates, and writes nothing. */
  session: RosterWriterSession | null;
  pageLimit: number;
}

export type SyncMode = 'full' | 'incremental';

export type ToWorker =
  | { kind: 'load'; id: number }
  | {
      kind: 'sync';
      id: number;
      mode: SyncMode;
      platform: PlatformConnection;
      updatedSince: string | null;
      startedAt: string;
      previous: RosterMeta | null;
    }
  /** The main thread has applied one `rows` batch of job `id` (flow control, see ROWS_IN_FLIGHT). */
  | { kind: 'ack'; id: number }
  /** A permit from the key's request budget, which lives in the main thread (see net/remote-budget.ts). */
  | BudgetReply
  | { kind: 'close' };

/**
 * At most this many `rows` batches are posted and not yet acknowledged. Without it a fast worker
 * queues dozens of batches, and the main thread deserialises and applies them back to back in one
 * event-loop turn: hundreds of milliseconds during which the UI cannot be served.
 */
export const ROWS_IN_FLIGHT = 4;

export type FromWorker =
  /** Sent once, when the worker has loaded and listens (thread start-up takes ~100 ms on a slow machine). */
  | { kind: 'ready' }
  /** Rows of the cache (`load`) or fresh from the platform (`sync`), in roster order. */
  | { kind: 'rows'; id: number; rows: Connection[]; fetched: number }
  | { kind: 'loaded'; id: number; rowCount: number; meta: RosterMeta | null }
  /** `meta` is the new book-keeping (persisted when the cache is; the main thread keeps it either way). */
  | { kind: 'synced'; id: number; mode: SyncMode; fetched: number; rowCount: number | null; meta: RosterMeta }
  | { kind: 'failed'; id: number; message: string; offline: boolean }
  /** The worker's platform requests draw from the main thread's budget for the key. */
  | BudgetRequest;
