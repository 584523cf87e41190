import { randomUUID } from 'node:crypto';
import { ConsoleError } from '../../../shared/contract/errors.ts';
import type { Logger } from '../log/logger.ts';
import {
  effectiveState,
  type ItemRecord,
  type JobCounts,
  type JobRecord,
  type JobState,
  type JobStore,
  type NewItem,
  type OutcomeCategory,
} from './job-store.ts';

export interface ItemResult {
  outcome: string;
  category: OutcomeCategory;
  /** The platform's answer in plain words, for the Jobs page and the CSV. */
  detail: string | null;
  facts?: Record<string, unknown>;
  /** A failure that says something about the remote system (5xx, timeouts), counted by the breaker. */
  transient?: boolean;
  /**
   * The item was not done and must run again later (a sending quota reached, the platform gone):
   * it goes back to `pending` (no outcome recorded). `paused` and `scheduled` stop the job taking
   * items: `paused` waits for an operator; `scheduled` resumes by itself at `at` (jobs.runDue, the
   * app's timer). `none` is a transient failure that says nothing yet about the whole job: the job
   * goes on and takes the item again after the others (at most `MAX_RETRIES_PER_RUN` times a run);
   * the breaker counts it like a transient failure, so a sustained outage still pauses the job.
   */
  requeue?:
    | { stop: 'paused'; reason: string }
    | { stop: 'scheduled'; reason: string; at: string }
    | { stop: 'none'; reason: string };
}

/** How often one item may be handed back with `requeue.stop: 'none'` in one run before it waits for the next run. */
export const MAX_RETRIES_PER_RUN = 3;

export interface RunContext {
  job: JobRecord;
  /** True on the job's first run (not a resume): a scheduled job re-evaluates its selection then. */
  firstRun: boolean;
  store: JobStore;
  /** Aborted when this runner lost the job (its lease): stop at once, whatever is in flight. */
  signal: AbortSignal;
  /**
   * Aborted as soon as the run is asked to stop (pause, cancel, a requeue that stops, the breaker,
   * a lost lease). Pass it to waits before an item's point of no return (a send slot, an
   * idempotent read), and hand the item back when it fires, so a pause registers at once; never to
   * a call already on the wire, which finishes and is recorded.
   */
  stopping: AbortSignal;
  /**
   * Stops the run as a pause with this reason (no new items; in-flight ones finish): for a kind
   * that finds in `prepare` it cannot do its work here (no Graph access in this process).
   */
  pause(reason: string): void;
}

/**
 * One kind of job (force-disconnect now; announcement sends and verifications later). The engine
 * persists, paces, resumes and reports; the kind only knows how to do one item.
 */
export interface JobKind {
  readonly name: string;
  /** A destructive job never resumes by itself after an interruption: an operator must say so. */
  readonly destructive: boolean;
  /** Its item outcomes, always reported (zero included) so scripts can rely on the names. */
  readonly outcomes: readonly string[];
  /** What a job of this kind does, in words, for the Jobs page. */
  describe(job: JobRecord): string;
  /**
   * Items in flight at once for this kind, instead of the engine's default: a kind whose calls
   * are paced by their own limiter (verification: Graph's per-mailbox limits) sets how many users
   * it keeps busy; the limiter, not this number, bounds the requests.
   */
  readonly concurrency?: number;
  /**
   * Runs once at the start of every run (first, resumed, or a scheduled one reaching its time),
   * before any item: e.g. re-read the selection and settle items that no longer apply.
   */
  prepare?(context: RunContext): Promise<void>;
  runItem(item: ItemRecord, context: RunContext): Promise<ItemResult>;
}

export interface JobProgress {
  job: JobRecord;
  state: JobState;
  counts: JobCounts;
  /** Items per second in the current run; null before the first item. */
  rate: number | null;
  /** Seconds to go at the current rate; null when unknown. */
  etaSeconds: number | null;
}

export interface JobEngineOptions {
  store: JobStore;
  logger: Logger;
  kinds: readonly JobKind[];
  /** Who runs here, for the lease (one per process). */
  runnerId?: string;
  now?: () => Date;
  /** How long a lease lasts without a heartbeat; a runner that dies is `interrupted` after it. */
  leaseMs?: number;
  heartbeatMs?: number;
  /** Items in flight at once; the request budget paces them. */
  concurrency?: number;
  /** Failures in a row (transient ones) that pause the job. */
  breakerThreshold?: number;
  onProgress?: (progress: JobProgress) => void;
  /** Told of every settled item (the audit log records each per-user action). */
  onItemDone?: (job: JobRecord, item: ItemRecord, result: ItemResult) => void;
}

