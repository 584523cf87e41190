import { describe, expect, it } from 'vitest';
import { VerifyPacer } from './pacer.ts';

function virtualPacer(options: { globalConcurrency: number; requestsPerWindow?: number; windowMs?: number }) {
  const clock = { now: 0 };
  const pacer = new VerifyPacer({
    ...options,
    now: () => clock.now,
    sleep: (ms) => {
      clock.now += ms;
      return Promise.resolve();
    },
  });
  return { pacer, clock };
}

describe('VerifyPacer', () => {
  it('never has more than the global cap in flight', async () => {
    const pacer = new VerifyPacer({ globalConcurrency: 3 });
    let inFlight = 0;
    let max = 0;
    const work = async () => {
      inFlight += 1;
      max = Math.max(max, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight -= 1;
    };
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => pacer.graph(`m${i % 4}@x`, 1, work)),
      ...Array.from({ length: 5 }, () => pacer.platform(work)),
    ]);
    expect(max).toBe(3);
  });

  it('keeps a mailbox within its window and waits for the oldest requests to leave it', async () => {
    const { pacer, clock } = virtualPacer({
      globalConcurrency: 4,
      requestsPerWindow: 100,
      windowMs: 600_000,
    });
    for (let i = 0; i < 5; i++) await pacer.graph('a@x', 20, async () => {});
    expect(pacer.inWindow('A@x')).toBe(100);
    expect(clock.now).toBe(0);
    // Another mailbox has its own window.
    await pacer.graph('b@x', 20, async () => {});
    expect(clock.now).toBe(0);
    await pacer.graph('a@x', 20, async () => {});
    expect(clock.now).toBe(600_000);
    expect(pacer.waits).toBe(1);
    expect(pacer.inWindow('a@x')).toBe(20);
  });

  it('holds a mailbox after a top-level 429 for its Retry-After, and only that mailbox', async () => {
    const { pacer, clock } = virtualPacer({ globalConcurrency: 4 });
    pacer.pause('a@x', 2_128);
    await pacer.graph('b@x', 1, async () => {});
    expect(clock.now).toBe(0);
    await pacer.graph('a@x', 1, async () => {});
    expect(clock.now).toBe(2_128);
  });

  it('cancelled waiters stop waiting', async () => {
    const pacer = new VerifyPacer({ globalConcurrency: 1 });
    let release!: () => void;
    const blocker = pacer.platform(() => new Promise<void>((r) => (release = r)));
    const controller = new AbortController();
    const waiting = pacer.graph('a@x', 1, async () => 'ran', controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    release();
    await blocker;
  });
});
