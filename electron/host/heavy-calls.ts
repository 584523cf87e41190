/**
 * Bounds the calls that hold a lot of memory until their reply has left (exports: the whole CSV, then its
 * JSON form, then the socket's buffer). At most `running` of them run at once, each holding its permit until
 * its reply is written out or the connection closes; up to `waiting` more wait in line; beyond that a
 * caller is told at once that the console is busy. So memory is bounded by `running` exports, however many
 * are asked for (2,000 concurrent CSV exports once took the host to 7.3 GB).
 */
export interface HeavyCallGateOptions {
  running?: number;
  waiting?: number;
}

export const DEFAULT_HEAVY_RUNNING = 2;
export const DEFAULT_HEAVY_WAITING = 8;

export type Permit = { release(): void };

export class HeavyCallGate {
  readonly #running: number;
  readonly #waiting: number;
  #active = 0;
  readonly #queue: Array<{ grant: (permit: Permit) => void; signal: AbortSignal; onAbort: () => void }> = [];

  constructor(options: HeavyCallGateOptions = {}) {
    this.#running = options.running ?? DEFAULT_HEAVY_RUNNING;
    this.#waiting = options.waiting ?? DEFAULT_HEAVY_WAITING;
  }

  /** How many run now, and how many wait (for tests and the log). */
  load(): { running: number; waiting: number } {
    return { running: this.#active, waiting: this.#queue.length };
  }

  /**
   * A permit to run, once one is free; null at once when the line is full, or when the caller goes away
   * while waiting (its place is given up).
   */
  acquire(signal: AbortSignal): Promise<Permit | null> {
    if (signal.aborted) return Promise.resolve(null);
    if (this.#active < this.#running) return Promise.resolve(this.#permit());
    if (this.#queue.length >= this.#waiting) return Promise.resolve(null);
    return new Promise((resolve) => {
      const entry = {
        grant: (permit: Permit) => resolve(permit),
        signal,
        onAbort: () => {
          const index = this.#queue.indexOf(entry);
          if (index >= 0) this.#queue.splice(index, 1);
          resolve(null);
        },
      };
      signal.addEventListener('abort', entry.onAbort, { once: true });
      this.#queue.push(entry);
    });
  }

  #permit(): Permit {
    this.#active += 1;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#active -= 1;
        const next = this.#queue.shift();
        if (next !== undefined) {
          next.signal.removeEventListener('abort', next.onAbort);
          next.grant(this.#permit());
        }
      },
    };
  }
}
