import type { Runtime } from './runtime.ts';

export interface RateLimiterOptions {
  /** Sustained requests per second. Default a little under the contract's 20/s, for clock skew. */
  ratePerSecond: number;
  /** Bucket size: requests that may go out back to back. The contract's burst is 40. */
  burst: number;
}

/** The contract's default is 20/s with a burst of 40; we aim slightly lower so we rarely earn a 429. */
export const DEFAULT_RATE_LIMIT: RateLimiterOptions = { ratePerSecond: 18, burst: 36 };

export interface RateLimitSnapshot {
  tokens: number;
  pausedUntil: number;
  waiting: number;
}

/**
 * A client-side token bucket shared by every request of one API key, corrected by what the
 * server says (IETF RateLimit headers) and paused by 429s. Callers are served first come,
 * first served so a long page walk cannot starve a single user action forever.
 */
export class TokenBucketLimiter {
  private readonly runtime: Runtime;
  private rate: number;
  private burst: number;
  private tokens: number;
  private updatedAt: number;
  private pausedUntil = 0;
  private calibrated = false;
  private queue: Promise<void> = Promise.resolve();
  private waiting = 0;

  constructor(runtime: Runtime, options: RateLimiterOptions = DEFAULT_RATE_LIMIT) {
    if (!(options.ratePerSecond > 0) || !(options.burst >= 1))
      throw new RangeError('rate and burst must be positive');
    this.runtime = runtime;
    this.rate = options.ratePerSecond;
    this.burst = options.burst;
    // Slow start: a new client does not know how much of the key's quota others have used, so
    // it sends one request and sizes its bucket from the reply's RateLimit-Remaining.
    this.tokens = 1;
    this.updatedAt = runtime.now();
  }

  snapshot(): RateLimitSnapshot {
    this.refill();
    return { tokens: this.tokens, pausedUntil: this.pausedUntil, waiting: this.waiting };
  }

  /** Waits for a token. Rejects with the signal's reason if it aborts while waiting (no token is used). */
  acquire(signal?: AbortSignal): Promise<void> {
    this.waiting += 1;
    const turn = this.queue.then(() => this.waitForToken(signal));
    // The next caller waits for this one to get its token or give up, never for its request.
    this.queue = turn.catch(() => undefined);
    return turn.finally(() => {
      this.waiting -= 1;
    });
  }

  /**
   * Reads `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds). The server
   * counts every client of this key, so when it has fewer requests left than we think, it wins;
   * when it has none, we wait until it says the window resets.
   */
  observe(headers: Headers, options: { retryAfterGiven?: boolean } = {}): void {
    const limit = numberHeader(headers, 'ratelimit-limit');
    const remaining = numberHeader(headers, 'ratelimit-remaining');
    const reset = numberHeader(headers, 'ratelimit-reset');
    this.refill();
    if (limit !== null && limit >= 1 && limit < this.burst) {
      // A smaller quota than we assumed (another deployment, or a key with a custom limit).
      this.burst = limit;
      this.tokens = Math.min(this.tokens, limit);
    }
    if (remaining !== null && remaining >= 0) {
      // The first reply may raise the bucket (slow start); later ones only lower it, since a
      // reply can be older than requests we have already sent.
      this.tokens = this.calibrated ? Math.min(this.tokens, remaining) : Math.min(this.burst, remaining);
      this.calibrated = true;
      // A Retry-After on the same reply is the more precise instruction; it is applied by pauseFor.
      if (remaining < 1 && reset !== null && reset > 0 && options.retryAfterGiven !== true)
        this.pauseFor(reset * 1000);
    }
  }

  /**
   * After a 429: nobody sends before the server's Retry-After has passed. Then exactly one
   * request may go (the server said it would take it), and the bucket refills from there.
   */
  pauseFor(ms: number): void {
    const now = this.runtime.now();
    this.refill();
    const until = now + ms;
    if (until > this.pausedUntil) this.pausedUntil = until;
    this.tokens = 1;
    this.updatedAt = now;
  }

  private refill(): void {
    const now = this.runtime.now();
    // Tokens do not accrue while paused: the server said to stay away until then.
    const from = Math.max(this.updatedAt, Math.min(this.pausedUntil, now));
    const elapsed = Math.max(0, now - from) / 1000;
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.rate);
    this.updatedAt = now;
  }

  private async waitForToken(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      this.refill();
      const now = this.runtime.now();
      if (this.pausedUntil > now) {
        await this.runtime.sleep(this.pausedUntil - now, signal);
        continue;
      }
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.runtime.sleep(Math.ceil(((1 - this.tokens) / this.rate) * 1000), signal);
    }
  }
}

function numberHeader(headers: Headers, name: string): number | null {
  const raw = headers.get(name);
  if (raw === null) return null;
  // Structured-field drafts allow `limit=20, w=1` style values; take the first number.
  const match = /-?\d+(?:\.\d+)?/.exec(raw);
  if (!match) return null;
  const value = Number(match[0]);
  return Number.isFinite(value) ? value : null;
}
