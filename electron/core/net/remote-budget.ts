import { RATE_LIMIT_HEADERS, type Budget, type HeaderSource, type Priority } from './request-budget.ts';

/**
 * A budget across a thread boundary. The roster sync runs in a worker thread, but the key's
 * budget lives in the main thread, where the UI, key checks and jobs draw from it: the worker's
 * `PortBudget` asks the main thread for each permit over its message port and forwards what the
 * server said (RateLimit headers, 429 pauses); `serveBudgetMessage` answers on the main side.
 * A permit costs one message round trip (well under a millisecond), against a page's ~100 ms.
 */
export type BudgetRequest =
  | { kind: 'budget-acquire'; request: number; priority: Priority }
  | { kind: 'budget-cancel'; request: number }
  | { kind: 'budget-observe'; headers: Record<string, string>; retryAfterGiven: boolean }
  | { kind: 'budget-pause'; ms: number };

export type BudgetReply =
  { kind: 'budget-granted'; request: number } | { kind: 'budget-refused'; request: number; message: string };

export function isBudgetRequest(message: { kind: string }): message is BudgetRequest {
  return (
    message.kind.startsWith('budget-') &&
    message.kind !== 'budget-granted' &&
    message.kind !== 'budget-refused'
  );
}

export function isBudgetReply(message: { kind: string }): message is BudgetReply {
  return message.kind === 'budget-granted' || message.kind === 'budget-refused';
}

export interface PortBudgetOptions {
  /** The priority the worker's requests wait at (the roster sync: `background`). */
  priority?: Priority;
  /**
   * Permits asked for ahead of need, at `priority`, so a page request does not wait for a message
   * round trip to a main thread that may be busy applying the previous page. One is enough: the
   * sync has at most two pages in flight.
   */
  prefetch?: number;
  /** A permit unused this long is dropped (its token was counted long ago). */
  maxPermitAgeMs?: number;
  now?: () => number;
}

interface LocalWaiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/** The worker's side: a `Budget` whose permits come from the main thread. */
export class PortBudget implements Budget {
  private readonly post: (message: BudgetRequest) => void;
  private readonly priority: Priority;
  private readonly prefetch: number;
  private readonly maxPermitAgeMs: number;
  private readonly now: () => number;
  private next = 1;
  /** Asks for other priorities, answered one to one. */
  private readonly pending = new Map<number, { resolve: () => void; reject: (reason: unknown) => void }>();
  /** Asks at the worker's own priority: their grants go to a pool that serves local waiters in order. */
  private readonly pooled = new Set<number>();
  /** When each granted, unused permit was granted. */
  private ready: number[] = [];
  private readonly waiters: LocalWaiter[] = [];

  constructor(post: (message: BudgetRequest) => void, options: PortBudgetOptions = {}) {
    this.post = post;
    this.priority = options.priority ?? 'background';
    this.prefetch = options.prefetch ?? 1;
    this.maxPermitAgeMs = options.maxPermitAgeMs ?? 1_000;
    this.now = options.now ?? Date.now;
  }

  acquire(priority: Priority = this.priority, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (priority !== this.priority) return this.acquireOne(priority, signal);
    return new Promise<void>((resolve, reject) => {
      const waiter: LocalWaiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          this.trim();
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
      this.serve();
    });
  }

  /** Hands ready permits to waiters, then asks for as many as waiters plus the prefetch need. */
  private serve(): void {
    const oldest = this.now() - this.maxPermitAgeMs;
    this.ready = this.ready.filter((grantedAt) => grantedAt >= oldest);
    while (this.ready.length > 0 && this.waiters.length > 0) {
      this.ready.shift();
      const waiter = this.waiters.shift() as LocalWaiter;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.resolve();
    }
    // Prefetch only while the worker is drawing permits (a waiter was just served or is waiting).
    while (this.pooled.size + this.ready.length < this.waiters.length + this.prefetch) {
      const request = this.next++;
      this.pooled.add(request);
      this.post({ kind: 'budget-acquire', request, priority: this.priority });
    }
  }

