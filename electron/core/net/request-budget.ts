import type { Runtime } from './clock.ts';

/**
 * Who is asking for a request. Waiters are served by priority, first come first served within
 * one: a support operator's lookup goes before a bulk job's next disconnect, which goes before the
 * next page of a background roster sync.
 */
export type Priority = 'interactive' | 'jobs' | 'background';
export const PRIORITIES: readonly Priority[] = ['interactive', 'jobs', 'background'];

/** Anything with `get(name)`: a fetch `Headers`, or the few headers a worker thread forwards. */
export interface HeaderSource {
  get(name: string): string | null;
}

/** The names `observe` reads; a worker thread forwards only these. */
export const RATE_LIMIT_HEADERS = [
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'ratelimit-policy',
  'retry-after',
] as const;

export interface RequestBudgetOptions {
  /**
   * The starting guess of requests per second, used only until the server states its policy
   * (`RateLimit-Policy: 40;w=2`). The contract's default is 20/s with a burst of 40.
   */
  ratePerSecond: number;
  /** The starting guess of the burst, until the server's `RateLimit-Limit` says otherwise. */
  burst: number;
  /**
   * Fraction of the server's stated rate we aim for (0.96 = 4 % headroom), so that clock skew and
   * requests bunching up on the way never earn a 429.
   */
  headroom?: number;
}

/** The contract's default (20/s, burst 40), kept until the first reply states the real policy. */
export const CONTRACT_RATE_LIMIT: RequestBudgetOptions = { ratePerSecond: 20, burst: 40 };
const DEFAULT_HEADROOM = 0.96;
/**
 * A waiter moves up one priority for every this long it has waited, so a bulk job that runs for
 * an hour slows the background sync down rather than stopping it (and a sync that waited 20 s
 * goes before new interactive calls, once).
 */
export const AGING_MS = 10_000;

export interface RequestBudgetSnapshot {
  tokens: number;
  /** Requests per second we pace at now (the server's rate times the headroom). */
  ratePerSecond: number;
  burst: number;
  pausedUntil: number;
  waiting: Record<Priority, number>;
  /** True once a reply stated the server's rate (`RateLimit-Policy`). */
  policyKnown: boolean;
}

/** What every request against a rate-limited key draws from. Also implemented across a worker's port. */
export interface Budget {
  /** Waits for a permit to send one request. Rejects with the signal's reason if it aborts first (no permit used). */
  acquire(priority?: Priority, signal?: AbortSignal): Promise<void>;
  /** Every reply's `RateLimit-*` headers (and whether it carried `Retry-After`). */
  observe(headers: HeaderSource, options?: { retryAfterGiven?: boolean }): void;
  /** A 429 (or a 503 with Retry-After): nobody sends for `ms`. */
  pauseFor(ms: number): void;
}

interface Waiter {
  /** When it started waiting (for aging: see `AGING_MS`). */
  since: number;
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * One request budget for one platform key: a token bucket whose rate and size follow what the
 * server says (IETF RateLimit headers), paused by 429s, with priority queues. Every workload that
 * uses the key (key checks, the roster sync in its worker thread, jobs, the UI) draws from the
 * same budget, so together they stay under the key's limit. See docs/clients.md.
 */
export class RequestBudget implements Budget {
  private readonly runtime: Runtime;
  private readonly headroom: number;
  /** The server's sustained rate (requests/s), as stated or guessed. */
  private serverRate: number;
  private burst: number;
  private tokens: number;
  private updatedAt: number;
  private pausedUntil = 0;
  private calibrated = false;
  private policyKnown = false;
  private readonly queues: Record<Priority, Waiter[]> = { interactive: [], jobs: [], background: [] };
  private pumping = false;

  constructor(runtime: Runtime, options: RequestBudgetOptions = CONTRACT_RATE_LIMIT) {
    if (!(options.ratePerSecond > 0) || !(options.burst >= 1))
      throw new RangeError('rate and burst must be positive');
    this.runtime = runtime;
    this.headroom = options.headroom ?? DEFAULT_HEADROOM;
    this.serverRate = options.ratePerSecond;
    this.burst = options.burst;
    // Slow start: a new budget does not know how much of the key's quota others have used, so
    // it lets one request go and sizes itself from the reply's RateLimit-Remaining.
    this.tokens = 1;
    this.updatedAt = runtime.now();
  }

  private get rate(): number {
    return Math.max(0.1, this.serverRate * this.headroom);
  }

  snapshot(): RequestBudgetSnapshot {
    this.refill();
    return {
      tokens: this.tokens,
      ratePerSecond: this.rate,
      burst: this.burst,
      pausedUntil: this.pausedUntil,
      waiting: {
        interactive: this.queues.interactive.length,
        jobs: this.queues.jobs.length,
        background: this.queues.background.length,
      },
      policyKnown: this.policyKnown,
    };
  }

