/**
 * When and how long to wait before trying a request again. Pure functions: the transport
 * decides what failed, this module decides the delay (see docs/clients.md).
 */

export interface RetryPolicy {
  /** Attempts in total, the first one included, counting failures (5xx, resets, timeouts, 429s without Retry-After). */
  maxAttempts: number;
  /**
   * Extra retries for replies that said when to come back (429, or 503 with Retry-After). They do
   * not use up `maxAttempts`: a burst of throttling is the server pacing us, not failing; the
   * total-delay budget still bounds them.
   */
  maxThrottleRetries: number;
  /** Upper bound on the sum of all waits for one call; a wait that would cross it is not taken. */
  maxTotalDelayMs: number;
  /** First backoff ceiling; doubles per attempt. */
  baseDelayMs: number;
  /** Largest backoff ceiling. */
  maxDelayMs: number;
  /**
   * Extra wait on top of a server's Retry-After, as a fraction of it (0.05 = up to 5 % more), so
   * that clients told the same Retry-After do not all come back in the same millisecond.
   * Keep it under 0.1: the contract is honoured "within 10 %".
   */
  retryAfterJitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  maxThrottleRetries: 20,
  maxTotalDelayMs: 30_000,
  baseDelayMs: 200,
  maxDelayMs: 8_000,
  retryAfterJitter: 0.05,
};

const DELTA_SECONDS = /^\s*(\d+(?:\.\d+)?)\s*$/;

/**
 * Parses `Retry-After` into milliseconds: delta-seconds (fractional allowed, as the platform
 * and Graph send `0.75` or `2.128`) or an HTTP-date. Null when absent or unreadable, so the
 * caller falls back to exponential backoff rather than trusting garbage.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined) return null;
  const delta = DELTA_SECONDS.exec(value);
  if (delta) {
    const seconds = Number(delta[1]);
    return Number.isFinite(seconds) ? Math.round(seconds * 1000) : null;
  }
  // HTTP-date (RFC 9110): only accept something that looks like one; Date.parse is lenient.
  if (!/^[A-Za-z]{3},\s+\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{2}:\d{2}:\d{2}\s+GMT$/.test(value.trim()))
    return null;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

/** "Full jitter" (AWS architecture blog): uniform in [0, min(cap, base * 2^(retry-1))). */
export function backoffDelay(
  retry: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number,
): number {
  const exponent = Math.min(Math.max(retry - 1, 0), 30);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  return Math.floor(random() * ceiling);
}

/** Wait for a server-given Retry-After: never less, at most `retryAfterJitter` more. */
export function retryAfterDelay(
  retryAfterMs: number,
  policy: Pick<RetryPolicy, 'retryAfterJitter'>,
  random: () => number,
): number {
  return Math.round(retryAfterMs * (1 + random() * policy.retryAfterJitter));
}

export interface RetryState {
  /** Failed attempts so far that count against `maxAttempts` (1 after the first failure). */
  attempts: number;
  /** Throttled replies with a Retry-After so far (they do not count in `attempts`). */
  throttles?: number;
  /** Sum of waits so far. */
  waitedMs: number;
}

/**
 * The wait before the next attempt, or null when the budget (attempts, throttle retries or total
 * delay) is spent. `retryAfterMs` comes from the server and wins over backoff when present; a
 * reply with one is a throttle, counted by the caller in `throttles`, not in `attempts`.
 */
export function nextDelay(
  state: RetryState,
  retryAfterMs: number | undefined,
  policy: RetryPolicy,
  random: () => number,
): number | null {
  const spent =
    retryAfterMs === undefined
      ? state.attempts >= policy.maxAttempts
      : (state.throttles ?? 0) >= policy.maxThrottleRetries;
  if (spent) return null;
  const delay =
    retryAfterMs === undefined
      ? backoffDelay(state.attempts, policy, random)
      : retryAfterDelay(retryAfterMs, policy, random);
  if (state.waitedMs + delay > policy.maxTotalDelayMs) return null;
  return delay;
}
