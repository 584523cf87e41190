import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BudgetServer,
  isBudgetReply,
  isBudgetRequest,
  PortBudget,
  type BudgetReply,
} from './remote-budget.ts';
import { RequestBudget } from './request-budget.ts';
import { realRuntime } from './clock.ts';
import { fakeRuntime } from './test-support/fake-clock.ts';

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const channel of channels.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
});

/** A worker's PortBudget on one end of a real MessageChannel, the main thread's budget on the other. */
function across(
  budget: RequestBudget,
  options: ConstructorParameters<typeof PortBudget>[1] = {},
): { remote: PortBudget; server: BudgetServer } {
  const channel = new MessageChannel();
  channels.push(channel);
  const server = new BudgetServer();
  channel.port1.on('message', (message: { kind: string }) => {
    if (isBudgetRequest(message)) server.handle(message, budget, (reply) => channel.port1.postMessage(reply));
  });
  const remote = new PortBudget((message) => channel.port2.postMessage(message), options);
  channel.port2.on('message', (message: { kind: string }) => {
    if (isBudgetReply(message)) remote.handle(message as BudgetReply);
  });
  return { remote, server };
}

describe('a budget across a message port', () => {
  it("draws the worker's permits from the main thread's budget, behind the main thread's interactive calls", async () => {
    // Real time (20 permits/s): the worker's asks must still be waiting when the UI's arrive.
    const budget = new RequestBudget(realRuntime, { ratePerSecond: 20, burst: 1, headroom: 1 });
    await budget.acquire(); // the slow-start token: everyone below waits for refills
    const { remote } = across(budget);
    const order: string[] = [];
    const worker = [1, 2, 3].map((i) => remote.acquire('background').then(() => order.push(`sync-${i}`)));
    // Let the worker's requests reach the main thread first.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const ui = [1, 2].map((i) => budget.acquire('interactive').then(() => order.push(`ui-${i}`)));
    await Promise.all([...worker, ...ui]);
    expect(order).toEqual(['ui-1', 'ui-2', 'sync-1', 'sync-2', 'sync-3']);
    // One permit is asked for ahead of need (the prefetch), still in the main budget's queue.
    expect(budget.snapshot().waiting).toEqual({ interactive: 0, jobs: 0, background: 1 });
  });

  it("applies the worker's RateLimit headers and 429 pauses to the main budget", async () => {
    const runtime = fakeRuntime();
    const budget = new RequestBudget(runtime);
    const { remote } = across(budget);
    remote.observe(
      new Headers({
        'ratelimit-policy': '10;w=1',
        'ratelimit-limit': '10',
        'ratelimit-remaining': '3',
        'x-other': 'no',
      }),
    );
    remote.pauseFor(750);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const snapshot = budget.snapshot();
    expect(snapshot.policyKnown).toBe(true);
    expect(snapshot.burst).toBe(10);
    expect(snapshot.pausedUntil).toBeGreaterThanOrEqual(runtime.now() + 700);
  });

  it('cancels a waiting permit when the worker gives up, so it never consumes a token', async () => {
    const budget = new RequestBudget(realRuntime, { ratePerSecond: 1, burst: 1 });
    budget.pauseFor(1_000);
    const { remote } = across(budget, { prefetch: 0 });
    const controller = new AbortController();
    const waiting = remote.acquire('background', controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(budget.snapshot().waiting.background).toBe(1);
    controller.abort(new Error('sync stopped'));
    await expect(waiting).rejects.toThrow('sync stopped');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(budget.snapshot().waiting.background).toBe(0);
  });

  it('keeps one permit ready ahead of need, and drops it when the server says stop', async () => {
    const budget = new RequestBudget(realRuntime, { ratePerSecond: 1000, burst: 10, headroom: 1 });
    budget.observe(new Headers({ 'ratelimit-remaining': '10' }));
    const { remote } = across(budget);
    await remote.acquire();
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The prefetched permit came back: the next acquire needs no round trip.
    let second = false;
    const next = remote.acquire().then(() => (second = true));
    await Promise.resolve();
    await Promise.resolve();
    expect(second).toBe(true);
    await next;
    await new Promise((resolve) => setTimeout(resolve, 20));
    // A 429 arrives: the ready permit is dropped, so the next request waits for the pause.
    remote.pauseFor(300);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = performance.now();
    await remote.acquire();
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
  });
});
