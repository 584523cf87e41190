import { describe, expect, it } from 'vitest';
import { GraphBudget } from './graph-budget.ts';
import { SlidingWindowQuota } from './sliding-window.ts';
import { fakeRuntime } from './test-support/fake-clock.ts';

describe('SlidingWindowQuota', () => {
  it('never lets more than the limit into any window, and waits exactly until the oldest leaves it', async () => {
    const runtime = fakeRuntime();
    const quota = new SlidingWindowQuota(runtime, { limit: 3, windowMs: 1_000 });
    const start = runtime.now();
    const at: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      await quota.take('a');
      at.push(runtime.now() - start);
      runtime.advance(100);
    }
    expect(at).toEqual([0, 100, 200, 1_000, 1_100, 1_200, 2_000]);
    for (let i = 0; i < at.length; i += 1) {
      const inWindow = at.filter((t) => t > (at[i] as number) - 1_000 && t <= (at[i] as number));
      expect(inWindow.length).toBeLessThanOrEqual(3);
    }
    // Keys are independent.
    expect(quota.tryTake('b')).toBe(true);
  });

  it('counts costs (recipients), refuses a cost that can never fit, and serves a key first come first served', async () => {
    const runtime = fakeRuntime();
    const quota = new SlidingWindowQuota(runtime, { limit: 10, windowMs: 60_000 });
    expect(() => quota.tryTake('s', 11)).toThrow(RangeError);
    await quota.take('s', 8);
    const order: string[] = [];
    await Promise.all([
      quota.take('s', 5).then(() => order.push('big')),
      quota.take('s', 1).then(() => order.push('small')),
    ]);
    // The small one would fit at once, but does not overtake the big one that came first.
    expect(order).toEqual(['big', 'small']);
    expect(quota.usedBy('s')).toBe(6);
  });

  it('gives up a wait when the caller aborts', async () => {
    const runtime = fakeRuntime();
    const quota = new SlidingWindowQuota(runtime, { limit: 1, windowMs: 60_000 });
    await quota.take('k');
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(quota.take('k', 1, controller.signal)).rejects.toThrow('stop');
    expect(quota.usedBy('k')).toBe(1);
  });
});

describe('GraphBudget', () => {
  it('holds at most 4 requests in flight per mailbox, whatever the case of its address', async () => {
    const budget = new GraphBudget({ runtime: fakeRuntime() });
    const releases = await Promise.all(
      [1, 2, 3, 4].map((i) => budget.request(i % 2 ? 'Ada@Uni.edu' : 'ada@uni.edu')),
    );
    let fifth = false;
    const waiting = budget.request('ADA@uni.edu').then((release) => {
      fifth = true;
      return release;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(fifth).toBe(false);
    // Another mailbox is not held up.
    (await budget.request('grace@uni.edu'))();
    releases[0]?.();
    (await waiting)();
    expect(fifth).toBe(true);
  });

  it('paces a sending mailbox at 30 messages a minute and 10,000 recipients a day', async () => {
    const runtime = fakeRuntime();
    const budget = new GraphBudget({ runtime });
    const start = runtime.now();
    for (let i = 0; i < 31; i += 1) await budget.send('director@uni.edu', 1);
    expect(runtime.now() - start).toBe(60_000);
    expect(budget.sendingUsage('Director@uni.edu')).toEqual({ messagesLastMinute: 1, recipientsLastDay: 31 });

    const day = new GraphBudget({ runtime });
    const dayStart = runtime.now();
    for (let i = 0; i < 10; i += 1) {
      await day.send('bulk@uni.edu', 1_000);
      runtime.advance(60_000);
    }
    // The 10,001st recipient waits until the first message's recipients leave the 24-hour window.
    await day.send('bulk@uni.edu', 1);
    expect(runtime.now() - dayStart).toBe(24 * 3_600_000);
    await expect(day.send('bulk@uni.edu', 10_001)).rejects.toThrow(RangeError);
  });
});

describe('GraphBudget after a 429', () => {
  it('holds every request to the throttled mailbox until its Retry-After, and no other mailbox', async () => {
    const runtime = fakeRuntime();
    const budget = new GraphBudget({ runtime });
    const start = runtime.now();
    budget.pause('Ada@uni.edu', 2_128);
    (await budget.request('grace@uni.edu'))();
    expect(runtime.now()).toBe(start);
    (await budget.request('ada@uni.edu'))();
    expect(runtime.now() - start).toBe(2_128);
  });
});
