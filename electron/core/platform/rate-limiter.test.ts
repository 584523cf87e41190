import { describe, expect, it } from 'vitest';
import { TokenBucketLimiter } from './rate-limiter.ts';
import { fakeRuntime } from './test-support/fake-runtime.ts';

function headers(values: Record<string, string>): Headers {
  return new Headers(values);
}

describe('TokenBucketLimiter', () => {
  it('lets a burst through at once, then paces at the sustained rate', async () => {
    const runtime = fakeRuntime();
    const limiter = new TokenBucketLimiter(runtime, { ratePerSecond: 10, burst: 5 });
    limiter.observe(
      headers({ 'ratelimit-limit': '40', 'ratelimit-remaining': '39', 'ratelimit-reset': '1' }),
    );
    const start = runtime.now();
    for (let i = 0; i < 5; i += 1) await limiter.acquire();
    expect(runtime.now()).toBe(start);
    for (let i = 0; i < 10; i += 1) await limiter.acquire();
    // Ten more at 10/s take about a second of virtual time.
    expect(runtime.now() - start).toBeGreaterThanOrEqual(1000);
    expect(runtime.now() - start).toBeLessThanOrEqual(1010);
  });

  it('starts slow: one request until a reply says how much quota is left, then sizes to it once', async () => {
    const runtime = fakeRuntime();
    const limiter = new TokenBucketLimiter(runtime, { ratePerSecond: 10, burst: 30 });
    await limiter.acquire();
    expect(limiter.snapshot().tokens).toBeLessThan(1);
    limiter.observe(headers({ 'ratelimit-remaining': '12', 'ratelimit-reset': '1' }));
    expect(limiter.snapshot().tokens).toBe(12);
    // Later replies never raise it again: they may predate requests already sent.
    limiter.observe(headers({ 'ratelimit-remaining': '25', 'ratelimit-reset': '1' }));
    expect(limiter.snapshot().tokens).toBe(12);
  });

  it('serves waiters in arrival order', async () => {
    const runtime = fakeRuntime();
    const limiter = new TokenBucketLimiter(runtime, { ratePerSecond: 5, burst: 1 });
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => limiter.acquire().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it('trusts the server when it has fewer requests left, and waits for its reset at zero', async () => {
    const runtime = fakeRuntime();
    const limiter = new TokenBucketLimiter(runtime, { ratePerSecond: 20, burst: 40 });
    limiter.observe(
      headers({ 'ratelimit-limit': '40', 'ratelimit-remaining': '0', 'ratelimit-reset': '1.5' }),
    );
    const start = runtime.now();
    await limiter.acquire();
    expect(runtime.now() - start).toBeGreaterThanOrEqual(1500);
    expect(runtime.now() - start).toBeLessThan(1600);
  });

  it('shrinks to a smaller server limit', () => {
    const runtime = fakeRuntime();
    const limiter = new TokenBucketLimiter(runtime, { ratePerSecond: 20, burst: 40 });
    limiter.observe(headers({ 'ratelimit-limit': '10', 'ratelimit-remaining': '8', 'ratelimit-reset': '1' }));
    expect(limiter.snapshot().tokens).toBe(8);
    runtime.advance(10_000);
    expect(limiter.snapshot().tokens).toBe(10);
  });

  it('ignores the reset of a reply that also carries Retry-After (that one is applied by pauseFor)', async () => {
    const runtime = fakeRuntime();
    const limiter = new TokenBucketLimiter(runtime, { ratePerSecond: 20, burst: 40 });
    limiter.observe(headers({ 'ratelimit-remaining': '0', 'ratelimit-reset': '30', 'retry-after': '0.5' }), {
      retryAfterGiven: true,
    });
    limiter.pauseFor(500);
    const start = runtime.now();
    await limiter.acquire();
    expect(runtime.now() - start).toBe(500);
  });

  it('gives up waiting when the caller aborts, without using a token', async () => {
    const runtime = fakeRuntime();
    const limiter = new TokenBucketLimiter(runtime, { ratePerSecond: 1, burst: 1 });
    await limiter.acquire();
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(limiter.acquire(controller.signal)).rejects.toThrow('stop');
    // The queue is not wedged by the aborted waiter.
    await limiter.acquire();
    expect(limiter.snapshot().waiting).toBe(0);
  });
});
