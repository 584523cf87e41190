import { Worker } from 'node:worker_threads';
import type { Connection } from '../../../../shared/domain/platform.ts';
import { platformBudgetFor } from '../../net/budget-registry.ts';
import { BudgetServer, isBudgetRequest } from '../../net/remote-budget.ts';
import type { Budget } from '../../net/request-budget.ts';
import type { FromWorker, PlatformConnection, ToWorker, WorkerStartData } from './sync-protocol.ts';

/** The worker from source (Node 24 strips the types); the Electron build passes its built file instead. */
export const SOURCE_WORKER_URL = new URL('./roster-sync-worker.ts', import.meta.url);

type Job = Extract<ToWorker, { id: number }>;
type JobRequest = Job extends infer J ? (J extends { id: number } ? Omit<J, 'id'> : never) : never;
type Finished = Extract<FromWorker, { kind: 'loaded' | 'synced' }>;

export interface JobHandlers {
  /**
   * A batch of rows, in order. The next batch is handed over only once this one's promise (if any)
   * settles, and the worker sends more only as batches are acknowledged: a handler that applies
   * its rows in slices keeps the main thread responsive however fast the worker is.
   */
  onRows(rows: Connection[], fetched: number): void | Promise<void>;
}

type BudgetRequestMessage = Extract<FromWorker, { kind: `budget-${string}` }>;

export class SyncJobFailed extends Error {
  readonly offline: boolean;
  constructor(message: string, offline: boolean) {
    super(message);
    this.name = 'SyncJobFailed';
    this.offline = offline;
  }
}

/**
 * Owns the roster sync worker thread: starts it, runs one job at a time on it, routes its
 * messages to the job that asked, and turns a crashed worker into failed jobs (and a fresh worker
 * for the next job) instead of a stuck sync.
 */
export class SyncWorkerClient {
  readonly #url: URL;
  readonly #start: WorkerStartData;
  #worker: Worker | null = null;
  #nextId = 1;
  readonly #jobs = new Map<
    number,
    {
      handlers: JobHandlers;
      resolve: (done: Finished) => void;
      reject: (error: Error) => void;
      /** The job's batches, applied one after another; its end is reported after the last. */
      applied: Promise<void>;
    }
  >();
  #closed = false;
  /** Settles when the current worker thread has loaded (or failed to). */
  #whenReady: Promise<void> | null = null;
  /** The request budget of the platform the current sync job talks to (the worker's permits come from it). */
  #budget: Budget | null = null;
  readonly #budgetFor: (connection: PlatformConnection) => Budget;
  #budgetServer = new BudgetServer();

  /**
   * Keeps its own copy of the start data (the caller may zero its key once this exists).
   * `budgetFor` gives the key's request budget (default: the process-wide one per platform and key).
   */
  constructor(
    url: URL,
    start: WorkerStartData,
    budgetFor: (connection: PlatformConnection) => Budget = (c) => platformBudgetFor(c.baseUrl, c.apiKey),
  ) {
    this.#url = url;
    this.#budgetFor = budgetFor;
    this.#start = {
      ...start,
      session:
        start.session === null ? null : { ...start.session, dataKey: new Uint8Array(start.session.dataKey) },
    };
  }

  run(request: JobRequest, handlers: JobHandlers): Promise<Finished> {
    if (this.#closed) return Promise.reject(new SyncJobFailed('The roster sync has been stopped.', false));
    const id = this.#nextId++;
    const worker = this.#ensureWorker();
    if (request.kind === 'sync') this.#budget = this.#budgetFor(request.platform);
    return new Promise<Finished>((resolve, reject) => {
      this.#jobs.set(id, { handlers, resolve, reject, applied: Promise.resolve() });
      worker.postMessage({ ...request, id } as ToWorker);
    });
  }

  /**
   * Starts the worker thread now (it otherwise starts with the first job) and resolves once it has
   * loaded and listens, so a caller can keep thread start-up out of the first job's time.
   */
  ready(): Promise<void> {
    if (this.#closed) return Promise.reject(new SyncJobFailed('The roster sync has been stopped.', false));
    this.#ensureWorker();
    return this.#whenReady ?? Promise.resolve();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#budgetServer.close();
    const worker = this.#worker;
    this.#worker = null;
    if (worker === null) return;
    // Ask it to finish its current job's writes and close its database; terminate if it does not.
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ kind: 'close' } satisfies ToWorker);
    const timer = setTimeout(() => void worker.terminate(), 5_000);
    await exited;
    clearTimeout(timer);
    this.#failAll(new SyncJobFailed('The roster sync was stopped.', false));
  }

  #ensureWorker(): Worker {
    if (this.#worker !== null) return this.#worker;
    // The data key goes along in workerData: a copy, which the worker zeroes once its sealer holds it.
    const start: WorkerStartData = {
      ...this.#start,
      session:
        this.#start.session === null
          ? null
          : { ...this.#start.session, dataKey: new Uint8Array(this.#start.session.dataKey) },
    };
    const worker = new Worker(this.#url, { workerData: start });
    let markReady: () => void = () => undefined;
    let failReady: (error: Error) => void = () => undefined;
    this.#whenReady = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    // Nobody may be waiting for it: a failed start also fails the jobs, which is where it is reported.
    this.#whenReady.catch(() => undefined);
    const budgetServer = (this.#budgetServer = new BudgetServer());
    worker.on('message', (message: FromWorker) => {
      if (message.kind === 'ready') markReady();
      else if (isBudgetRequest(message))
        budgetServer.handle(message, this.#budget, (reply) => worker.postMessage(reply satisfies ToWorker));
      else this.#onMessage(message);
    });
    worker.on('error', (error) => {
      failReady(new SyncJobFailed(`The roster sync worker stopped: ${error.message}`, false));
      if (this.#worker === worker) this.#worker = null;
      this.#failAll(new SyncJobFailed(`The roster sync worker stopped: ${error.message}`, false));
    });
    worker.on('exit', (code) => {
      budgetServer.close();
      failReady(new SyncJobFailed(`The roster sync worker exited with code ${code}.`, false));
      if (this.#worker === worker) this.#worker = null;
      if (code !== 0)
        this.#failAll(new SyncJobFailed(`The roster sync worker exited with code ${code}.`, false));
    });
    this.#worker = worker;
    return worker;
  }

  #onMessage(message: Exclude<FromWorker, { kind: 'ready' } | BudgetRequestMessage>): void {
    const job = this.#jobs.get(message.id);
    if (job === undefined) return;
    const worker = this.#worker;
    switch (message.kind) {
      case 'rows':
        job.applied = job.applied
          .then(() => job.handlers.onRows(message.rows, message.fetched))
          .then(
            () => worker?.postMessage({ kind: 'ack', id: message.id } satisfies ToWorker),
            (error: unknown) => {
              // A batch the main thread could not apply fails the job; the worker is told to go on
              // so that it reaches its end (its own writes are unaffected).
              worker?.postMessage({ kind: 'ack', id: message.id } satisfies ToWorker);
              this.#jobs.delete(message.id);
              job.reject(error instanceof Error ? error : new Error(String(error)));
            },
          );
        return;
      case 'failed':
        this.#jobs.delete(message.id);
        void job.applied.then(() => job.reject(new SyncJobFailed(message.message, message.offline)));
        return;
      default:
        void job.applied.then(() => {
          if (!this.#jobs.has(message.id)) return;
          this.#jobs.delete(message.id);
          job.resolve(message);
        });
    }
  }

  #failAll(error: Error): void {
    const jobs = [...this.#jobs.values()];
    this.#jobs.clear();
    for (const job of jobs) job.reject(error);
  }
}
