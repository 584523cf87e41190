import { abortReason, type Runtime } from '../clock.ts';

/**
 * Virtual time: `sleep` records the wait, advances the clock at once and resolves on the next
 * macrotask, so tests assert exact waits (Retry-After, backoff) without spending them.
 */
export interface FakeRuntime extends Runtime {
  sleeps: number[];
  advance(ms: number): void;
}

export function fakeRuntime(options: { start?: number; random?: () => number } = {}): FakeRuntime {
  let now = options.start ?? Date.UTC(2026, 5, 1, 12, 0, 0);
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    random: options.random ?? (() => 0.5),
    advance(ms: number) {
      now += ms;
    },
    sleep(ms: number, signal?: AbortSignal) {
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      sleeps.push(ms);
      now += ms;
      return new Promise((resolve, reject) => {
        const onAbort = (): void => reject(abortReason(signal as AbortSignal));
        signal?.addEventListener('abort', onAbort, { once: true });
        setImmediate(() => {
          signal?.removeEventListener('abort', onAbort);
          if (signal?.aborted) reject(abortReason(signal));
          else resolve();
        });
      });
    },
  };
}
