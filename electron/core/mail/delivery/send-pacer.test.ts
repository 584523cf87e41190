import { describe, expect, it } from 'vitest';
import { realRuntime } from '../../net/clock.ts';
import { GraphBudget } from '../../net/graph-budget.ts';
import { SendPacer } from './delivery-kind.ts';

// 4 messages per second: one every 255 ms with the pacer’s 2% margin (room for a busy machine’s late timers).
const INTERVAL_MS = 255;
const pacer = () =>
  new SendPacer(realRuntime, new GraphBudget({ messagesPerSender: { limit: 4, windowMs: 1_000 } }));

describe('SendPacer', () => {
  it('an aborted waiter leaves the queue at once, takes no slot, and nobody behind it overtakes the one before it', async () => {
    const p = pacer();
    const done: string[] = [];
    const at = new Map<string, number>();
    const wait = (name: string, signal?: AbortSignal) =>
      p.wait('Director@uni.edu', signal).then(
        () => {
          done.push(name);
          at.set(name, performance.now());
        },
        () => done.push(`${name} aborted`),
      );
    const first = wait('a');
    await first;
    const stop = new AbortController();
    // b sleeps for its slot; c queues behind it and is aborted; d queues behind c.
    const b = wait('b');
    const c = wait('c', stop.signal);
    const d = wait('d');
    stop.abort(new Error('paused'));
    await c;
    expect(done).toEqual(['a', 'c aborted']);
    await Promise.all([b, d]);
    expect(done).toEqual(['a', 'c aborted', 'b', 'd']);
    // c took no slot: d goes one interval after b, not two; and never with b.
    const gap = (at.get('d') as number) - (at.get('b') as number);
    expect(gap).toBeGreaterThanOrEqual(INTERVAL_MS - 5);
    expect(gap).toBeLessThan(2 * INTERVAL_MS - 5);
  });

  it('an already aborted signal never waits', async () => {
    const p = pacer();
    await p.wait('x@uni.edu');
    const stop = new AbortController();
    stop.abort(new Error('cancelled'));
    await expect(p.wait('x@uni.edu', stop.signal)).rejects.toThrow('cancelled');
  });
});
