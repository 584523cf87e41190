/**
 * A clock that runs `factor` times faster than real time from `startMs`: one shared instance is
 * handed to the sandbox's Graph (its Exchange windows) and to the console's Graph budget and
 * timers, so both agree on time while an hour of paced sending passes in seconds. Shaped like
 * the core's `Runtime` (electron/core/net/clock.ts) without importing it.
 */
export interface ScaledClock {
  readonly factor: number;
  now(): number;
  /** Resolves after `ms` of scaled time (ms / factor of real time); rejects when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
}

export function createScaledClock(options: { factor: number; startMs?: number }): ScaledClock {
  const { factor } = options;
  if (!(factor >= 1)) throw new RangeError('A clock runs at least at real speed (factor ≥ 1).');
  const realStart = performance.now();
  const startMs = options.startMs ?? Date.now();
  return {
    factor,
    now: () => Math.floor(startMs + (performance.now() - realStart) * factor),
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise((resolve, reject) => {
        const onAbort = (): void => {
          clearTimeout(timer);
          reject(signal?.reason);
        };
        const timer = setTimeout(
          () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
          Math.max(0, ms / factor),
        );
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    random: () => Math.random(),
  };
}