interface ActiveRun {
  stop:
    | null
    | { state: 'paused' | 'cancelled'; reason: string }
    | { state: 'scheduled'; reason: string; at: string }
    | { state: 'lost' };
  controller: AbortController;
  /** Aborted with the first stop (see RunContext.stopping). */
  stopping: AbortController;
  /** Items handed back for this run (`requeue.stop: 'none'`) too often: pending for the next run. */
  leftBehind: { count: number; lastReason: string };
  startedMs: number;
  doneThisRun: number;
  lastEmit: number;
  /** Settles when the run has ended and its state is written (nothing runs it here any more). */
  ended: Promise<void>;
  end: () => void;
}

/** Resolves when `promise` settles or after `ms`, whichever is first (the timer never outlives it). */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

export const DEFAULT_LEASE_MS = 15_000;

function breakerReason(failures: number, last: string): string {
  return `Paused after ${failures} failures in a row; the last: ${last}. Check the platform, then resume.`;
}

/** Records the first reason to stop (a later one never overwrites it) and tells the run's waits. */
function requestStop(active: ActiveRun, stop: NonNullable<ActiveRun['stop']>): void {
  active.stop ??= stop;
  if (!active.stopping.signal.aborted)
    active.stopping.abort(
      new ConsoleError('cancelled', 'The job is stopping; this user waits for its next run.'),
    );
}
const TERMINAL: readonly JobState[] = ['completed', 'cancelled', 'failed'];

/**
 * The job engine: a job is written to the journal before it runs, each item is marked in flight
 * before its call and settled after it, and a lease with a heartbeat says who runs the job, so a
 * kill at any point resumes exactly where it stopped and two runners never run one job at once.
 */
export class JobEngine {
  readonly store: JobStore;
  readonly runnerId: string;
  readonly #logger: Logger;
  readonly #kinds = new Map<string, JobKind>();
  readonly #now: () => Date;
  readonly #leaseMs: number;
  readonly #heartbeatMs: number;
  readonly #concurrency: number;
  readonly #breakerThreshold: number;
  readonly #active = new Map<string, ActiveRun>();
  readonly #listeners = new Set<(progress: JobProgress) => void>();
  readonly #onItemDone: JobEngineOptions['onItemDone'];

  constructor(options: JobEngineOptions) {
    this.store = options.store;
    this.#logger = options.logger;
    for (const kind of options.kinds) this.#kinds.set(kind.name, kind);
    this.runnerId = options.runnerId ?? `runner_${randomUUID()}`;
    this.#now = options.now ?? (() => new Date());
    this.#leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.#heartbeatMs = options.heartbeatMs ?? Math.max(50, Math.floor(this.#leaseMs / 3));
    this.#concurrency = options.concurrency ?? 6;
    this.#breakerThreshold = options.breakerThreshold ?? 10;
    if (options.onProgress) this.#listeners.add(options.onProgress);
    this.#onItemDone = options.onItemDone;
  }

