/**
 * The roster sync worker (worker_threads). Runs from source on Node 24 (`roster-sync-worker.ts`)
 * and as `out/main/roster-sync-worker.js` in the Electron build. It owns everything slow about a
 * sync, so the main process's event loop stays free for the UI: HTTP paging, validating every
 * connection against the contract (PlatformClient does it per page), sealing, and SQLite writes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Connection } from '../../../../shared/domain/platform.ts';
import { deadlineAt, formatSeconds, type Deadline } from '../../net/deadline.ts';
import { isBudgetReply, PortBudget } from '../../net/remote-budget.ts';
import { PlatformClient } from '../../platform/client.ts';
import { RosterWriter } from '../../store/roster-writer.ts';
import type { RosterMeta } from '../../store/roster-meta-table.ts';
import { describeSyncFailure } from './sync-failure.ts';
import {
  ROWS_IN_FLIGHT,
  type FromWorker,
  type PlatformConnection,
  type ToWorker,
  type WorkerStartData,
} from './sync-protocol.ts';
import { incrementalWatermark, maxTimestamp } from './watermark.ts';

const LOAD_BATCH = 1_000;
/** Rows sealed and written per event-loop turn during a full sync (a few milliseconds each). */
const WRITE_SLICE = 500;

if (parentPort === null) throw new Error('roster-sync-worker must run as a worker thread.');
const port = parentPort;
const start = workerData as WorkerStartData;
const writer = start.session === null ? null : RosterWriter.open(start.session);
if (start.session !== null) start.session.dataKey.fill(0);
let client: {
  connection: PlatformConnection;
  deadline: Deadline | undefined;
  client: PlatformClient;
} | null = null;

const post = (message: FromWorker): void => port.postMessage(message);
/**
 * The key's request budget is the main thread's (shared with the UI, key checks and jobs): every
 * page request here waits for a permit from it, at background priority.
 */
const budget = new PortBudget(post);

/** One client per platform, key and deadline, kept across syncs. */
function clientFor(connection: PlatformConnection): PlatformClient {
  if (
    client === null ||
    client.connection.baseUrl !== connection.baseUrl ||
    client.connection.apiKey !== connection.apiKey ||
    client.connection.deadline?.at !== connection.deadline?.at
  ) {
    client?.deadline?.dispose();
    // The run's overall deadline (a CLI command's), rebuilt here from its instant: no request,
    // permit wait or retry of this sync outlasts it, and the failure names it.
    const deadline =
      connection.deadline === undefined
        ? undefined
        : deadlineAt(connection.deadline.at, connection.deadline.ms);
    client = {
      connection,
      deadline,
      client: new PlatformClient({
        baseUrl: connection.baseUrl,
        apiKey: connection.apiKey,
        budget,
        priority: 'background',
        ...(deadline === undefined ? {} : { deadline }),
      }),
    };
  }
  return client.client;
}
let queue: Promise<void> = Promise.resolve();

/** Unacknowledged `rows` batches, and who waits for one to be acknowledged. */
let rowsInFlight = 0;
let onAck: (() => void) | null = null;
let closing = false;

/** Posts a batch of rows once fewer than ROWS_IN_FLIGHT are waiting on the main thread. */
async function postRows(message: Extract<FromWorker, { kind: 'rows' }>): Promise<void> {
  while (rowsInFlight >= ROWS_IN_FLIGHT && !closing) await new Promise<void>((resolve) => (onAck = resolve));
  rowsInFlight += 1;
  post(message);
}

function releaseAck(): void {
  const wake = onAck;
  onAck = null;
  wake?.();
}

port.on('message', (message: ToWorker) => {
  if (isBudgetReply(message)) {
    budget.handle(message);
    return;
  }
  if (message.kind === 'ack') {
    rowsInFlight = Math.max(0, rowsInFlight - 1);
    releaseAck();
    return;
  }
  if (message.kind === 'close') {
    // Nobody will acknowledge any more: let the job in flight finish its writes without waiting.
    closing = true;
    releaseAck();
    budget.failAll('The roster sync is closing.');
    void queue.finally(() => {
      writer?.close();
      port.close();
    });
    return;
  }
  // One job at a time: a sync never interleaves with a cache load on the same connection.
  queue = queue
    .then(() => {
      rowsInFlight = 0;
      return message.kind === 'load' ? load(message.id) : sync(message);
    })
    .catch((error: unknown) => {
      post({
        kind: 'failed',
        id: message.id,
        ...describeSyncFailure(error, message.kind === 'load' ? 'load' : message.mode),
      });
    });
});

