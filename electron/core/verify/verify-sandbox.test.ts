import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemClass, UserVerification } from '../../../shared/contract/verify.ts';
import { EnvKeyWrapper } from '../crypto/env-key-wrapper.ts';
import { JobEngine } from '../jobs/job-engine.ts';
import { effectiveState, JobStore } from '../jobs/job-store.ts';
import { JournalDatabase } from '../journal/journal-database.ts';
import { createMemoryLogger } from '../log/logger.ts';
import { startSandbox, type Sandbox } from '../../sandbox/index.ts';
import { StaticTokenProvider } from '../graph/auth.ts';
import { GraphClient } from '../graph/client.ts';
import { realRuntime } from '../net/clock.ts';
import { RequestBudget } from '../net/request-budget.ts';
import { PlatformClient } from '../platform/client.ts';
import { VerifyPacer } from './pacer.ts';
import { verifyReportPieces } from './report.ts';
import { VERIFY_CSV_COLUMNS } from './report-csv.ts';
import { VerificationResultStore } from './results.ts';
import { createVerifyKind, VERIFY_KIND } from './verify-kind.ts';
import { verifyUser, type VerifyDeps } from './verify-user.ts';

/**
 * The verification engine against the sandbox's planted anomalies (ground truth from
 * /__sandbox/anomalies), over real HTTP: every class found, precision and recall 1.0.
 */
const NOW = new Date('2026-11-20T15:00:00Z');
let sandbox: Sandbox;
let deps: VerifyDeps;

function makeDeps(sb: Sandbox, pageSize?: number): VerifyDeps {
  return {
    platform: new PlatformClient({
      baseUrl: sb.platformUrl,
      apiKey: sb.apiKey,
      budget: new RequestBudget(realRuntime, { ratePerSecond: 10_000, burst: 10_000 }),
    }),
    graph: new GraphClient({ baseUrl: sb.graphUrl, tokens: new StaticTokenProvider(sb.graphAppToken) }),
    pacer: new VerifyPacer({ globalConcurrency: 16 }),
    now: () => NOW,
    ...(pageSize === undefined ? {} : { pageSize }),
  };
}

beforeAll(async () => {
  sandbox = await startSandbox({
    users: 3000,
    seed: 'verify-truth',
    now: NOW,
    rateLimit: { perSecond: 1000, burst: 1000 },
  });
  deps = makeDeps(sandbox);
});
afterAll(() => sandbox.close());

const KEY = Buffer.alloc(32, 5).toString('base64');
const by = { createdBy: 'director-1', createdByName: 'Dana Director' };

/** A verification job's journal, engine and result store; `deps` counts the users it verifies. */
function jobHarness(
  options: { journal?: JournalDatabase; heartbeatMs?: number; deps?: () => Promise<VerifyDeps> } = {},
) {
  const journal =
    options.journal ??
    JournalDatabase.open({ folder: null, keyWrapper: new EnvKeyWrapper({ CONSOLE_DATA_KEY: KEY }) });
  const results = new VerificationResultStore(journal);
  let verified = 0;
  const engine = new JobEngine({
    store: new JobStore(journal),
    logger: createMemoryLogger(),
    kinds: [
      createVerifyKind({
        deps: () => {
          verified += 1;
          return options.deps?.() ?? Promise.resolve(deps);
        },
        results: () => results,
        concurrency: 8,
      }),
    ],
    leaseMs: 400,
    heartbeatMs: options.heartbeatMs ?? 100,
  });
  const create = (userIds: readonly string[], params: Record<string, unknown> = {}) =>
    engine.create({
      kind: VERIFY_KIND,
      params: { selectionLabel: 'test', ...params },
      ...by,
      items: userIds.map((target) => ({ target, personal: null, facts: {} })),
    });
  return { journal, results, engine, create, verified: () => verified };
}

async function truth(sb: Sandbox): Promise<Array<{ userId: string; itemId: string; class: string }>> {
  const reply = await fetch(`${sb.adminUrl}/anomalies`);
  return ((await reply.json()) as { items: Array<{ userId: string; itemId: string; class: string }> }).items;
}

