import type { Runtime } from './clock.ts';
import { nextDelay, type RetryPolicy } from './retry-policy.ts';

/** What one attempt came to, as the caller's transport judges it. */
export type AttemptOutcome<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      /** May this be tried again at all (status, method, idempotency)? */
      retryable: boolean;
      /** The server's Retry-After: a throttle, waited exactly (plus jitter), not counted as a failure. */
      retryAfterMs?: number | undefined;
      /** For logs and the UI's "retrying in 3 s": a code or status. */
      reason: string;
      /** What the call ends with when this is not retried: throw the failure, or return the reply. */
      giveUp: (why: GiveUp) => T;
    };

/** Why the loop stopped retrying: the failure was final, the budget was spent, or the deadline is too close. */
export type GiveUp = { kind: 'final' | 'budget' | 'deadline'; attempts: number; elapsedMs: number };

export interface RetryEvent {
  attempt: number;
  delayMs: number;
  reason: string;
  throttled: boolean;
}

export interface RetryLoopOptions {
  policy: RetryPolicy;
  runtime: Runtime;
  signal?: AbortSignal | undefined;
  /** Epoch ms by which the whole call must be over: a wait that would end after it is not taken. */
  deadlineAt?: number | undefined;
  onRetry?: ((event: RetryEvent) => void) | undefined;
  /** The error to throw when the signal aborts during a wait. */
  cancelled: (cause: unknown) => Error;
}

/**
 * The one retry loop of the console's HTTP clients (platform, Graph requests, Graph `$batch`
 * follow-ups). The transport decides what an attempt came to; this loop decides whether and
 * how long to wait (`retry-policy.ts`): server-given Retry-After for throttles, exponential
 * backoff with full jitter for failures, within the policy's attempts, throttles and total delay,
 * and never past the caller's deadline.
 */
export async function withRetries<T>(
  attempt: (n: number) => Promise<AttemptOutcome<T>>,
  options: RetryLoopOptions,
): Promise<T> {
  const { runtime, policy } = options;
  const startedAt = runtime.now();
  let failures = 0;
  let throttles = 0;
  let waitedMs = 0;
  for (let n = 1; ; n += 1) {
    const outcome = await attempt(n);
    if (outcome.ok) return outcome.value;
    const elapsed = (): number => runtime.now() - startedAt;
    if (!outcome.retryable) return outcome.giveUp({ kind: 'final', attempts: n, elapsedMs: elapsed() });
    const throttled = outcome.retryAfterMs !== undefined;
    if (!throttled) failures += 1;
    const delay = nextDelay(
      { attempts: failures, throttles, waitedMs },
      outcome.retryAfterMs,
      policy,
      runtime.random,
    );
    if (delay === null) return outcome.giveUp({ kind: 'budget', attempts: n, elapsedMs: elapsed() });
    if (options.deadlineAt !== undefined && runtime.now() + delay >= options.deadlineAt)
      return outcome.giveUp({ kind: 'deadline', attempts: n, elapsedMs: elapsed() });
    if (throttled) throttles += 1;
    options.onRetry?.({ attempt: n, delayMs: delay, reason: outcome.reason, throttled });
    try {
      await runtime.sleep(delay, options.signal);
    } catch (error) {
      throw options.cancelled(error);
    }
    waitedMs += delay;
  }
}
