import { describe, expect, it } from 'vitest';
import type { Connection } from '../../../../shared/domain/platform.ts';
import { createUniversity } from '../../../sandbox/university/index.ts';
import { RosterQueryEngine } from '../query/roster-query-engine.ts';
import { PREPARE_SLICE_MS, prepareSortOrdersInSlices } from './roster-sync-service.ts';

const NOW = '2026-11-24T15:00:00Z';

/** An engine holding the sandbox's users as the sync would feed them (their JSON, parsed). */
function engineOf(users: number): RosterQueryEngine {
  const university = createUniversity({ users, seed: 'slices', now: new Date(NOW) });
  const all = { statuses: null, roles: null, provider: null, q: null, updatedSinceMs: null };
  const engine = new RosterQueryEngine();
  engine.reserve(users);
  for (let after = -1; ;) {
    const page = university.pageJson(all, after, 1000, users);
    engine.upsert(page.items.map((text) => JSON.parse(text) as Connection));
    after = page.lastScanned;
    if (page.exhausted) break;
  }
  return engine;
}

/** Main-thread CPU milliseconds: unlike wall time, another process's load does not inflate it. */
function cpuSince(before: NodeJS.CpuUsage): number {
  const used = process.threadCpuUsage(before);
  return (used.user + used.system) / 1000;
}

const emailOrder = (engine: RosterQueryEngine) =>
  engine
    .query({ filter: {}, sort: { field: 'email', direction: 'asc' }, offset: 0, limit: 50, now: NOW })
    .rows.map((row) => row.userId);

describe('sort-order preparation in slices (40,000 users)', () => {
  const engine = engineOf(40_000);
  const reference = engineOf(40_000);

  it('never holds the main thread for more than a slice plus one short step, and lets other work in between', async () => {
    // Steps: each generator step's CPU time, driven directly.
    const steps = engine.prepareSortOrders();
    const stepCpu: number[] = [];
    for (let n = 0; ; n += 1) {
      const before = process.threadCpuUsage();
      const done = steps.next().done === true;
      stepCpu.push(cpuSince(before));
      if (done) break;
      // Give other work its turns now and then, as the slices do.
      if (n % 50 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    expect(engine.sortOrdersPrepared).toBe(true);
    expect(stepCpu.length).toBeGreaterThan(100);
    // A step is bounded work (about 8,000 ordinal comparisons): a few ms; an unsliced pass over
    // every value of a column, a sort above all, would take far longer.
    // One step may hold a garbage-collector pause of the engine built just before; more may not.
    expect(stepCpu.filter((ms) => ms >= 20).length).toBeLessThanOrEqual(1);
    expect([...stepCpu].sort((a, b) => a - b)[Math.floor(stepCpu.length * 0.99)]).toBeLessThan(10);

    // Slices: the driver as the sync service runs it, with a timer that wants to run meanwhile.
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 1);
    const slices: Array<{ cpuMs: number; steps: number }> = [];
    let before = process.threadCpuUsage();
    await prepareSortOrdersInSlices(reference, {
      onSlice: (_ms, count) => {
        slices.push({ cpuMs: cpuSince(before), steps: count });
        before = process.threadCpuUsage();
      },
    });
    clearInterval(ticker);
    expect(reference.sortOrdersPrepared).toBe(true);
    expect(slices.length).toBeGreaterThan(3);
    // Each slice stops once PREPARE_SLICE_MS have passed: its CPU is at most that plus one step.
    expect(Math.max(...slices.map((slice) => slice.cpuMs))).toBeLessThan(PREPARE_SLICE_MS * 3);
    expect(slices.every((slice) => slice.steps >= 1)).toBe(true);
    // The event loop turned between slices: the timer ran.
    expect(ticks).toBeGreaterThan(0);
    expect(emailOrder(engine)).toEqual(emailOrder(reference));
  }, 60_000);

  it('stops when told to, and a query then finishes the preparation under way with the same order', async () => {
    const stopped = engineOf(5_000);
    const whole = engineOf(5_000);
    let slices = 0;
    await prepareSortOrdersInSlices(stopped, { stop: () => true, onSlice: () => (slices += 1) });
    expect(slices).toBe(0);
    // A few steps, then abandoned (as when the console shuts down mid-way).
    const steps = stopped.prepareSortOrders();
    for (let n = 0; n < 3; n += 1) steps.next();
    expect(stopped.sortOrdersPrepared).toBe(false);
    expect(emailOrder(stopped)).toEqual(emailOrder(whole));
    // The rest is picked up where it stopped.
    await prepareSortOrdersInSlices(stopped);
    expect(stopped.sortOrdersPrepared).toBe(true);
    for (const field of ['lastName', 'firstName', 'userId', 'calendarMailbox'] as const) {
      const order = (engine: RosterQueryEngine) =>
        engine
          .query({ filter: {}, sort: { field, direction: 'desc' }, offset: 0, limit: 5_000, now: NOW })
          .rows.map((row) => row.userId);
      expect(order(stopped)).toEqual(order(whole));
    }
  }, 60_000);
});
