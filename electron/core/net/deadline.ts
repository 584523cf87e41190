/**
 * An overall deadline for a piece of work that makes several requests (a CLI command, a key
 * check): an AbortSignal that fires at a fixed time, whose reason says it was the deadline, so the
 * clients can tell "the command ran out of time" from "the user pressed Ctrl+C".
 */
export class DeadlineExceeded extends Error {
  readonly deadlineMs: number;
  constructor(deadlineMs: number) {
    super(`The deadline of ${formatSeconds(deadlineMs)} passed.`);
    this.name = 'DeadlineExceeded';
    this.deadlineMs = deadlineMs;
  }
}

export interface Deadline {
  /** Aborts with a `DeadlineExceeded` when the time is up (or with the parent's reason). */
  signal: AbortSignal;
  /** Epoch ms at which it fires. */
  at: number;
  ms: number;
  /** Stops the timer (the work finished). */
  dispose(): void;
}

export function deadlineAfter(ms: number, parent?: AbortSignal, now: () => number = Date.now): Deadline {
  if (!(ms > 0) || !Number.isFinite(ms))
    throw new RangeError('A deadline is a positive number of milliseconds.');
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeadlineExceeded(ms)), ms);
  timer.unref?.();
  const signal = parent === undefined ? controller.signal : AbortSignal.any([parent, controller.signal]);
  return { signal, at: now() + ms, ms, dispose: () => clearTimeout(timer) };
}

/**
 * The same deadline in another thread: it fires at the epoch instant `at` (already aborted when
 * that has passed), and its reason names the original length `ms`, so a worker's message says
 * "within the deadline of 60 s" like the main thread's would.
 */
export function deadlineAt(at: number, ms: number, now: () => number = Date.now): Deadline {
  if (!Number.isFinite(at) || !(ms > 0) || !Number.isFinite(ms))
    throw new RangeError('A deadline is an instant and a positive number of milliseconds.');
  const left = at - now();
  if (left <= 0) return { signal: AbortSignal.abort(new DeadlineExceeded(ms)), at, ms, dispose: () => {} };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeadlineExceeded(ms)), left);
  timer.unref?.();
  return { signal: controller.signal, at, ms, dispose: () => clearTimeout(timer) };
}

/** The deadline behind an aborted signal, if that is why it aborted. */
export function deadlineOf(signal: AbortSignal | undefined | null): DeadlineExceeded | null {
  return signal?.aborted === true && signal.reason instanceof DeadlineExceeded ? signal.reason : null;
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${s >= 10 ? Math.round(s) : Math.round(s * 10) / 10} s`;
}