  /** A waiter gave up: cancel the asks nobody needs any more, so they consume no token. */
  private trim(): void {
    const surplus = [...this.pooled].slice(
      Math.max(0, this.waiters.length + this.prefetch - this.ready.length),
    );
    for (const request of surplus.reverse()) {
      this.pooled.delete(request);
      this.post({ kind: 'budget-cancel', request });
    }
  }

  private acquireOne(priority: Priority, signal: AbortSignal | undefined): Promise<void> {
    const request = this.next++;
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        if (!this.pending.delete(request)) return;
        this.post({ kind: 'budget-cancel', request });
        reject(signal?.reason);
      };
      this.pending.set(request, {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (reason) => {
          signal?.removeEventListener('abort', onAbort);
          reject(reason);
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.post({ kind: 'budget-acquire', request, priority });
    });
  }

  observe(headers: HeaderSource, options: { retryAfterGiven?: boolean } = {}): void {
    const forwarded: Record<string, string> = {};
    for (const name of RATE_LIMIT_HEADERS) {
      const value = headers.get(name);
      if (value !== null) forwarded[name] = value.slice(0, 200);
    }
    if (Object.keys(forwarded).length === 0) return;
    if (Number(forwarded['ratelimit-remaining'] ?? '1') < 1) this.ready = [];
    this.post({
      kind: 'budget-observe',
      headers: forwarded,
      retryAfterGiven: options.retryAfterGiven === true,
    });
  }

  pauseFor(ms: number): void {
    // Permits granted before the server said stop must not go out after it.
    this.ready = [];
    this.post({ kind: 'budget-pause', ms });
  }

  /** Feed every reply from the main thread here. */
  handle(message: BudgetReply): void {
    if (this.pooled.delete(message.request)) {
      if (message.kind === 'budget-granted') {
        this.ready.push(this.now());
        this.serve();
      } else {
        const waiters = this.waiters.splice(0);
        for (const waiter of waiters) {
          waiter.signal?.removeEventListener('abort', waiter.onAbort);
          waiter.reject(new Error(message.message));
        }
      }
      return;
    }
    const waiter = this.pending.get(message.request);
    if (waiter === undefined) return;
    this.pending.delete(message.request);
    if (message.kind === 'budget-granted') waiter.resolve();
    else waiter.reject(new Error(message.message));
  }

  /** The port is closing: nobody will answer. */
  failAll(message: string): void {
    const waiters = [...this.pending.values()];
    this.pending.clear();
    for (const waiter of waiters) waiter.reject(new Error(message));
    for (const waiter of this.waiters.splice(0)) {
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.reject(new Error(message));
    }
    this.pooled.clear();
    this.ready = [];
  }
}

/**
 * The main thread's side: serves one worker's budget messages from `budget`. Keep the returned
 * object per worker; `close()` cancels the permits it is still waiting for.
 */
export class BudgetServer {
  private readonly waiting = new Map<number, AbortController>();

  handle(message: BudgetRequest, budget: Budget | null, reply: (message: BudgetReply) => void): void {
    switch (message.kind) {
      case 'budget-acquire': {
        if (budget === null) {
          reply({ kind: 'budget-refused', request: message.request, message: 'No platform is connected.' });
          return;
        }
        const controller = new AbortController();
        this.waiting.set(message.request, controller);
        budget.acquire(message.priority, controller.signal).then(
          () => {
            this.waiting.delete(message.request);
            reply({ kind: 'budget-granted', request: message.request });
          },
          () => {
            // Cancelled by the worker (it is no longer waiting) or by close(): nothing to say.
            this.waiting.delete(message.request);
          },
        );
        return;
      }
      case 'budget-cancel':
        this.waiting.get(message.request)?.abort();
        this.waiting.delete(message.request);
        return;
      case 'budget-observe':
        budget?.observe(new Headers(message.headers), { retryAfterGiven: message.retryAfterGiven });
        return;
      case 'budget-pause':
        if (Number.isFinite(message.ms) && message.ms > 0) budget?.pauseFor(Math.min(message.ms, 3_600_000));
        return;
    }
  }

  close(): void {
    for (const controller of this.waiting.values()) controller.abort();
    this.waiting.clear();
  }
}