  onProgress(listener: (progress: JobProgress) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  kind(name: string): JobKind {
    const kind = this.#kinds.get(name);
    if (kind === undefined)
      throw new ConsoleError('unavailable', `This console cannot run jobs of kind "${name.slice(0, 40)}".`);
    return kind;
  }

  /** Persists a job (state `running` with this runner's lease, or `scheduled`); run it with `run`. */
  create(job: {
    kind: string;
    params: Record<string, unknown>;
    createdBy: string;
    createdByName: string | null;
    items: readonly NewItem[];
    scheduledAt?: string | null;
    parentId?: string | null;
  }): JobRecord {
    const kind = this.kind(job.kind);
    const scheduled = job.scheduledAt !== undefined && job.scheduledAt !== null;
    return this.store.create({
      kind: kind.name,
      destructive: kind.destructive,
      params: job.params,
      createdBy: job.createdBy,
      createdByName: job.createdByName,
      state: scheduled ? 'scheduled' : 'running',
      scheduledAt: job.scheduledAt ?? null,
      parentId: job.parentId ?? null,
      items: job.items,
      ...(scheduled
        ? {}
        : { lease: { owner: this.runnerId, untilMs: this.#now().getTime() + this.#leaseMs } }),
    });
  }

  progress(jobId: string): JobProgress {
    const job = this.store.require(jobId);
    const counts = this.store.counts(jobId);
    const active = this.#active.get(jobId);
    // A job this process runs is running, even if a stalled event loop let its lease lapse a moment.
    const state =
      active !== undefined && active.stop?.state !== 'lost'
        ? 'running'
        : effectiveState(job, this.#now().getTime());
    let rate: number | null = null;
    let etaSeconds: number | null = null;
    if (active !== undefined && active.doneThisRun > 0) {
      const seconds = Math.max(0.001, (Date.now() - active.startedMs) / 1000);
      rate = active.doneThisRun / seconds;
      etaSeconds = (counts.pending + counts.inFlight) / rate;
    }
    return { job, state, counts, rate, etaSeconds };
  }

  isRunningHere(jobId: string): boolean {
    return this.#active.has(jobId);
  }

  /**
   * Waits until a job running here has stopped (after `pause` or `cancel`), up to `maxMs`, so an
   * operator's action can answer with the state it led to rather than the `running` it found.
   */
  async stoppedHere(jobId: string, maxMs: number): Promise<void> {
    const active = this.#active.get(jobId);
    if (active !== undefined) await settledWithin(active.ended, maxMs);
  }

  /** Asks every job running here to pause (in-flight calls finish and are recorded) and waits for them, up to `maxMs`. */
  async pauseAll(reason: string, maxMs: number): Promise<void> {
    const runs = [...this.#active.values()];
    for (const active of runs) requestStop(active, { state: 'paused', reason });
    await settledWithin(Promise.all(runs.map((active) => active.ended)), maxMs);
  }

  /**
   * Runs (or resumes) a job until it completes, is paused (by an operator or the breaker) or is
   * cancelled. `operator: true` says a person asked for it: without it, a destructive job that was
   * interrupted or paused is refused rather than resumed by itself.
   */
  async run(jobId: string, options: { operator: boolean; scheduledRun?: boolean }): Promise<JobProgress> {
    const job = this.store.require(jobId);
    const kind = this.kind(job.kind);
    const nowMs = this.#now().getTime();
    const state = effectiveState(job, nowMs);
    if (TERMINAL.includes(state))
      throw new ConsoleError(
        'conflict',
        `Job ${job.id} is ${state}; a finished job never runs again. Use "Retry failed" to make a new job of its failed users.`,
      );
    if (this.#active.has(jobId)) throw new ConsoleError('conflict', `Job ${job.id} is already running here.`);
    if (
      state === 'scheduled' &&
      !options.scheduledRun &&
      Date.parse(job.scheduledAt ?? '') > nowMs &&
      !options.operator
    )
      throw new ConsoleError(
        'conflict',
        `Job ${job.id} is scheduled for ${job.scheduledAt ?? '?'}; it runs then.`,
      );
    if ((state === 'interrupted' || state === 'paused') && kind.destructive && !options.operator)
      throw new ConsoleError(
        'conflict',
        `Job ${job.id} is ${state}; a destructive job resumes only when an operator says so.`,
      );
    if (!this.store.claim(jobId, this.runnerId, nowMs + this.#leaseMs, nowMs)) {
      const until = job.leaseUntil === null ? '' : ` until ${new Date(job.leaseUntil).toISOString()}`;
      throw new ConsoleError(
        'conflict',
        `Job ${job.id} is being run by another runner (its lease holds${until}); two runners never run one job at once.`,
      );
    }
    let end = (): void => undefined;
    const ended = new Promise<void>((resolve) => (end = resolve));
    const active: ActiveRun = {
      ended,
      end,
      stop: null,
      controller: new AbortController(),
      stopping: new AbortController(),
      leftBehind: { count: 0, lastReason: '' },
      startedMs: Date.now(),
      doneThisRun: 0,
      lastEmit: 0,
    };
    this.#active.set(jobId, active);
    const firstRun = job.startedAt === null;
    this.store.setState(jobId, 'running', null, { started: true });
    const heartbeat = setInterval(() => this.#beat(jobId, active), this.#heartbeatMs);
    heartbeat.unref?.();
    try {
      const context: RunContext = {
        job: this.store.require(jobId),
        firstRun,
        store: this.store,
        signal: active.controller.signal,
        stopping: active.stopping.signal,
        pause: (reason) => requestStop(active, { state: 'paused', reason }),
      };
      if (kind.prepare) await kind.prepare(context);
      await this.#work(jobId, kind, context, active);
      this.#finish(jobId, active);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      // A kind may say its failure passes (the platform away at a scheduled time): paused, not failed.
      const retryable = error instanceof ConsoleError && error.retryable === true;
      this.#logger.error(retryable ? 'job paused' : 'job failed', { jobId, error: reason.slice(0, 300) });
      if (active.stop?.state !== 'lost') {
        if (retryable) this.store.setState(jobId, 'paused', reason, {});
        else this.store.setState(jobId, 'failed', `The job stopped: ${reason}`, { finished: true });
      }
    } finally {
      clearInterval(heartbeat);
      this.#active.delete(jobId);
      if (active.stop?.state !== 'lost') this.store.release(jobId, this.runnerId);
      active.end();
      this.#emit(jobId, true);
    }
    return this.progress(jobId);
  }

  /** Stops taking new items; in-flight calls finish and are recorded. Works on a job another process runs. */
  pause(jobId: string, reason = 'Paused by an operator.'): JobRecord {
    return this.#stop(jobId, 'paused', reason);
  }

  cancel(jobId: string, reason = 'Cancelled by an operator.'): JobRecord {
    return this.#stop(jobId, 'cancelled', reason);
  }

  /** A new job of the failed items of a finished (or stopped) job, with the same parameters. */
  retryFailed(jobId: string, by: { createdBy: string; createdByName: string | null }): JobRecord {
    const job = this.store.require(jobId);
    const state = effectiveState(job, this.#now().getTime());
    if (state === 'running' || state === 'scheduled')
      throw new ConsoleError(
        'conflict',
        `Job ${job.id} is ${state}; retry its failures once it has stopped.`,
      );
    const failed = this.store.items(jobId, { category: 'failed' });
    if (failed.length === 0)
      throw new ConsoleError('conflict', `Job ${job.id} has no failed users to retry.`);
    return this.create({
      kind: job.kind,
      params: { ...job.params, retryOf: job.id },
      createdBy: by.createdBy,
      createdByName: by.createdByName,
      parentId: job.id,
      items: failed.map((item) => ({ target: item.target, personal: item.personal, facts: item.facts })),
    });
  }

  /** Runs every scheduled job whose time has come, one after another. */
  async runDue(): Promise<JobProgress[]> {
    const results: JobProgress[] = [];
    for (const job of this.store.due(this.#now())) {
      results.push(await this.run(job.id, { operator: false, scheduledRun: true }));
    }
    return results;
  }

  #stop(jobId: string, state: 'paused' | 'cancelled', reason: string): JobRecord {
    const job = this.store.require(jobId);
    const current = effectiveState(job, this.#now().getTime());
    if (TERMINAL.includes(current))
      throw new ConsoleError('conflict', `Job ${job.id} is already ${current}.`);
    if (state === 'paused' && current !== 'running')
      throw new ConsoleError('conflict', `Job ${job.id} is ${current}; only a running job can be paused.`);
    const active = this.#active.get(jobId);
    if (active !== undefined) {
      // The operator's word wins over a stop already on its way (a cancel after a pause is a cancel).
      active.stop = active.stop?.state === 'lost' ? active.stop : { state, reason };
      requestStop(active, active.stop);
      return job;
    }
    // Not run here: record the wish; the runner that holds the lease reads it at its next heartbeat.
    this.store.setState(jobId, state, reason, { finished: state === 'cancelled' && current !== 'running' });
    this.#emit(jobId, true);
    return this.store.require(jobId);
  }

  #beat(jobId: string, active: ActiveRun): void {
    try {
      if (!this.store.heartbeat(jobId, this.runnerId, this.#now().getTime() + this.#leaseMs)) {
        active.stop = { state: 'lost' };
        active.controller.abort(new Error('lease lost'));
        requestStop(active, active.stop);
        return;
      }
      const job = this.store.get(jobId);
      if (job !== null && active.stop === null && (job.state === 'paused' || job.state === 'cancelled'))
        requestStop(active, {
          state: job.state,
          reason: job.stateReason ?? `${job.state} from another window or the command line.`,
        });
    } catch (error) {
      this.#logger.warn('job heartbeat failed', {
        jobId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  async #work(jobId: string, kind: JobKind, context: RunContext, active: ActiveRun): Promise<void> {
    const queue = this.store.unfinished(jobId);
    const retries = new Map<number, number>();
    let next = 0;
    let failuresInRow = 0;
    // Read through a function: the loop's own test narrows `active.stop` to null for the compiler.
    const lost = (): boolean => (active.stop as ActiveRun['stop'])?.state === 'lost';
    const worker = async (): Promise<void> => {
      while (active.stop === null) {
        // `next` never runs past the end: an item handed back is pushed there for whoever is still working.
        const item = queue[next];
        if (item === undefined) return;
        next += 1;
        if (item.state === 'done') continue;
        this.store.markInFlight(jobId, item.seq);
        let result: ItemResult;
        try {
          result = await kind.runItem(item, context);
        } catch (error) {
          if (lost()) return;
          result = {
            outcome: 'failed',
            category: 'failed',
            detail: error instanceof Error ? error.message.slice(0, 500) : String(error),
            transient: true,
          };
        }
        // A runner that lost its lease must not write over the one that took over.
        if (lost()) return;
        if (result.requeue !== undefined) {
          // Not done: back to pending (the first reason to stop wins).
          this.store.markPending(jobId, item.seq);
          const requeue = result.requeue;
          if (requeue.stop === 'none') {
            const tries = (retries.get(item.seq) ?? 0) + 1;
            retries.set(item.seq, tries);
            // Taken again after the others; an item that keeps failing waits for the next run.
            const again = tries <= MAX_RETRIES_PER_RUN ? this.store.item(jobId, item.seq) : null;
            if (again !== null) queue.push(again);
            else active.leftBehind = { count: active.leftBehind.count + 1, lastReason: requeue.reason };
            failuresInRow += 1;
            if (failuresInRow >= this.#breakerThreshold)
              requestStop(active, { state: 'paused', reason: breakerReason(failuresInRow, requeue.reason) });
            this.#emit(jobId, false);
            continue;
          }
          requestStop(
            active,
            requeue.stop === 'scheduled'
              ? { state: 'scheduled', reason: requeue.reason, at: requeue.at }
              : { state: 'paused', reason: requeue.reason },
          );
          continue;
        }
        this.store.markDone(jobId, item.seq, result);
        active.doneThisRun += 1;
        try {
          this.#onItemDone?.(context.job, item, result);
        } catch (error) {
          this.#logger.warn('item listener failed', {
            jobId,
            error: error instanceof Error ? error.message : String(error),
          });
        }
        if (result.category === 'failed' && result.transient === true) {
          failuresInRow += 1;
          if (failuresInRow >= this.#breakerThreshold)
            requestStop(active, {
              state: 'paused',
              reason: breakerReason(failuresInRow, result.detail ?? 'no detail'),
            });
        } else if (result.category !== 'failed') {
          failuresInRow = 0;
        }
        this.#emit(jobId, false);
      }
    };
    const concurrency = Math.max(1, kind.concurrency ?? this.#concurrency);
    await Promise.all(Array.from({ length: concurrency }, () => worker()));
  }

  #finish(jobId: string, active: ActiveRun): void {
    const stop = active.stop;
    if (stop?.state === 'lost') return;
    if (stop?.state === 'scheduled') {
      this.store.reschedule(jobId, stop.at, stop.reason);
      return;
    }
    if (stop !== null) {
      this.store.setState(jobId, stop.state, stop.reason, { finished: stop.state === 'cancelled' });
      return;
    }
    const counts = this.store.counts(jobId);
    if (counts.pending + counts.inFlight > 0) {
      const { count, lastReason } = active.leftBehind;
      const reason =
        count === 0
          ? 'Stopped before every user was done.'
          : `${count} ${count === 1 ? 'user' : 'users'} could not be done in this run (the last: ${lastReason}); resume to try again.`;
      this.store.setState(jobId, 'paused', reason.slice(0, 1000), {});
      return;
    }
    this.store.setState(jobId, 'completed', null, { finished: true });
  }

  #emit(jobId: string, force: boolean): void {
    if (this.#listeners.size === 0) return;
    const active = this.#active.get(jobId);
    const nowMs = Date.now();
    if (!force && active !== undefined) {
      if (nowMs - active.lastEmit < 250) return;
      active.lastEmit = nowMs;
    }
    let progress: JobProgress;
    try {
      progress = this.progress(jobId);
    } catch {
      return;
    }
    for (const listener of this.#listeners) {
      try {
        listener(progress);
      } catch (error) {
        this.#logger.warn('job progress listener failed', {
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }
}
