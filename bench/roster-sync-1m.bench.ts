/**
 * Roster sync at a million users: the main thread's responsiveness. Prints ONE JSON document.
 *
 * The sandbox (1,000,000 users, 5 ms latency) runs on its own worker thread, like a remote platform.
 * The real RosterSyncService then does a full sync into an encrypted store on disk (worker thread:
 * paging, validation, sealing, SQLite), while perf_hooks.monitorEventLoopDelay samples the main
 * thread, which only receives row batches and feeds the query engine (target: max delay < 100 ms).
 * Afterwards: the first query sorted by email (collator ranks) and a facet + search query on the
 * synced engine. With BENCH_CACHE_LOAD=1 also a restart that loads the sealed cache back into a new
 * engine (about a minute more at 1M). BENCH_USERS overrides the user count.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { CONSOLE_DATA_KEY_ENV, EnvKeyWrapper } from '../electron/core/crypto/env-key-wrapper.ts';
import { createMemoryLogger } from '../electron/core/log/logger.ts';
import { PlatformClient } from '../electron/core/platform/client.ts';
import { RosterSyncService } from '../electron/core/roster/sync/roster-sync-service.ts';
import { EncryptedStore } from '../electron/core/store/encrypted-store.ts';

const USERS = Number(process.env.BENCH_USERS ?? 1_000_000);
const LATENCY_MS = 5;
const NOW = new Date().toISOString();
const round = (n: number) => Math.round(n * 10) / 10;
const ms = (ns: number) => round(ns / 1e6);

const sandboxThread = new Worker(new URL('./support/sandbox-thread.ts', import.meta.url), {
  workerData: {
    users: USERS,
    identity: false,
    latencyMs: LATENCY_MS,
    rateLimit: { perSecond: 1e9, burst: 1e9 },
  },
});
const platform = await new Promise<{ platformUrl: string; apiKey: string }>((resolve, reject) => {
  sandboxThread.once('message', resolve);
  sandboxThread.once('error', reject);
});
const folder = mkdtempSync(join(tmpdir(), 'bench-roster-sync-1m-'));
const keyWrapper = new EnvKeyWrapper({ [CONSOLE_DATA_KEY_ENV]: randomBytes(32).toString('base64') });
/** Each sort-order preparation slice: wall and main-thread CPU milliseconds (CPU tells preemption apart). */
const slices: Array<{ ms: number; cpuMs: number }> = [];
let sliceCpu = process.threadCpuUsage();
const openService = (store: EncryptedStore) =>
  new RosterSyncService({
    onPrepareSlice: (ms) => {
      const used = process.threadCpuUsage(sliceCpu);
      slices.push({ ms, cpuMs: (used.user + used.system) / 1000 });
      sliceCpu = process.threadCpuUsage();
    },
    logger: createMemoryLogger('error'),
    events: null,
    store,
    platform: async () => ({ baseUrl: platform.platformUrl, apiKey: platform.apiKey }),
    // As in the app (roster-feature.ts): the platform's own total, read from GET /migration.
    expectedTotal: async () =>
      (
        await new PlatformClient({
          baseUrl: platform.platformUrl,
          apiKey: platform.apiKey,
        }).getMigration()
      ).counts.total,
    intervalMs: 0,
  });

let store = EncryptedStore.open({ dataFolder: folder, keyWrapper });
let sync = openService(store);
try {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  const cpuBefore = process.cpuUsage();
  let start = performance.now();
  delay.enable();
  await sync.syncNow('full');
  const fullMs = performance.now() - start;
  // The preparation alone as well, to tell its pauses from the sync's.
  const prepareDelay = monitorEventLoopDelay({ resolution: 10 });
  prepareDelay.enable();
  // The sort orders are prepared after the sync, off its critical path; the delay figure covers both.
  const prepareStart = performance.now();
  sliceCpu = process.threadCpuUsage();
  await sync.sortOrdersPrepared();
  const prepareMs = performance.now() - prepareStart;
  delay.disable();
  prepareDelay.disable();
  const mainCpu = process.cpuUsage(cpuBefore);
  const rows = sync.state().rowCount;

  const timed = <T>(work: () => T) => {
    const began = performance.now();
    const value = work();
    return { ms: round(performance.now() - began), value };
  };
  const firstEmailSort = timed(() =>
    sync.engine.query({
      filter: {},
      sort: { field: 'email', direction: 'asc' },
      offset: 0,
      limit: 100,
      now: NOW,
    }),
  );
  const facetSearch = timed(() =>
    sync.engine.query({
      filter: { status: ['legacy'], q: 'mar' },
      sort: { field: 'lastName', direction: 'asc' },
      offset: 0,
      limit: 100,
      now: NOW,
    }),
  );
  await sync.dispose();
  store.close();

  // A restart: the sealed cache is read back (worker) into a new engine (main thread).
  let cacheLoad: Record<string, number> | null = null;
  if (process.env.BENCH_CACHE_LOAD === '1') {
    store = EncryptedStore.open({ dataFolder: folder, keyWrapper });
    sync = openService(store);
    const loadDelay = monitorEventLoopDelay({ resolution: 10 });
    start = performance.now();
    loadDelay.enable();
    // start() loads the cache, then syncs; the figure is the load (the rows are in the engine before the sync).
    let loadMs = Number.NaN;
    const started = sync.start();
    while (Number.isNaN(loadMs)) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (sync.engine.size >= rows || sync.state().running !== null) loadMs = performance.now() - start;
    }
    loadDelay.disable();
    await started;
    cacheLoad = {
      ms: Math.round(loadMs),
      rows: sync.engine.size,
      eventLoopDelayMaxMs: ms(loadDelay.max),
      p99Ms: ms(loadDelay.percentile(99)),
    };
  }

  console.log(
    JSON.stringify({
      users: USERS,
      latencyMs: LATENCY_MS,
      fullSync: {
        ms: Math.round(fullMs),
        rows,
        mainThreadCpuMs: Math.round((mainCpu.user + mainCpu.system) / 1000),
      },
      sortOrderPreparation: {
        ms: Math.round(prepareMs),
        slices: slices.length,
        longestSliceMs: round(Math.max(0, ...slices.map((s) => s.ms))),
        longestSliceCpuMs: round(Math.max(0, ...slices.map((s) => s.cpuMs))),
        eventLoopDelayMaxMs: ms(prepareDelay.max),
        p99Ms: ms(prepareDelay.percentile(99)),
      },
      // From the start of the sync to the end of the sort-order preparation after it.
      eventLoopDelayDuringSync: {
        maxMs: ms(delay.max),
        p99Ms: ms(delay.percentile(99)),
        meanMs: ms(delay.mean),
        target: '< 100 ms max',
      },
      afterSync: {
        firstEmailSortMs: firstEmailSort.ms,
        facetSearchMs: facetSearch.ms,
        total: firstEmailSort.value.total,
      },
      cacheLoad,
      heapMB: Math.round(process.memoryUsage().heapUsed / 1e6),
    }),
  );
} finally {
  await sync.dispose();
  store.close();
  sandboxThread.postMessage('close');
  await new Promise((resolve) => sandboxThread.once('exit', resolve));
  rmSync(folder, { recursive: true, force: true });
}