post({ kind: 'ready' });

async function load(id: number): Promise<void> {
  if (writer === null) {
    post({ kind: 'loaded', id, rowCount: 0, meta: null });
    return;
  }
  let batch: Connection[] = [];
  let count = 0;
  for (const row of writer.roster.all()) {
    batch.push(row);
    count += 1;
    if (batch.length === LOAD_BATCH) {
      await postRows({ kind: 'rows', id, rows: batch, fetched: count });
      batch = [];
    }
  }
  if (batch.length > 0) await postRows({ kind: 'rows', id, rows: batch, fetched: count });
  post({ kind: 'loaded', id, rowCount: count, meta: writer.meta.get() });
}

async function sync(message: Extract<ToWorker, { kind: 'sync' }>): Promise<void> {
  const platform = clientFor(message.platform);
  const deadline = client?.deadline;
  if (deadline?.signal.aborted === true)
    throw new Error(
      `The deadline of ${formatSeconds(deadline.ms)} had passed before it could start; nothing was asked of the platform`,
    );
  const { id, mode, startedAt } = message;
  const previous: RosterMeta | null = writer?.meta.get() ?? message.previous;
  let watermark = mode === 'incremental' ? (previous?.updatedSinceWatermark ?? null) : null;
  let fetched = 0;
  const query =
    mode === 'incremental' && message.updatedSince !== null
      ? { limit: start.pageLimit, updatedSince: message.updatedSince }
      : { limit: start.pageLimit };
  if (mode === 'full') writer?.staging.begin();
  const changed: Connection[] = [];
  // The next page is requested as soon as this one's cursor shows, so its round trip overlaps the
  // validation, sealing and writing of this one.
  for await (const page of platform.connectionPages(query)) {
    fetched += page.items.length;
    watermark = maxTimestamp(watermark, page.items);
    if (mode === 'full' && writer !== null) {
      // Written in slices (each one sealed chunk and one transaction, a few milliseconds), with a turn
      // of the event loop between them: a reply arriving meanwhile (the next page, already requested)
      // is read, and the one after it requested, without waiting for the whole page to be written.
      for (let i = 0; i < page.items.length; i += WRITE_SLICE) {
        if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
        writer.staging.append(page.items.slice(i, i + WRITE_SLICE));
      }
    } else if (mode !== 'full') changed.push(...page.items);
    await postRows({ kind: 'rows', id, rows: page.items, fetched });
  }
  const meta: Partial<RosterMeta> =
    mode === 'full'
      ? { lastFullSyncAt: startedAt, updatedSinceWatermark: watermark, lastIncrementalSyncAt: null }
      : {
          updatedSinceWatermark: incrementalWatermark(previous?.updatedSinceWatermark ?? null, watermark),
          lastIncrementalSyncAt: startedAt,
        };
  let rowCount: number | null = null;
  if (writer !== null) {
    if (mode === 'full') rowCount = writer.staging.promote(meta);
    else {
      writer.commitIncremental(changed, meta);
      rowCount = writer.roster.count();
    }
  }
  const empty: RosterMeta = {
    lastFullSyncAt: null,
    updatedSinceWatermark: null,
    lastIncrementalSyncAt: null,
  };
  post({
    kind: 'synced',
    id,
    mode,
    fetched,
    rowCount,
    meta: writer?.meta.get() ?? { ...empty, ...previous, ...meta },
  });
  if (writer !== null) {
    // Housekeeping once the result has gone out, still before the next job starts: after a swap the
    // replaced roster's sealed chunks, after a refresh the WAL pages its commit left behind.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      if (mode === 'full') writer.staging.dropReplacedChunks();
      else writer.checkpoint();
    } catch {
      // Busy or closing: the next swap drops the chunks, and a later commit's automatic checkpoint copies the pages.
    }
  }
}
