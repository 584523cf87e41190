import type { Runtime } from './clock.ts';

export interface SlidingWindowOptions {
  /** Most units (requests, messages, recipients) per key within any window. */
  limit: number;
  windowMs: number;
}

interface Entry {
  at: number;
  cost: number;
}

/**
 * A quota over a sliding window, per key: at most `limit` units in any `windowMs`. Graph's
 * per-mailbox limits are of this kind (10,000 requests per 10 minutes; a sending mailbox's
 * 30 messages per minute and 10,000 recipients per 24 hours). Waiters for one key are served in
 * arrival order, so a large send cannot be overtaken forever by small ones.
 */
export class SlidingWindowQuota {
  private readonly runtime: Runtime;
  readonly limit: number;
  readonly windowMs: number;
  private readonly used = new Map<string, Entry[]>();
  private readonly turns = new Map<string, Promise<void>>();

  constructor(runtime: Runtime, options: SlidingWindowOptions) {
    if (!(options.limit >= 1) || !(options.windowMs > 0))
      throw new RangeError('limit and window must be positive');
    this.runtime = runtime;
    this.limit = options.limit;
    this.windowMs = options.windowMs;
  }

  /** Units used for `key` within the window ending now. */
  usedBy(key: string): number {
    return this.live(key).reduce((sum, e) => sum + e.cost, 0);
  }

  /** Milliseconds until `cost` units fit for `key` (0: now). */
  waitFor(key: string, cost = 1): number {
    const entries = this.live(key);
    let total = entries.reduce((sum, e) => sum + e.cost, 0);
    if (total + cost <= this.limit) return 0;
    const now = this.runtime.now();
    for (const entry of entries) {
      total -= entry.cost;
      if (total + cost <= this.limit) return Math.max(1, entry.at + this.windowMs - now);
    }
    return this.windowMs;
  }

  /** Takes `cost` units for `key` now if they fit; false otherwise. */
  tryTake(key: string, cost = 1): boolean {
    this.check(cost);
    if (this.waitFor(key, cost) > 0) return false;
    this.record(key, cost);
    return true;
  }

  /** Waits until `cost` units fit for `key`, then takes them. Rejects with the signal's reason on abort. */
  take(key: string, cost = 1, signal?: AbortSignal): Promise<void> {
    this.check(cost);
    const previous = this.turns.get(key) ?? Promise.resolve();
    const turn = previous.then(async () => {
      for (;;) {
        signal?.throwIfAborted();
        const wait = this.waitFor(key, cost);
        if (wait === 0) break;
        await this.runtime.sleep(wait, signal);
      }
      this.record(key, cost);
    });
    const settled = turn.catch(() => undefined);
    this.turns.set(key, settled);
    void settled.then(() => {
      if (this.turns.get(key) === settled) this.turns.delete(key);
    });
    return turn;
  }

  private check(cost: number): void {
    if (!(cost >= 1) || cost > this.limit)
      throw new RangeError(`A cost of ${cost} can never fit a quota of ${this.limit} per window.`);
  }

  private record(key: string, cost: number): void {
    const entries = this.live(key);
    entries.push({ at: this.runtime.now(), cost });
    this.used.set(key, entries);
  }

  private live(key: string): Entry[] {
    const entries = this.used.get(key);
    if (entries === undefined) return [];
    const from = this.runtime.now() - this.windowMs;
    let drop = 0;
    while (drop < entries.length && (entries[drop] as Entry).at <= from) drop += 1;
    if (drop > 0) entries.splice(0, drop);
    if (entries.length === 0) this.used.delete(key);
    return entries;
  }
}
