/**
 * Bulk force-disconnect (issue 11): a job of BENCH_DISCONNECT_USERS (default 10,000) legacy users run
 * by the job engine against the sandbox over real HTTP at its default limit (20 requests/s, burst
 * 40) with 150 ms added to every reply. Figures:
 * - achievedRps: force-disconnect requests answered (not 429) per second over the job's run;
 * - limitRps: the sandbox's limit; ratioToLimit = achievedRps / limitRps (target >= 0.9);
 * - throttledShare: share of the job's requests answered 429 (target <= 0.02);
 * - naiveRatioToLimit: a plain sequential loop (one request after the other, no pacing) over the
 *   same users, after a sandbox reset, measured for BENCH_NAIVE_SECONDS (default 60; at 150 ms a
 *   request it would take about 25 minutes to cover 10,000 users, and its rate does not change).
 * The sandbox's rate limit runs on the wall clock, so the job takes about 10,000 / 20 = 500 s: minutes,
 * not hours, without touching the sandbox clock (which only moves the migration's own timeline).
 */
import { createJobsFeature } from '../electron/core/jobs/jobs-feature.ts';
import { JournalDatabase } from '../electron/core/journal/journal-database.ts';
import { createMemoryLogger } from '../electron/core/log/logger.ts';
import { PlatformClient } from '../electron/core/platform/client.ts';
import { disconnectPlatformOf } from '../electron/core/disconnect/platform-port.ts';
import { idempotencyKeyOf } from '../electron/core/disconnect/disconnect-kind.ts';
import { startSandbox } from '../electron/sandbox/index.ts';
import type { Connection } from '../shared/domain/platform.ts';

const USERS = Number(process.env['BENCH_DISCONNECT_USERS'] ?? 10_000);
const NAIVE_SECONDS = Number(process.env['BENCH_NAIVE_SECONDS'] ?? 60);
const LIMIT = { perSecond: 20, burst: 40 };
const LATENCY_MS = 150;

const sandbox = await startSandbox({
  users: Math.ceil(USERS * 3.2),
  seed: 'bench-disconnect',
  identity: false,
  latencyMs: LATENCY_MS,
  rateLimit: LIMIT,
});
const admin = (path: string, init?: RequestInit) => fetch(`${sandbox.adminUrl}${path}`, init);

// The selection: the first USERS legacy users, read over HTTP as a preview would (not timed).
const reader = new PlatformClient({ baseUrl: sandbox.platformUrl, apiKey: sandbox.apiKey });
const selected: Connection[] = [];
for await (const page of reader.connectionPages({ limit: 1000, status: ['legacy'] })) {
  for (const connection of page.items) if (selected.length < USERS) selected.push(connection);
  if (selected.length >= USERS) break;
}
if (selected.length < USERS) throw new Error(`only ${selected.length} legacy users`);
await admin('/reset', { method: 'POST' });
// Let the per-key bucket refill after the selection's reads.
await new Promise((resolve) => setTimeout(resolve, 2_500));

const journal = JournalDatabase.open({ folder: null, keyWrapper: null });
const client = new PlatformClient({ baseUrl: sandbox.platformUrl, apiKey: sandbox.apiKey });
const feature = createJobsFeature({
  logger: createMemoryLogger('error'),
  events: null,
  journal,
  platform: disconnectPlatformOf(async () => client),
  migration: () => client.getMigration(),
  dueCheckMs: 0,
});
const job = feature.engine.create({
  kind: 'force-disconnect',
  params: { reason: 'bench', selectionLabel: 'bench' },
  createdBy: 'bench',
  createdByName: null,
  items: selected.map((c) => ({ target: c.userId, personal: null, facts: { etag: c.etag, role: c.role } })),
});
const began = performance.now();
const progress = await feature.engine.run(job.id, { operator: true });
const seconds = (performance.now() - began) / 1000;
const stats = (await (await admin('/stats')).json()) as {
  requests: { total: number; byStatus: Record<string, number> };
};
const throttled = stats.requests.byStatus['429'] ?? 0;
const answered = stats.requests.total - throttled;
const achievedRps = answered / seconds;

// The naive loop: one request after another, same users, fresh sandbox state.
await admin('/reset', { method: 'POST' });
await new Promise((resolve) => setTimeout(resolve, 2_500));
// One request after the other: the key's budget never holds it back at this pace.
const naiveClient = new PlatformClient({ baseUrl: sandbox.platformUrl, apiKey: sandbox.apiKey });
const naiveStart = performance.now();
let naiveDone = 0;
for (const user of selected) {
  if (performance.now() - naiveStart > NAIVE_SECONDS * 1000) break;
  try {
    await naiveClient.forceDisconnect(
      user.userId,
      { reason: 'naive' },
      { idempotencyKey: idempotencyKeyOf('naive', user.userId), ifMatch: user.etag },
    );
  } catch {
    // A naive loop does not care; its rate is what is measured.
  }
  naiveDone += 1;
}
const naiveSeconds = (performance.now() - naiveStart) / 1000;
const naiveStats = (await (await admin('/stats')).json()) as {
  requests: { total: number; byStatus: Record<string, number> };
};
const naiveAnswered = naiveStats.requests.total - (naiveStats.requests.byStatus['429'] ?? 0);

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
console.log(
  JSON.stringify({
    users: USERS,
    latencyMs: LATENCY_MS,
    limit: LIMIT,
    jobState: progress.state,
    disconnected: progress.counts.byOutcome['disconnected'] ?? 0,
    seconds: round(seconds, 1),
    requests: stats.requests.total,
    achievedRps: round(achievedRps, 2),
    limitRps: LIMIT.perSecond,
    ratioToLimit: round(achievedRps / LIMIT.perSecond),
    throttledShare: round(throttled / Math.max(1, stats.requests.total), 4),
    naiveUsersMeasured: naiveDone,
    naiveSeconds: round(naiveSeconds, 1),
    naiveRatioToLimit: round(naiveAnswered / naiveSeconds / LIMIT.perSecond),
  }),
);
journal.close();
await sandbox.close();
process.exit(0);
