/**
 * Sort-order preparation on the main thread, alone: what `prepareSortOrdersInSlices` does after a
 * sync, without the sync around it. Builds a query engine from the sandbox's users (the JSON the
 * platform serves, parsed as the sync worker does), then prepares every text column in slices while
 * sampling the event loop, timing every slice and every generator step, and recording each GC pause
 * (PerformanceObserver 'gc'). Prints ONE JSON document. BENCH_USERS (default 200,000).
 */
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { RosterQueryEngine } from '../electron/core/roster/query/roster-query-engine.ts';
import { prepareSortOrdersInSlices } from '../electron/core/roster/sync/roster-sync-service.ts';
import { createUniversity } from '../electron/sandbox/university/index.ts';
import type { Connection } from '../shared/domain/platform.ts';

const USERS = Number(process.env.BENCH_USERS ?? 200_000);
const round = (n: number) => Math.round(n * 10) / 10;

const u = createUniversity({ users: USERS, seed: 'bench', now: new Date('2026-11-24T15:00:00Z') });
const all = { statuses: null, roles: null, provider: null, q: null, updatedSinceMs: null };
const engine = new RosterQueryEngine();
engine.reserve(USERS);
let buildMs = performance.now();
for (let after = -1; ;) {
  const page = u.pageJson(all, after, 1000, USERS);
  engine.upsert(page.items.map((text) => JSON.parse(text) as Connection));
  after = page.lastScanned;
  if (page.exhausted) break;
  // As in the app the rows arrive over many turns: the scavenger sees them age normally.
  await new Promise<void>((resolve) => setImmediate(resolve));
}
buildMs = performance.now() - buildMs;

const gcKinds: Record<number, string> = {
  1: 'scavenge',
  2: 'minor-ms',
  4: 'mark-compact',
  8: 'incremental',
  16: 'weak-cb',
};
const gcs: Array<{ kind: string; ms: number }> = [];
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = (entry as { detail?: { kind?: number } }).detail?.kind ?? 0;
    gcs.push({ kind: gcKinds[kind] ?? String(kind), ms: round(entry.duration) });
  }
});
observer.observe({ entryTypes: ['gc'] });

const slices: number[] = [];
const delay = monitorEventLoopDelay({ resolution: 1 });
const began = performance.now();
delay.enable();
let cpu = process.threadCpuUsage();
const long: Array<{ ms: number; cpuMs: number; steps: number; at: number }> = [];
await prepareSortOrdersInSlices(engine, {
  onSlice: (ms, steps) => {
    const used = process.threadCpuUsage(cpu);
    cpu = process.threadCpuUsage();
    slices.push(ms);
    if (ms > 30)
      long.push({ ms: round(ms), cpuMs: round((used.user + used.system) / 1000), steps, at: slices.length });
  },
});
delay.disable();
const prepareMs = performance.now() - began;
await new Promise((resolve) => setTimeout(resolve, 50));
observer.disconnect();

const firstSort = (field: 'email' | 'lastName' | 'userId') => {
  const t = performance.now();
  engine.query({
    filter: {},
    sort: { field, direction: 'asc' },
    offset: 0,
    limit: 100,
    now: new Date().toISOString(),
  });
  return round(performance.now() - t);
};
const sortedSlices = [...slices].sort((a, b) => b - a);
console.log(
  JSON.stringify({
    users: USERS,
    buildMs: Math.round(buildMs),
    prepareMs: Math.round(prepareMs),
    slices: slices.length,
    longestSlicesMs: sortedSlices.slice(0, 5).map(round),
    slicesOver30Ms: long,
    eventLoopDelay: { maxMs: round(delay.max / 1e6), p99Ms: round(delay.percentile(99) / 1e6) },
    gc: {
      count: gcs.length,
      totalMs: round(gcs.reduce((s, g) => s + g.ms, 0)),
      longest: [...gcs].sort((a, b) => b.ms - a.ms).slice(0, 5),
    },
    firstSortMs: { email: firstSort('email'), lastName: firstSort('lastName'), userId: firstSort('userId') },
    heapMB: Math.round(process.memoryUsage().heapUsed / 1e6),
  }),
);
