/**
 * Bulk verification as the console runs it (a verification job on the job engine): 2,000 users × 25 synced items against the sandbox (platform and Graph) with
 * 50 ms latency on every reply and the sandbox's Graph limits (4 concurrent per mailbox, inner
 * $batch requests at most 4 at a time, 10,000 requests per 10 min per mailbox). Prints
 * { ms, floorMs, ratioToFloor, naiveMs, … } (docs/performance.md, docs/verification.md).
 *
 * floorMs: the least time the remote limits and the console's global cap allow. Each user costs
 * at least 3 platform requests (connection, synced items, sync log) and, through Graph, one
 * $batch per 20 items, each holding its request for ceil(n/4) latencies (the mailbox runs 4 inner
 * GETs at a time), plus one calendarView page: that is the request time a user needs. With
 * GLOBAL_CONCURRENCY requests in flight at most, floorMs = users × requestTime / cap. (The
 * per-mailbox chain of one user, 10 latencies, is far below it.)
 *
 * naiveMs: one GET per event, sequentially, for every user: measured over NAIVE_SAMPLE users and
 * scaled to all users (the loop is strictly sequential, so its time is linear in users); set
 * VERIFY_BENCH_NAIVE_FULL=1 to time all of them (≈ 45 min).
 *
 * The sandbox runs on its own thread (it stands for remote systems). The platform's own rate limit (20 requests/s per key) is lifted here, because the figure is about
 * Graph pacing; against a real platform its 3 reads per user bound a run at ~0.15 s per user.
 */
import { Worker } from 'node:worker_threads';
import { StaticTokenProvider } from '../electron/core/graph/auth.ts';
import { GraphClient } from '../electron/core/graph/client.ts';
import { realRuntime } from '../electron/core/net/clock.ts';
import { RequestBudget } from '../electron/core/net/request-budget.ts';
import { PlatformClient } from '../electron/core/platform/client.ts';
import { EnvKeyWrapper } from '../electron/core/crypto/env-key-wrapper.ts';
import { JobEngine } from '../electron/core/jobs/job-engine.ts';
import { JobStore } from '../electron/core/jobs/job-store.ts';
import { JournalDatabase } from '../electron/core/journal/journal-database.ts';
import { createMemoryLogger } from '../electron/core/log/logger.ts';
import { VerifyPacer } from '../electron/core/verify/pacer.ts';
import { VerificationResultStore } from '../electron/core/verify/results.ts';
import { createVerifyKind, VERIFY_KIND } from '../electron/core/verify/verify-kind.ts';
import { GLOBAL_CONCURRENCY } from '../electron/core/verify/verify-feature.ts';

const USERS = Number(process.env['VERIFY_BENCH_USERS'] ?? 2_000);
const ITEMS = 25;
const LATENCY_MS = 50;
const NAIVE_SAMPLE = Number(process.env['VERIFY_BENCH_NAIVE_SAMPLE'] ?? 20);
const BATCH = 20;
const MAILBOX_PARALLEL = 4;

const worker = new Worker(new URL('./verify-sandbox.worker.ts', import.meta.url), {
  workerData: { users: USERS, items: ITEMS, latencyMs: LATENCY_MS },
});
const sandbox = await new Promise<{
  platformUrl: string;
  graphUrl: string;
  adminUrl: string;
  apiKey: string;
  graphAppToken: string;
  picked: string[];
}>((resolve, reject) => {
  worker.once('message', resolve);
  worker.once('error', reject);
});
const picked = sandbox.picked;
if (picked.length < USERS) throw new Error(`only ${picked.length} users with ${ITEMS} items`);

// Every request's round trip, to compare with the nominal latency (a loaded machine stretches it).
const roundTrips: number[] = [];
const timedFetch = async (request: Request): Promise<Response> => {
  const began = performance.now();
  try {
    return await fetch(request);
  } finally {
    roundTrips.push(performance.now() - began);
  }
};
const platform = new PlatformClient({
  baseUrl: sandbox.platformUrl,
  apiKey: sandbox.apiKey,
  budget: new RequestBudget(realRuntime, { ratePerSecond: 1e6, burst: 1e6 }),
  fetch: timedFetch,
});
const pacer = new VerifyPacer({ globalConcurrency: GLOBAL_CONCURRENCY });
const graph = new GraphClient({
  baseUrl: sandbox.graphUrl,
  tokens: new StaticTokenProvider(sandbox.graphAppToken),
  fetch: timedFetch,
});
const counting = new GraphClient({
  baseUrl: sandbox.graphUrl,
  tokens: new StaticTokenProvider(sandbox.graphAppToken),
});

