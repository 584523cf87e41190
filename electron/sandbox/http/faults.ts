import { hashString, unit } from '../university/prng.ts';

/**
 * Transient failures the real services show, injected into non-admin requests. The n-th request
 * seen by an injector always gets the same fate for a given seed, so a failing test replays.
 *
 * | profile | 500 | 502 | 503+Retry-After | 503 bare | reset before | reset after | 429 burst start | slow |
 * | light   | 0.5%| 0.5%| 0.5%            | 0.25%    | 0.15%        | 0.1%        | 0.5% (3-6 req)  | 1% (0.3-1.2 s) |
 * | heavy   | 3%  | 2%  | 3%              | 2%       | 1%           | 1%          | 3% (5-15 req)   | 5% (1-3 s)     |
 *
 * "reset after" runs the request (side effects happen) and then drops the connection, which is
 * what makes Idempotency-Key worth having.
 */
export type FaultProfile = 'none' | 'light' | 'heavy';

export type Fault =
  | { kind: 'status'; status: 500 | 502 | 503; retryAfter: string | null }
  | { kind: 'reset'; when: 'before' | 'after' }
  | { kind: 'throttle'; retryAfter: string }
  | { kind: 'slow'; delayMs: number };

interface Rates {
  s500: number;
  s502: number;
  s503ra: number;
  s503: number;
  resetBefore: number;
  resetAfter: number;
  burst: number;
  burstLen: [number, number];
  slow: number;
  slowMs: [number, number];
}

const PROFILES: Record<Exclude<FaultProfile, 'none'>, Rates> = {
  light: {
    s500: 0.005,
    s502: 0.005,
    s503ra: 0.005,
    s503: 0.0025,
    resetBefore: 0.0015,
    resetAfter: 0.001,
    burst: 0.005,
    burstLen: [3, 6],
    slow: 0.01,
    slowMs: [300, 1200],
  },
  heavy: {
    s500: 0.03,
    s502: 0.02,
    s503ra: 0.03,
    s503: 0.02,
    resetBefore: 0.01,
    resetAfter: 0.01,
    burst: 0.03,
    burstLen: [5, 15],
    slow: 0.05,
    slowMs: [1000, 3000],
  },
};

export interface FaultInjector {
  readonly profile: FaultProfile;
  readonly latencyMs: number;
  /** The fate of the next request (null: serve normally). */
  next(): Fault | null;
  reset(): void;
}

export function createFaultInjector(
  profile: FaultProfile,
  seed: string,
  latencyMs = 0,
  stream = 'platform',
): FaultInjector {
  const seedHash = hashString(`${seed}/faults/${stream}`);
  let n = 0;
  let burstLeft = 0;
  return {
    profile,
    latencyMs,
    next() {
      const i = n++;
      if (profile === 'none') return null;
      const r = PROFILES[profile];
      const d = unit(seedHash, i, 1);
      const d2 = unit(seedHash, i, 2);
      // Retry-After values are fractional on purpose (Graph's own sample says 2.128).
      const fractional = (lo: number, hi: number) => (lo + d2 * (hi - lo)).toFixed(2);
      if (burstLeft > 0) {
        burstLeft--;
        return { kind: 'throttle', retryAfter: fractional(0.2, 1.5) };
      }
      let acc = 0;
      if (d < (acc += r.s500)) return { kind: 'status', status: 500, retryAfter: null };
      if (d < (acc += r.s502)) return { kind: 'status', status: 502, retryAfter: null };
      if (d < (acc += r.s503ra))
        return {
          kind: 'status',
          status: 503,
          retryAfter: d2 < 0.5 ? String(1 + Math.floor(d2 * 4)) : fractional(0.5, 2.5),
        };
      if (d < (acc += r.s503)) return { kind: 'status', status: 503, retryAfter: null };
      if (d < (acc += r.resetBefore)) return { kind: 'reset', when: 'before' };
      if (d < (acc += r.resetAfter)) return { kind: 'reset', when: 'after' };
      if (d < (acc += r.burst)) {
        burstLeft = r.burstLen[0] + Math.floor(d2 * (r.burstLen[1] - r.burstLen[0] + 1)) - 1;
        return { kind: 'throttle', retryAfter: fractional(0.2, 1.5) };
      }
      if (d < acc + r.slow)
        return { kind: 'slow', delayMs: Math.round(r.slowMs[0] + d2 * (r.slowMs[1] - r.slowMs[0])) };
      return null;
    },
    reset() {
      n = 0;
      burstLeft = 0;
    },
  };
}