  acquire(priority: Priority = 'interactive', signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const queue = this.queues[priority];
      const waiter: Waiter = {
        since: this.runtime.now(),
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = queue.indexOf(waiter);
          if (index >= 0) queue.splice(index, 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      queue.push(waiter);
      void this.pump();
    });
  }

  /**
   * Reads `RateLimit-Policy` (`<limit>;w=<seconds>`: the server's rate), `RateLimit-Limit`,
   * `RateLimit-Remaining` and `RateLimit-Reset` (seconds). The server counts every client of this
   * key, so when it has fewer requests left than we think, it wins; when it has none, we wait until
   * it says the window resets.
   */
  observe(headers: HeaderSource, options: { retryAfterGiven?: boolean } = {}): void {
    const limit = numberHeader(headers, 'ratelimit-limit');
    const remaining = numberHeader(headers, 'ratelimit-remaining');
    const reset = numberHeader(headers, 'ratelimit-reset');
    const policy = parsePolicy(headers.get('ratelimit-policy'));
    this.refill();
    if (policy !== null) {
      this.serverRate = policy.limit / policy.windowSeconds;
      this.policyKnown = true;
    }
    if (limit !== null && limit >= 1 && limit !== this.burst) {
      if (!this.policyKnown && limit < this.burst) {
        // No stated rate: assume the contract's ratio of rate to burst for the smaller quota.
        this.serverRate = (this.serverRate * limit) / this.burst;
      }
      // The server's bucket size is the most we may send back to back.
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
    void this.pump();
  }

  /**
   * After a 429: nobody sends before the server's Retry-After has passed. Then exactly one
   * request may go (the server said it would take it), and the bucket refills from there. Without
   * a stated policy, a 429 also means our guess of the rate was too high: it drops by a quarter.
   */
  pauseFor(ms: number): void {
    const now = this.runtime.now();
    this.refill();
    const until = now + Math.max(0, ms);
    if (until > this.pausedUntil) this.pausedUntil = until;
    this.tokens = 1;
    this.updatedAt = now;
    if (!this.policyKnown) this.serverRate = Math.max(1, this.serverRate * 0.75);
    void this.pump();
  }

  private refill(): void {
    const now = this.runtime.now();
    // Tokens do not accrue while paused: the server said to stay away until then.
    const from = Math.max(this.updatedAt, Math.min(this.pausedUntil, now));
    const elapsed = Math.max(0, now - from) / 1000;
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.rate);
    this.updatedAt = now;
  }

  /** The next to serve: the highest priority after aging; ties go to the higher priority as given. */
  private head(): Waiter | undefined {
    const now = this.runtime.now();
    let best: Waiter | undefined;
    let bestRank = Infinity;
    PRIORITIES.forEach((priority, level) => {
      const waiter = this.queues[priority][0];
      if (waiter === undefined) return;
      const rank = level - Math.floor((now - waiter.since) / AGING_MS);
      if (rank < bestRank) {
        best = waiter;
        bestRank = rank;
      }
    });
    return best;
  }

  /** One loop hands out permits; it re-reads the queues after every wait, so a newcomer of higher priority goes next. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let waiter = this.head(); waiter !== undefined; waiter = this.head()) {
        this.refill();
        const now = this.runtime.now();
        if (this.pausedUntil > now) {
          await this.runtime.sleep(this.pausedUntil - now);
          continue;
        }
        if (this.tokens >= 1) {
          this.tokens -= 1;
          for (const priority of PRIORITIES) {
            const queue = this.queues[priority];
            if (queue[0] === waiter) queue.shift();
          }
          waiter.signal?.removeEventListener('abort', waiter.onAbort);
          waiter.resolve();
          continue;
        }
        await this.runtime.sleep(Math.max(1, Math.ceil(((1 - this.tokens) / this.rate) * 1000)));
      }
    } finally {
      this.pumping = false;
    }
  }
}

function numberHeader(headers: HeaderSource, name: string): number | null {
  const raw = headers.get(name);
  if (raw === null) return null;
  // Structured-field drafts allow `limit=20, w=1` style values; take the first number.
  const match = /-?\d+(?:\.\d+)?/.exec(raw);
  if (!match) return null;
  const value = Number(match[0]);
  return Number.isFinite(value) ? value : null;
}

/** `RateLimit-Policy: 40;w=2` (draft 7) or `q=40;w=2`: the quota and its window in seconds. */
export function parsePolicy(raw: string | null): { limit: number; windowSeconds: number } | null {
  if (raw === null) return null;
  const first = raw.split(',')[0] ?? '';
  const limit = /^\s*(?:"?[\w-]+"?\s*;\s*)?(?:q=)?(\d+(?:\.\d+)?)/.exec(first)?.[1];
  const window = /;\s*w=(\d+(?:\.\d+)?)/.exec(first)?.[1];
  if (limit === undefined || window === undefined) return null;
  const l = Number(limit);
  const w = Number(window);
  if (!(l >= 1) || !(w > 0) || !Number.isFinite(l) || !Number.isFinite(w)) return null;
  return { limit: l, windowSeconds: w };
}
