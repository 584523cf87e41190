/**
 * Per-key token buckets (default 20 tokens/s, burst 40). Headers follow the IETF RateLimit
 * draft: RateLimit-Limit is the bucket capacity, RateLimit-Remaining the whole tokens left,
 * RateLimit-Reset the seconds until the bucket is full again; RateLimit-Policy states the rate.
 */
export interface RateLimitDecision {
  allowed: boolean;
  headers: Record<string, string>;
  /** Seconds until one token is available (fractional), when refused. */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  take(key: string, nowMs?: number): RateLimitDecision;
  reset(): void;
}

export function createRateLimiter(options: { perSecond?: number; burst?: number } = {}): RateLimiter {
  const rate = options.perSecond ?? 20;
  const burst = options.burst ?? 40;
  const buckets = new Map<string, { tokens: number; last: number }>();

  function prune(now: number) {
    // Bounded memory: forget buckets that have refilled completely (they are indistinguishable from new ones).
    for (const [k, b] of buckets) if (b.tokens + ((now - b.last) / 1000) * rate >= burst) buckets.delete(k);
  }

  return {
    take(key, nowMs = performance.now()) {
      if (buckets.size > 10_000) prune(nowMs);
      const b = buckets.get(key) ?? { tokens: burst, last: nowMs };
      b.tokens = Math.min(burst, b.tokens + ((nowMs - b.last) / 1000) * rate);
      b.last = nowMs;
      const allowed = b.tokens >= 1;
      if (allowed) b.tokens -= 1;
      buckets.set(key, b);
      const retryAfterSeconds = allowed ? 0 : Math.max(0.01, Math.ceil(((1 - b.tokens) / rate) * 100) / 100);
      return {
        allowed,
        retryAfterSeconds,
        headers: {
          'ratelimit-limit': String(burst),
          'ratelimit-remaining': String(Math.floor(b.tokens)),
          'ratelimit-reset': String(Math.ceil((burst - b.tokens) / rate)),
          'ratelimit-policy': `${burst};w=${burst / rate}`,
        },
      };
    },
    reset() {
      buckets.clear();
    },
  };
}
