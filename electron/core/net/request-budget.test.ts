import { describe, expect, it } from 'vitest';
import { parsePolicy, RequestBudget, type Priority } from './request-budget.ts';
import { fakeRuntime } from './test-support/fake-clock.ts';

function headers(values: Record<string, string>): Headers {
  return new Headers(values);
}

describe('RequestBudget', () => {
  it('lets a burst through at once, then paces at the sustained rate', async () => {
    const runtime = fakeRuntime();
    const budget = new RequestBudget(runtime, { ratePerSecond: 10, burst: 5, headroom: 1 });
    budget.observe(headers({ 'ratelimit-limit': '5', 'ratelimit-remaining': '5', 'ratelimit-reset': '0' }));
    const start = runtime.now();
    for (let i = 0; i < 5; i += 1) await budget.acquire();
    expect(runtime.now()).toBe(start);
    for (let i = 0; i < 10; i += 1) await budget.acquire();
    // Ten more at 10/s take about a second of virtual time.
    expect(runtime.now() - start).toBeGreaterThanOrEqual(1000);
    expect(runtime.now() - start).toBeLessThanOrEqual(1010);
  });

  it('paces at the rate the server states in RateLimit-Policy, with headroom, not at a built-in one', async () => {
    const runtime = fakeRuntime();
    const budget = new RequestBudget(runtime); // guesses the contract's 20/s until told
    budget.observe(
      headers({
        'ratelimit-limit': '10',
        'ratelimit-remaining': '0',
        'ratelimit-reset': '0',
        'ratelimit-policy': '10;w=1',
      }),
    );
    expect(budget.snapshot().ratePerSecond).toBeCloseTo(9.6, 5);
    expect(budget.snapshot().burst).toBe(10);
    const start = runtime.now();
    for (let i = 0; i < 96; i += 1) await budget.acquire('background');
    // 96 requests at 9.6/s from an empty bucket: 10 s, never faster than the server's 10/s.
    expect(runtime.now() - start).toBeGreaterThanOrEqual(9_900);
    expect(runtime.now() - start).toBeLessThan(10_200);
  });

  it('reads the policy forms of the drafts', () => {
    expect(parsePolicy('40;w=2')).toEqual({ limit: 40, windowSeconds: 2 });
    expect(parsePolicy('"default";q=100;w=10')).toEqual({ limit: 100, windowSeconds: 10 });
    expect(parsePolicy('10, 100;w=60')).toBeNull();
    expect(parsePolicy('garbage')).toBeNull();
    expect(parsePolicy('0;w=1')).toBeNull();
  });

  it('without a stated policy, shrinks its rate guess with a smaller limit and after a 429', () => {
    const runtime = fakeRuntime();
    const budget = new RequestBudget(runtime, { ratePerSecond: 20, burst: 40, headroom: 1 });
    budget.observe(headers({ 'ratelimit-limit': '20', 'ratelimit-remaining': '20', 'ratelimit-reset': '0' }));
    expect(budget.snapshot().ratePerSecond).toBe(10);
    budget.pauseFor(500);
    expect(budget.snapshot().ratePerSecond).toBe(7.5);
  });

  it('starts slow: one request until a reply says how much quota is left, then sizes to it once', async () => {
    const runtime = fakeRuntime();
    const budget = new RequestBudget(runtime, { ratePerSecond: 10, burst: 30 });
    await budget.acquire();
    expect(budget.snapshot().tokens).toBeLessThan(1);
    budget.observe(headers({ 'ratelimit-remaining': '12', 'ratelimit-reset': '1' }));
    expect(budget.snapshot().tokens).toBe(12);
    // Later replies never raise it again: they may predate requests already sent.
    budget.observe(headers({ 'ratelimit-remaining': '25', 'ratelimit-reset': '1' }));
    expect(budget.snapshot().tokens).toBe(12);
  });

  it('serves waiters in arrival order within a priority', async () => {
    const runtime = fakeRuntime();
    const budget = new RequestBudget(runtime, { ratePerSecond: 5, burst: 1 });
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => budget.acquire('jobs').then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it('serves interactive before jobs before background sync, whatever the arrival order', async () => {
    const runtime = fakeRuntime();
    const budget = new RequestBudget(runtime, { ratePerSecond: 5, burst: 1 });
    await budget.acquire(); // spends the slow-start token: everyone below waits
    const order: string[] = [];
    const asks: Array<[Priority, string]> = [
      ['background', 'sync-1'],
      ['jobs', 'job-1'],
      ['background', 'sync-2'],
      ['interactive', 'ui-1'],
      ['jobs', 'job-2'],
      ['interactive', 'ui-2'],
    ];
    await Promise.all(asks.map(([p, name]) => budget.acquire(p).then(() => order.push(name))));
    expect(order).toEqual(['ui-1', 'ui-2', 'job-1', 'job-2', 'sync-1', 'sync-2']);
  });

  it('trusts the server when it has fewer requests left, and waits for its reset at zero', async () => {
    const runtime = fakeRuntime();
    const budget = new RequestBudget(runtime, { ratePerSecond: 20, burst: 40 });
    budget.observe(
      headers({ 'ratelimit-limit': '40', 'ratelimit-remaining': '0', 'ratelimit-reset': '1.5' }),
    );
    const start = runtime.now();
    await budget.acquire();
    expect(runtime.now() - start).toBeGreaterThanOrEqual(1500);
    expect(runtime.now() - start).toBeLessThan(1600);
  });

  it('takes the server limit as its bucket size', () => {
    const runtime = fakeRuntime();
    const budget = new RequestBudget(runtime, { ratePerSecond: 20, burst: 40 });
    budget.observe(headers({ 'ratelimit-limit': '10', 'ratelimit-remaining': '8', 'ratelimit-reset': '1' }));
    expect(budget.snapshot().tokens).toBe(8);
    runtime.advance(10_000);
    expect(budget.snapshot().tokens).toBe(10);
  });

  it('ignores the reset of a reply that also carries Retry-After (that one is applied by pauseFor)', async () => {
    const runtime = fakeRuntime();
    const budget = new RequestBudget(runtime, { ratePerSecond: 20, burst: 40 });
    budget.observe(headers({ 'ratelimit-remaining': '0', 'ratelimit-reset': '30', 'retry-after': '0.5' }), {
      retryAfterGiven: true,
    });
    budget.pauseFor(500);
    const start = runtime.now();
    await budget.acquire();
    expect(runtime.now() - start).toBe(500);
  });

  it('gives up waiting when the caller aborts, without using a token', async () => {
    const runtime = fakeRuntime();
    const budget = new RequestBudget(runtime, { ratePerSecond: 1, burst: 1 });
    await budget.acquire();
    const controller = new AbortController();
    const waiting = budget.acquire('jobs', controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    // The queue is not wedged by the aborted waiter.
    await budget.acquire();
    expect(budget.snapshot().waiting).toEqual({ interactive: 0, jobs: 0, background: 0 });
  });

  it('lets a background sync through behind an endless job, by aging, instead of starving it', async () => {
    const runtime = fakeRuntime();
    const budget = new RequestBudget(runtime, { ratePerSecond: 10, burst: 1, headroom: 1 });
    await budget.acquire();
    let jobsBefore = -1;
    let jobsDone = 0;
    const sync = budget.acquire('background').then(() => (jobsBefore = jobsDone));
    // A bulk job as the job engine runs one: 4 at a time, each asking when the previous is done.
    const runner = async (): Promise<void> => {
      while (jobsDone < 400) {
        await budget.acquire('jobs');
        jobsDone += 1;
      }
    };
    await Promise.all([sync, runner(), runner(), runner(), runner()]);
    // Waiting two aging steps (20 s at 10/s = ~200 permits) lifts it above the jobs.
    expect(jobsBefore).toBeGreaterThan(150);
    expect(jobsBefore).toBeLessThan(250);
  });
});