describe('verification against the planted anomalies', () => {
  it('finds every class with precision and recall 1.0', async () => {
    const planted = await truth(sandbox);
    expect(new Set(planted.map((a) => a.class))).toEqual(
      new Set(['missing', 'id_changed', 'mismatch', 'duplicate', 'legacy_id']),
    );
    const anomalyUsers = [...new Set(planted.map((a) => a.userId))];
    // Plus clean users with items, so false positives have somewhere to show.
    const clean: string[] = [];
    for await (const c of deps.platform.listConnections({ status: ['migrated', 'legacy'] })) {
      if (c.syncedItemCount > 0 && !anomalyUsers.includes(c.userId)) clean.push(c.userId);
      if (clean.length >= 40) break;
    }
    // Through a verification job: every user's result read back from the journal.
    const harness = jobHarness();
    const job = harness.create([...anomalyUsers, ...clean]);
    const progress = await harness.engine.run(job.id, { operator: true });
    expect(progress.state).toBe('completed');
    expect(progress.counts.pending + progress.counts.inFlight).toBe(0);
    const results = new Map<string, UserVerification>();
    for (const userId of [...anomalyUsers, ...clean]) {
      const stored = harness.results.get(userId);
      expect(stored?.jobId, userId).toBe(job.id);
      results.set(userId, stored!);
    }
    // The job's outcomes are the verdicts.
    const byVerdict: Record<string, number> = {};
    for (const r of results.values()) byVerdict[r.verdict] = (byVerdict[r.verdict] ?? 0) + 1;
    for (const [verdict, n] of Object.entries(byVerdict)) expect(progress.counts.byOutcome[verdict]).toBe(n);
    const checked = [...results.values()].filter((r) => r.graphChecked);
    const found = new Set<string>();
    for (const r of checked) {
      expect(r.counts.unverified).toBe(0);
      for (const item of r.items)
        if (item.class !== 'ok') found.add(`${r.userId}|${item.itemId}|${item.class}`);
    }
    const expected = new Set(
      planted
        .filter((a) => results.get(a.userId)?.graphChecked)
        .map((a) => `${a.userId}|${a.itemId}|${a.class}`),
    );
    const perClass = (cls: string) => ({
      truePositives: [...found].filter((k) => k.endsWith(`|${cls}`) && expected.has(k)).length,
      found: [...found].filter((k) => k.endsWith(`|${cls}`)).length,
      expected: [...expected].filter((k) => k.endsWith(`|${cls}`)).length,
    });
    for (const cls of ['missing', 'id_changed', 'mismatch', 'duplicate', 'legacy_id']) {
      const { truePositives, found: f, expected: e } = perClass(cls);
      expect(e, `planted ${cls}`).toBeGreaterThan(0);
      expect(truePositives / f, `precision ${cls}`).toBe(1);
      expect(truePositives / e, `recall ${cls}`).toBe(1);
    }
    // Users skipped for want of a mailbox are exactly the ones whose mailbox is gone or inactive.
    for (const r of results.values()) {
      if (r.graphChecked) continue;
      expect(r.verdict).toBe('no_mailbox');
      expect(['mailbox_not_found', 'mailbox_inactive']).toContain(r.platform.lastErrorCode);
    }
    // Verdicts follow the counts.
    for (const r of checked) {
      const anomalies = r.items.filter((i) => i.class !== 'ok').length;
      expect(r.verdict).toBe(anomalies > 0 ? 'anomalies' : 'ok');
    }
  }, 120_000);

  it('reports the new id for id_changed and legacy_id, and says by how much a mismatch differs', async () => {
    const planted = await truth(sandbox);
    const pick = (cls: string) => planted.find((a) => a.class === cls)!;
    for (const cls of ['id_changed', 'legacy_id', 'mismatch'] as const) {
      const a = pick(cls);
      const r = await verifyUser(deps, a.userId);
      const item = r.items.find((i) => i.itemId === a.itemId)!;
      expect(item.class).toBe(cls satisfies ItemClass);
      if (cls === 'mismatch') expect(item.detail).toMatch(/start [+−](30 min|1 h|1 day)|title differs/);
      else {
        expect(item.newId).toMatch(/^AAMkA/);
        expect(item.newId).not.toBe(item.externalEventId);
      }
    }
  }, 60_000);

  it('follows @odata.nextLink verbatim: the same answers with pages of 3 events', async () => {
    const planted = await truth(sandbox);
    const userId = planted.find((a) => a.class === 'duplicate')!.userId;
    const paged = await verifyUser(makeDeps(sandbox, 3), userId);
    const whole = await verifyUser(deps, userId);
    expect(paged.items).toEqual(whole.items);
    expect(paged.counts.duplicate).toBeGreaterThan(0);
  }, 60_000);

  it('without Graph access: a platform-only check that says what it could not check', async () => {
    const planted = await truth(sandbox);
    const r = await verifyUser({ ...deps, graph: null }, planted[0]!.userId);
    expect(r.verdict).toBe('platform_only');
    expect(r.graphChecked).toBe(false);
    expect(r.items).toEqual([]);
    expect(r.platform.itemsRead).toBeGreaterThan(0);
    expect(r.notChecked.join(' ')).toMatch(/calendar was not read/);
  });

  it('a user that does not exist on the platform is a failed verdict with the reason, not a crash', async () => {
    const r = await verifyUser(deps, 'u_00000000000000000000000000');
    expect(r.verdict).toBe('failed');
    expect(r.error).toMatch(/has no user/);
  });
});

