import { KeyedSemaphore } from '../graph/mailbox-limiter.ts';

/**
 * Pacing for verification runs, on top of the Graph client's shared budget (net/graph-budget.ts:
 * 4 requests on the wire per mailbox, its 10-minute quota counting a $batch as one, and the pause
 * of a whole mailbox after a top-level 429; inner $batch 429s are retried on their own
 * Retry-After by the client):
 *
 * - a global cap on requests in flight for the whole run (platform and Graph together), so a
 *   bulk run cannot open thousands of sockets or starve the operator's other work; the value
 *   and why are in docs/verification.md;
 * - Graph's 10,000 requests per 10 minutes per mailbox counted as Exchange counts them, a $batch
 *   as its inner requests, kept a little under the limit;
 * - `pause(mailbox, ms)` for a caller that learns of a throttle itself.
 */
export interface PacerOptions {
  globalConcurrency: number;
  requestsPerWindow?: number;
  windowMs?: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Under Graph's 10,000 so retries the console cannot see (inner 429s retried) stay inside it. */
export const MAILBOX_REQUESTS_PER_WINDOW = 9_500;
export const MAILBOX_WINDOW_MS = 10 * 60_000;

const GLOBAL = 'global';

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class VerifyPacer {
  readonly globalConcurrency: number;
  private readonly slots: KeyedSemaphore;
  private readonly perWindow: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Per mailbox: [time, cost] of requests in the current window, oldest first. */
  private readonly windows = new Map<string, Array<[number, number]>>();
  private readonly used = new Map<string, number>();
  private readonly pausedUntil = new Map<string, number>();
  /** Requests that waited for the window or a pause (reported as a figure, and tested). */
  waits = 0;

  constructor(options: PacerOptions) {
    if (!(options.globalConcurrency >= 1)) throw new RangeError('globalConcurrency must be at least 1');
    this.globalConcurrency = options.globalConcurrency;
    this.slots = new KeyedSemaphore(options.globalConcurrency);
    this.perWindow = options.requestsPerWindow ?? MAILBOX_REQUESTS_PER_WINDOW;
    this.windowMs = options.windowMs ?? MAILBOX_WINDOW_MS;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** A platform call: only the global cap applies (the platform client paces its own key). */
  async platform<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.slots.acquire(GLOBAL, signal);
    try {
      return await work();
    } finally {
      release();
    }
  }

  /** A Graph call for `mailbox` costing `cost` requests against its window. */
  async graph<T>(mailbox: string, cost: number, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const key = mailbox.toLowerCase();
    await this.admit(key, Math.max(1, cost), signal);
    const release = await this.slots.acquire(GLOBAL, signal);
    try {
      return await work();
    } finally {
      release();
    }
  }

  /** A top-level 429 for this mailbox: hold new requests until Retry-After has passed. */
  pause(mailbox: string, ms: number): void {
    const key = mailbox.toLowerCase();
    const until = this.now() + Math.max(0, ms);
    if ((this.pausedUntil.get(key) ?? 0) < until) this.pausedUntil.set(key, until);
  }

  /** Requests counted in the mailbox's current window. */
  inWindow(mailbox: string): number {
    this.expire(mailbox.toLowerCase(), this.now());
    return this.used.get(mailbox.toLowerCase()) ?? 0;
  }

  private async admit(key: string, cost: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.now();
      const paused = (this.pausedUntil.get(key) ?? 0) - now;
      if (paused > 0) {
        this.waits += 1;
        await this.sleep(paused, signal);
        continue;
      }
      this.pausedUntil.delete(key);
      this.expire(key, now);
      const used = this.used.get(key) ?? 0;
      const window = this.windows.get(key) ?? [];
      if (used + cost <= this.perWindow || window.length === 0) {
        window.push([now, cost]);
        this.windows.set(key, window);
        this.used.set(key, used + cost);
        return;
      }
      // Wait until enough of the oldest requests leave the window.
      let freed = 0;
      let until = now;
      for (const [at, c] of window) {
        freed += c;
        until = at + this.windowMs;
        if (used - freed + cost <= this.perWindow) break;
      }
      this.waits += 1;
      await this.sleep(Math.max(1, until - now), signal);
    }
  }

  private expire(key: string, now: number): void {
    const window = this.windows.get(key);
    if (!window) return;
    let used = this.used.get(key) ?? 0;
    let drop = 0;
    while (drop < window.length && (window[drop]?.[0] ?? 0) + this.windowMs <= now) {
      used -= window[drop]?.[1] ?? 0;
      drop += 1;
    }
    if (drop > 0) window.splice(0, drop);
    if (window.length === 0) {
      this.windows.delete(key);
      this.used.delete(key);
    } else this.used.set(key, used);
  }
}