// The product's path: a verification job on the job engine, each result sealed into a journal
// (in memory here), the engine keeping DEFAULT_USER_CONCURRENCY users busy and the pacer capping requests.
const journal = JournalDatabase.open({
  folder: null,
  keyWrapper: new EnvKeyWrapper({ CONSOLE_DATA_KEY: Buffer.alloc(32, 3).toString('base64') }),
});
const results = new VerificationResultStore(journal);
const engine = new JobEngine({
  store: new JobStore(journal),
  logger: createMemoryLogger(),
  kinds: [createVerifyKind({ deps: async () => ({ platform, graph, pacer }), results: () => results })],
});
const job = engine.create({
  kind: VERIFY_KIND,
  params: { selectionLabel: 'bench' },
  createdBy: 'bench',
  createdByName: null,
  items: picked.map((target) => ({ target, personal: null, facts: {} })),
});
const began = performance.now();
const progress = await engine.run(job.id, { operator: true });
const ms = performance.now() - began;
if (progress.state !== 'completed')
  throw new Error(`the job ended ${progress.state}: ${progress.job.stateReason}`);
const verdicts = progress.counts.byOutcome;
journal.close();
const bulkRoundTrips = roundTrips.splice(0);
const meanRoundTripMs = bulkRoundTrips.reduce((a, b) => a + b, 0) / Math.max(1, bulkRoundTrips.length);

// The floor (see the header): request time per user over the global cap.
const graphRequestLatencies =
  Math.floor(ITEMS / BATCH) * Math.ceil(BATCH / MAILBOX_PARALLEL) +
  (ITEMS % BATCH === 0 ? 0 : Math.ceil((ITEMS % BATCH) / MAILBOX_PARALLEL)) +
  1;
const requestLatenciesPerUser = 3 + graphRequestLatencies;
const floorMs = (USERS * requestLatenciesPerUser * LATENCY_MS) / GLOBAL_CONCURRENCY;

// The naive loop: every stored id with its own GET, one after another.
const sample = picked.slice(0, process.env['VERIFY_BENCH_NAIVE_FULL'] === '1' ? picked.length : NAIVE_SAMPLE);
const naiveBegan = performance.now();
let naiveFound = 0;
for (const userId of sample) {
  const c = await platform.getConnection(userId);
  for await (const item of platform.listSyncedItems(userId, { limit: 1000 })) {
    try {
      await counting.getEvent(c.calendarMailbox ?? '', item.externalEventId);
      naiveFound += 1;
    } catch {
      // a missing or moved event: the naive loop just notes it
    }
  }
}
const naiveSampleMs = performance.now() - naiveBegan;
const naiveMs = (naiveSampleMs / sample.length) * USERS;

const stats = (await (await fetch(`${sandbox.adminUrl}/stats`)).json()) as {
  requests?: Record<string, number>;
};
worker.postMessage('close');
await new Promise((resolve) => worker.once('exit', resolve));

console.log(
  JSON.stringify({
    users: USERS,
    itemsPerUser: ITEMS,
    latencyMs: LATENCY_MS,
    globalConcurrency: GLOBAL_CONCURRENCY,
    ms: Math.round(ms),
    floorMs: Math.round(floorMs),
    ratioToFloor: Math.round((ms / floorMs) * 100) / 100,
    naiveMs: Math.round(naiveMs),
    requests: bulkRoundTrips.length,
    meanRoundTripMs: Math.round(meanRoundTripMs),
    // Σ round trips / cap: what the run would take at the round trips this machine actually gave.
    floorAtMeasuredRoundTripsMs: Math.round(bulkRoundTrips.reduce((a, b) => a + b, 0) / GLOBAL_CONCURRENCY),
    naiveSampleUsers: sample.length,
    naiveSampleMs: Math.round(naiveSampleMs),
    naiveEventsFound: naiveFound,
    speedupOverNaive: Math.round((naiveMs / ms) * 10) / 10,
    verdicts,
    pacerWaits: pacer.waits,
    sandboxRequestsByStatus: stats.requests ?? null,
  }),
);