describe('verification jobs', () => {
  it('a killed runner (its lease lapses mid-job) is resumed by itself, and users already verified are not verified again', async () => {
    const planted = await truth(sandbox);
    const users = [...new Set(planted.map((a) => a.userId))].slice(0, 16);
    const journal = JournalDatabase.open({
      folder: null,
      keyWrapper: new EnvKeyWrapper({ CONSOLE_DATA_KEY: KEY }),
    });
    // The first runner stops beating and its 7th user never returns: a SIGKILL seen from outside.
    let started = 0;
    const dying = jobHarness({
      journal,
      heartbeatMs: 60_000,
      deps: () => (++started >= 7 ? new Promise<VerifyDeps>(() => {}) : Promise.resolve(deps)),
    });
    const job = dying.create(users);
    void dying.engine.run(job.id, { operator: true });
    // Six users finish; every later one hangs in the dying runner.
    const settled = () => {
      const counts = dying.engine.store.counts(job.id);
      return counts.done + counts.skipped + counts.failed;
    };
    await expect.poll(settled, { timeout: 30_000 }).toBe(6);
    await expect
      .poll(() => effectiveState(dying.engine.store.require(job.id), Date.now()), { timeout: 5_000 })
      .toBe('interrupted');
    const before = dying.engine.store.items(job.id).filter((item) => item.state === 'done');
    const checkedBefore = new Map(
      before.map((item) => [item.target, dying.results.get(item.target)?.checkedAt]),
    );
    expect(before.length).toBe(6);

    // Another process: not destructive, so it resumes without an operator.
    const next = jobHarness({ journal });
    const done = await next.engine.run(job.id, { operator: false });
    expect(done.state).toBe('completed');
    expect(done.counts.done + done.counts.skipped + done.counts.failed).toBe(users.length);
    expect(next.verified()).toBe(users.length - before.length);
    for (const [userId, checkedAt] of checkedBefore)
      expect(next.results.get(userId)?.checkedAt).toBe(checkedAt);
    for (const userId of users) expect(next.results.get(userId)?.jobId).toBe(job.id);
  }, 90_000);

  it('a job started with Graph access pauses, saying why, where there is none, rather than check platform-only', async () => {
    const planted = await truth(sandbox);
    const harness = jobHarness({
      deps: async () => ({ ...deps, graph: null, noGraphReason: 'no app set up' }),
    });
    const job = harness.create([planted[0]!.userId], { graph: true });
    const progress = await harness.engine.run(job.id, { operator: true });
    expect(progress.state).toBe('paused');
    expect(progress.job.stateReason).toMatch(/no Graph access now \(no app set up\)/);
    expect(progress.counts.pending).toBe(1);
    expect(harness.results.get(planted[0]!.userId)).toBeNull();
  });

  it('reports a job as CSV and JSON that parse back to the stored results', async () => {
    const planted = await truth(sandbox);
    const users = [...new Set(planted.filter((a) => a.class === 'mismatch').map((a) => a.userId))].slice(
      0,
      3,
    );
    const harness = jobHarness();
    const job = harness.create(users);
    await harness.engine.run(job.id, { operator: true });
    const final = harness.engine.store.require(job.id);
    const csv = [...verifyReportPieces(harness.engine.store, harness.results, final, 'csv', 'label')].join(
      '',
    );
    const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
    expect(Object.keys(rows[0]!)).toEqual([...VERIFY_CSV_COLUMNS]);
    const json = JSON.parse(
      [...verifyReportPieces(harness.engine.store, harness.results, final, 'json', 'label')].join(''),
    ) as {
      jobId: string;
      byVerdict: Record<string, number>;
      users: Array<{ userId: string; verdict: string; counts: Record<string, number>; jobId: string }>;
      items: Array<{ userId: string; itemId: string; class: string }>;
    };
    expect(json.jobId).toBe(job.id);
    expect(json.users.map((u) => u.userId).sort()).toEqual([...users].sort());
    for (const userId of users) {
      const stored = harness.results.get(userId)!;
      const mine = rows.filter((r) => r['userId'] === userId);
      // A user without items checked (no mailbox) is one row saying why.
      expect(mine.map((r) => [r['itemId'], r['class'], r['verdict'], r['jobId']])).toEqual(
        stored.items.length === 0
          ? [['', '', stored.verdict, job.id]]
          : stored.items.map((i) => [i.itemId, i.class, stored.verdict, job.id]),
      );
      expect(json.items.filter((i) => i.userId === userId)).toEqual(stored.items);
      const user = json.users.find((u) => u.userId === userId)!;
      expect(user).toMatchObject({ verdict: stored.verdict, counts: stored.counts, jobId: job.id });
    }
    const checked = users.filter((u) => harness.results.get(u)?.graphChecked);
    expect(checked.length).toBeGreaterThan(0);
    for (const a of planted.filter((p) => checked.includes(p.userId)))
      expect(rows.find((r) => r['itemId'] === a.itemId)?.['class']).toBe(a.class);
  }, 60_000);
});
