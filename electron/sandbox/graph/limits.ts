/**
 * The limits Exchange Online puts on one app and one mailbox (concepts/throttling-limits.md) and on
 * what one mailbox may send (Exchange sending limits). Windows slide on the sandbox clock; the
 * concurrency slots are real in-flight requests.
 */

export interface GraphLimits {
  /** Outlook: requests per app per mailbox per window (10,000 per 10 minutes). */
  requestsPerWindow: number;
  windowMs: number;
  /** Outlook: concurrent requests per app per mailbox (4). */
  concurrentPerMailbox: number;
  /** Exchange: messages per minute per mailbox (30). */
  messagesPerMinute: number;
  /** Exchange: recipients per sliding 24 hours per mailbox (10,000). */
  recipientsPerDay: number;
  /** The recipient quota's window (24 hours; tests shorten it with an accelerated clock). */
  recipientsWindowMs: number;
  /** Exchange: recipients per message (500 by default). */
  recipientsPerMessage: number;
  /** JSON batching: requests per $batch (20). */
  batchSize: number;
  /** JSON batching against Outlook: inner requests run at most this many at a time per mailbox (4). */
  batchParallelPerMailbox: number;
}

export const DEFAULT_GRAPH_LIMITS: GraphLimits = {
  requestsPerWindow: 10_000,
  windowMs: 10 * 60 * 1000,
  concurrentPerMailbox: 4,
  messagesPerMinute: 30,
  recipientsPerDay: 10_000,
  recipientsWindowMs: 24 * 60 * 60 * 1000,
  recipientsPerMessage: 500,
  batchSize: 20,
  batchParallelPerMailbox: 4,
};

/** Timestamps in a sliding window; old entries are dropped lazily. */
class SlidingWindow {
  private readonly entries: Array<{ at: number; weight: number }> = [];
  private readonly spanMs: number;
  constructor(spanMs: number) {
    this.spanMs = spanMs;
  }

  total(now: number): number {
    this.prune(now);
    return this.entries.reduce((sum, e) => sum + e.weight, 0);
  }

  add(now: number, weight = 1): void {
    this.entries.push({ at: now, weight });
  }

  /** Milliseconds until enough weight leaves the window for `needed` more to fit under `limit`. */
  waitFor(now: number, limit: number, needed: number): number {
    this.prune(now);
    let total = this.entries.reduce((sum, e) => sum + e.weight, 0);
    for (const e of this.entries) {
      if (total + needed <= limit) break;
      total -= e.weight;
      if (total + needed <= limit) return e.at + this.spanMs - now;
    }
    return 0;
  }

  private prune(now: number): void {
    while (this.entries.length > 0 && (this.entries[0]?.at ?? 0) + this.spanMs <= now) this.entries.shift();
  }
}

export type Admission =
  { ok: true; release: () => void } | { ok: false; reason: 'rate' | 'concurrency'; retryAfterMs: number };

export class OutlookThrottle {
  private readonly windows = new Map<string, SlidingWindow>();
  private readonly inFlight = new Map<string, number>();
  private readonly limits: GraphLimits;
  private readonly now: () => number;
  private readonly concurrencyRetryMs: number;
  constructor(limits: GraphLimits, now: () => number, concurrencyRetryMs: number) {
    this.limits = limits;
    this.now = now;
    this.concurrencyRetryMs = concurrencyRetryMs;
  }

  /** Admits one request of `appId` against `mailbox`, or says why not and for how long. */
  admit(appId: string, mailbox: string): Admission {
    const key = `${appId}\n${mailbox.toLowerCase()}`;
    const now = this.now();
    let window = this.windows.get(key);
    if (!window) {
      window = new SlidingWindow(this.limits.windowMs);
      this.windows.set(key, window);
    }
    if (window.total(now) >= this.limits.requestsPerWindow) {
      return {
        ok: false,
        reason: 'rate',
        retryAfterMs: window.waitFor(now, this.limits.requestsPerWindow, 1),
      };
    }
    const busy = this.inFlight.get(key) ?? 0;
    if (busy >= this.limits.concurrentPerMailbox)
      return { ok: false, reason: 'concurrency', retryAfterMs: this.concurrencyRetryMs };
    // Only admitted requests count toward the window, so an honoured Retry-After is enough.
    window.add(now);
    this.inFlight.set(key, busy + 1);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.inFlight.get(key) ?? 1) - 1;
        if (left <= 0) this.inFlight.delete(key);
        else this.inFlight.set(key, left);
      },
    };
  }
}

export type SendDecision =
  { ok: true } | { ok: false; reason: 'too_many_recipients' | 'rate' | 'quota'; retryAfterMs: number };

export class SendingLimits {
  private readonly messages = new Map<string, SlidingWindow>();
  private readonly recipients = new Map<string, SlidingWindow>();
  private readonly limits: GraphLimits;
  private readonly now: () => number;
  constructor(limits: GraphLimits, now: () => number) {
    this.limits = limits;
    this.now = now;
  }

  /** Checks and, when allowed, records one message with `count` recipients from `mailbox`. */
  trySend(mailbox: string, count: number): SendDecision {
    if (count > this.limits.recipientsPerMessage)
      return { ok: false, reason: 'too_many_recipients', retryAfterMs: 0 };
    const now = this.now();
    const perMinute = this.get(this.messages, mailbox, 60_000);
    const perDay = this.get(this.recipients, mailbox, this.limits.recipientsWindowMs);
    if (perDay.total(now) + count > this.limits.recipientsPerDay)
      return {
        ok: false,
        reason: 'quota',
        retryAfterMs: perDay.waitFor(now, this.limits.recipientsPerDay, count),
      };
    if (perMinute.total(now) >= this.limits.messagesPerMinute)
      return {
        ok: false,
        reason: 'rate',
        retryAfterMs: perMinute.waitFor(now, this.limits.messagesPerMinute, 1),
      };
    perMinute.add(now);
    perDay.add(now, count);
    return { ok: true };
  }

  private get(map: Map<string, SlidingWindow>, mailbox: string, span: number): SlidingWindow {
    const key = mailbox.toLowerCase();
    let w = map.get(key);
    if (!w) {
      w = new SlidingWindow(span);
      map.set(key, w);
    }
    return w;
  }
}
