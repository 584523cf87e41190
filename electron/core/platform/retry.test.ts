import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformClient } from './client.ts';
import { backoffDelay, DEFAULT_RETRY_POLICY, nextDelay, parseRetryAfter } from '../net/retry-policy.ts';
import { fakeRuntime } from '../net/test-support/fake-clock.ts';
import { migrationJson } from '../../../shared/domain/test-support/platform-samples.ts';
import { sendJson, sendProblem, startRawServer, type RawServer } from './test-support/raw-server.ts';

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);

describe('parseRetryAfter', () => {
  it('reads any delta-seconds, fractional included, to the millisecond', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 86_400 }), fc.integer({ min: 0, max: 999 }), (whole, millis) => {
        const text = `${whole}.${String(millis).padStart(3, '0')}`;
        expect(parseRetryAfter(text, NOW)).toBe(whole * 1000 + millis);
        expect(parseRetryAfter(String(whole), NOW)).toBe(whole * 1000);
      }),
    );
    expect(parseRetryAfter('0.75', NOW)).toBe(750);
    expect(parseRetryAfter('2.128', NOW)).toBe(2128);
  });

  it('reads an HTTP-date relative to now and never goes negative', () => {
    fc.assert(
      fc.property(fc.integer({ min: -3600, max: 3600 }), (offsetSeconds) => {
        const header = new Date(NOW + offsetSeconds * 1000).toUTCString();
        expect(parseRetryAfter(header, NOW)).toBe(Math.max(0, offsetSeconds * 1000));
      }),
    );
  });

  it('returns null for anything else, so the caller falls back to backoff', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/^\s*\d+(\.\d+)?\s*$/.test(s)),
        (garbage) => {
          const parsed = parseRetryAfter(garbage, NOW);
          // Only a real HTTP-date may parse.
          if (parsed !== null) expect(garbage).toMatch(/GMT$/);
        },
      ),
    );
    for (const bad of ['-1', 'soon', '1e3', '', '0x10', '1,5']) expect(parseRetryAfter(bad, NOW)).toBeNull();
    expect(parseRetryAfter(null, NOW)).toBeNull();
  });
});

describe('backoff', () => {
  it('stays within [0, min(cap, base * 2^(retry-1))) for any random draw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (retry, draw) => {
          const delay = backoffDelay(retry, DEFAULT_RETRY_POLICY, () => draw);
          const ceiling = Math.min(
            DEFAULT_RETRY_POLICY.maxDelayMs,
            DEFAULT_RETRY_POLICY.baseDelayMs * 2 ** (retry - 1),
          );
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(ceiling);
        },
      ),
    );
  });

  it('honours a Retry-After within 10 %, never less', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (retryAfter, draw) => {
          const delay = nextDelay(
            { attempts: 1, waitedMs: 0 },
            retryAfter,
            { ...DEFAULT_RETRY_POLICY, maxTotalDelayMs: 1e9 },
            () => draw,
          );
          expect(delay).not.toBeNull();
          expect(delay as number).toBeGreaterThanOrEqual(retryAfter);
          expect(delay as number).toBeLessThanOrEqual(Math.ceil(retryAfter * 1.1));
        },
      ),
    );
  });

  it('never exceeds the attempt or total-delay budget', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (retryAfters, draw) => {
          let waited = 0;
          let requests = 1;
          let failures = 0;
          let throttles = 0;
          // Each element is the outcome of the latest request: a failure (undefined) or a throttle.
          for (const retryAfter of retryAfters) {
            if (retryAfter === undefined) failures += 1;
            const state = { attempts: failures, throttles, waitedMs: waited };
            const delay = nextDelay(state, retryAfter, DEFAULT_RETRY_POLICY, () => draw);
            if (delay === null) break;
            if (retryAfter !== undefined) throttles += 1;
            waited += delay;
            requests += 1;
          }
          const { maxAttempts, maxThrottleRetries } = DEFAULT_RETRY_POLICY;
          expect(requests).toBeLessThanOrEqual(maxAttempts + maxThrottleRetries);
          expect(throttles).toBeLessThanOrEqual(maxThrottleRetries);
          expect(requests - throttles).toBeLessThanOrEqual(maxAttempts);
          expect(waited).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.maxTotalDelayMs);
        },
      ),
    );
  });
});

describe('retry timing through the client (injected clock)', () => {
  let server: RawServer;
  let plan: Array<{ retryAfter: string | null; status: number }> = [];
  beforeAll(async () => {
    server = await startRawServer((_req, res) => {
      const next = plan.shift();
      if (next === undefined) return sendJson(res, 200, migrationJson());
      sendProblem(
        res,
        next.status,
        next.status === 429 ? 'rate_limited' : 'unavailable',
        next.retryAfter === null ? {} : { 'retry-after': next.retryAfter },
      );
    });
  });
  afterAll(async () => server.close());

  it('waits what each 429/503 asks, fractional included, within 10 %', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ status: fc.constantFrom(429, 503), millis: fc.integer({ min: 1, max: 4_000 }) }),
          { minLength: 1, maxLength: 3 },
        ),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        async (steps, draw) => {
          plan = steps.map((s) => ({ status: s.status, retryAfter: (s.millis / 1000).toFixed(3) }));
          const runtime = fakeRuntime({ random: () => draw });
          const client = new PlatformClient({
            baseUrl: server.url,
            apiKey: 'k',
            runtime,
            retry: { maxTotalDelayMs: 60_000 },
          });
          await client.getMigration();
          // The limiter may also wait after a 429 pause; the sum of waits is what the server asked for.
          const waited = runtime.sleeps.reduce((a, b) => a + b, 0);
          const asked = steps.reduce((a, s) => a + s.millis, 0);
          expect(waited).toBeGreaterThanOrEqual(asked);
          expect(waited).toBeLessThanOrEqual(asked * 1.1 + steps.length);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('keeps one Idempotency-Key across any sequence of retryable failures', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(429, 500, 502, 503), { minLength: 0, maxLength: 4 }),
        async (statuses) => {
          plan = statuses.map((status) => ({ status, retryAfter: status === 429 ? '0.01' : null }));
          const before = server.requests.length;
          const client = new PlatformClient({ baseUrl: server.url, apiKey: 'k', runtime: fakeRuntime() });
          await client
            .createMagicLink({ userId: 'u_1', target: 'calendar-sync-settings', ttlMinutes: 30 })
            .catch(() => undefined);
          const keys = new Set(server.requests.slice(before).map((r) => r.headers['idempotency-key']));
          expect(server.requests.length - before).toBe(statuses.length + 1);
          expect(keys.size).toBe(1);
        },
      ),
      { numRuns: 20 },
    );
  });
});
