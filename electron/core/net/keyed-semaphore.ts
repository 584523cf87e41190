/**
 * At most N requests in flight per mailbox (Graph's Outlook limit is 4 concurrent requests per
 * app per mailbox; a fifth earns a 429). Waiters are served in arrival order.
 */
export class KeyedSemaphore {
  private readonly limit: number;
  private readonly active = new Map<string, number>();
  private readonly queues = new Map<string, Array<() => void>>();

  constructor(limit: number) {
    if (!(limit >= 1)) throw new RangeError('limit must be at least 1');
    this.limit = limit;
  }

  inFlight(key: string): number {
    return this.active.get(key) ?? 0;
  }

  async acquire(key: string, signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.inFlight(key) < this.limit) {
      this.active.set(key, this.inFlight(key) + 1);
      return this.releaser(key);
    }
    await new Promise<void>((resolve, reject) => {
      const queue = this.queues.get(key) ?? [];
      this.queues.set(key, queue);
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        const index = queue.indexOf(grant);
        if (index >= 0) queue.splice(index, 1);
        reject(signal?.reason);
      };
      queue.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    return this.releaser(key);
  }

  private releaser(key: string): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queues.get(key)?.shift();
      // The slot passes straight to the next waiter; the count only drops when nobody waits.
      if (next) next();
      else {
        const count = this.inFlight(key) - 1;
        if (count <= 0) this.active.delete(key);
        else this.active.set(key, count);
      }
      if (this.queues.get(key)?.length === 0) this.queues.delete(key);
    };
  }
}
