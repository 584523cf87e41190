import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { methods, VerdictFacetValue, type MethodName } from '../../../shared/contract/index.ts';
import type { Connection } from '../../../shared/domain/platform.ts';
import { startSandbox, type Sandbox } from '../../sandbox/index.ts';
import { createDispatcher, type CallContext, type Handlers } from '../ipc/dispatcher.ts';
import { createJobsFeature, type JobsFeature } from '../jobs/jobs-feature.ts';
import { JournalDatabase } from '../journal/journal-database.ts';
import { EnvKeyWrapper } from '../crypto/env-key-wrapper.ts';
import { createMemoryLogger } from '../log/logger.ts';
import { PlatformClient } from '../platform/client.ts';
import { disconnectPlatformOf } from './platform-port.ts';

// Real HTTP against the sandbox: the platform client, If-Match, Idempotency-Key and 412s are the real ones.
let sandbox: Sandbox;
let client: PlatformClient;
let feature: JobsFeature;
let journal: JournalDatabase;
const director: CallContext = { transport: 'test', operator: { id: 'oid-director', role: 'director' } };

beforeAll(async () => {
  sandbox = await startSandbox({ users: 1500, identity: false, rateLimit: { perSecond: 400, burst: 400 } });
  // The key's budget learns the sandbox's 400/s from its RateLimit headers.
  client = new PlatformClient({ baseUrl: sandbox.platformUrl, apiKey: sandbox.apiKey });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  await fetch(`${sandbox.adminUrl}/reset`, { method: 'POST' });
  journal?.close();
  journal = JournalDatabase.open({
    folder: null,
    keyWrapper: new EnvKeyWrapper({ CONSOLE_DATA_KEY: Buffer.alloc(32, 1).toString('base64') }),
  });
  feature = createJobsFeature({
    logger: createMemoryLogger(),
    events: null,
    journal,
    platform: disconnectPlatformOf(async () => client),
    migration: () => client.getMigration(),
    dueCheckMs: 0,
    concurrency: 8,
  });
});

async function everyone(): Promise<Connection[]> {
  const all: Connection[] = [];
  for await (const page of client.connectionPages({ limit: 1000 })) all.push(...page.items);
  return all;
}

async function effectsPerUser(): Promise<Record<string, number>> {
  const reply = await fetch(`${sandbox.adminUrl}/side-effects/force-disconnect`);
  return ((await reply.json()) as { perUser: Record<string, number> }).perUser;
}

async function reauthorize(userIds: string[], afterMs?: number): Promise<void> {
  const reply = await fetch(`${sandbox.adminUrl}/reauthorize`, {
    method: 'POST',
    body: JSON.stringify({ userIds, ...(afterMs === undefined ? {} : { afterMs }) }),
  });
  expect(reply.ok).toBe(true);
}

async function runToEnd(jobId: string) {
  const progress = await feature.engine.run(jobId, { operator: true });
  return progress;
}

describe('force-disconnect against the sandbox', () => {
  it('resolves a Users filter with a verdict against the latest verifications, and refuses one it cannot resolve', async () => {
    const legacy = (await everyone()).filter((c) => c.status === 'legacy').slice(0, 3);
    const missing = 1 << VerdictFacetValue.options.indexOf('missing');
    const withResults = createJobsFeature({
      logger: createMemoryLogger(),
      events: null,
      journal,
      platform: disconnectPlatformOf(async () => client),
      migration: () => client.getMigration(),
      dueCheckMs: 0,
      verdicts: () => new Map([[legacy[1]!.userId, missing]]),
    });
    const selection = {
      kind: 'filter' as const,
      filter: { status: ['legacy' as const], verdict: ['missing' as const] },
      exceptIds: [],
    };
    const preview = await withResults.disconnect.preview(selection);
    expect(preview.preview).toMatchObject({ selected: 1, eligible: 1 });
    await expect(feature.disconnect.preview(selection)).rejects.toThrow(
      /verdict filter needs the latest verifications/,
    );
  });

  it('previews a CSV from fresh state: unknown and duplicate entries listed, exclusions counted with reasons', async () => {
    const all = await everyone();
    const legacy = all.filter((c) => c.status === 'legacy').slice(0, 5);
    const migrated = all.find((c) => c.status === 'migrated');
    const notAffected = all.find((c) => c.status === 'not_affected');
    expect(migrated && notAffected).toBeTruthy();
    const text = [
      '\uFEFFemail',
      legacy[0]!.email.toUpperCase(),
      legacy[1]!.userId,
      '',
      legacy[1]!.email,
      'nobody@example.invalid',
      'u_NOSUCHUSER',
      migrated!.userId,
      notAffected!.email,
      ...legacy.slice(2).map((c) => c.userId),
    ].join('\r\n');
    const preview = await feature.handlers['disconnect.preview'](
      { selection: { kind: 'csv', text } },
      director,
    );
    expect(preview.eligible).toBe(5);
    const reasons = Object.fromEntries(preview.excluded.map((e) => [e.reason, e]));
    expect(reasons['unknown']?.items).toEqual(['line 6: nobody@example.invalid', 'line 7: u_NOSUCHUSER']);
    expect(reasons['duplicate']?.items).toEqual([`line 5: ${legacy[1]!.email}`]);
    expect(reasons['reauthorized']?.count).toBe(1);
    expect(reasons['not_affected']?.count).toBe(1);
    const dry = await feature.handlers['disconnect.dryRun']({ selection: { kind: 'csv', text } }, director);
    expect(dry.rowCount).toBe(5);
    expect(Object.keys(await effectsPerUser())).toEqual([]);
  });

  it('disconnects each selected legacy user exactly once, skips who re-authorized since selection (412) or during the job, touches nobody else', async () => {
    const all = await everyone();
    const legacy = all.filter((c) => c.status === 'legacy' && c.role === 'alumni');
    const selection = {
      kind: 'filter' as const,
      filter: { status: ['legacy' as const], role: ['alumni' as const] },
      exceptIds: [],
    };
    const job = await feature.disconnect.create(
      { selection, reason: 'test', confirmCount: legacy.length, at: null },
      { createdBy: 'oid-director', createdByName: null },
    );
    const items = feature.engine.store.items(job.id);
    // Re-authorized after selection, before the run: their etag changed, the platform answers 412.
    const before = items.slice(0, 3).map((i) => i.target);
    await reauthorize(before);
    // Re-authorizing while the job runs (the last users in the job's order).
    const during = items.slice(-3).map((i) => i.target);
    await reauthorize(during, 30);
    const final = await runToEnd(job.id);
    expect(final.state).toBe('completed');
    const outcomes = Object.fromEntries(feature.engine.store.items(job.id).map((i) => [i.target, i.outcome]));
    for (const id of [...before, ...during]) expect(outcomes[id]).toBe('skipped_reauthorized');
    const effects = await effectsPerUser();
    const disconnected = Object.entries(outcomes)
      .filter(([, o]) => o === 'disconnected')
      .map(([id]) => id);
    expect(disconnected.length).toBe(legacy.length - 6);
    expect(Object.keys(effects).sort()).toEqual([...disconnected].sort());
    expect(Object.values(effects).every((n) => n === 1)).toBe(true);
    for (const id of [...before, ...during]) expect((await client.getConnection(id)).status).toBe('migrated');
    // The audit log has the job and every per-user action, and its chain verifies.
    const audit = feature.audit.list({ action: 'force-disconnect.user', limit: 1 });
    expect(audit.total).toBe(legacy.length);
    expect(feature.audit.verify().ok).toBe(true);
  });

  it('two jobs over the same users, run at once, never disconnect anyone twice', async () => {
    const all = await everyone();
    const users = all.filter((c) => c.status === 'legacy').slice(0, 60);
    const selection = { kind: 'ids' as const, userIds: users.map((u) => u.userId) };
    const by = { createdBy: 'oid-director', createdByName: null };
    const a = await feature.disconnect.create({ selection, reason: 'a', confirmCount: 60, at: null }, by);
    feature.engine.store.release(a.id, feature.engine.runnerId);
    const b = await feature.disconnect.create({ selection, reason: 'b', confirmCount: 60, at: null }, by);
    feature.engine.store.release(b.id, feature.engine.runnerId);
    const [ra, rb] = await Promise.all([runToEnd(a.id), runToEnd(b.id)]);
    expect((ra.counts.byOutcome['disconnected'] ?? 0) + (rb.counts.byOutcome['disconnected'] ?? 0)).toBe(60);
    const effects = await effectsPerUser();
    expect(Object.keys(effects).length).toBe(60);
    expect(Object.values(effects).every((n) => n === 1)).toBe(true);
    await expect(runToEnd(a.id)).rejects.toThrow(/never runs again/);
  });

  it('a job scheduled for the cut-off waits, then re-evaluates: only users still legacy at that moment are disconnected', async () => {
    let now = new Date();
    const scheduled = createJobsFeature({
      logger: createMemoryLogger(),
      events: null,
      journal,
      platform: disconnectPlatformOf(async () => client),
      migration: () => client.getMigration(),
      dueCheckMs: 0,
      now: () => now,
    });
    const users = (await everyone()).filter((c) => c.status === 'legacy').slice(0, 12);
    const selection = { kind: 'ids' as const, userIds: users.map((u) => u.userId) };
    const job = await scheduled.disconnect.create(
      { selection, reason: 'cut-off', confirmCount: 12, at: 'cutoff' },
      { createdBy: 'oid-director', createdByName: null },
    );
    expect(job.state).toBe('scheduled');
    expect(await scheduled.engine.runDue()).toEqual([]);
    await reauthorize(users.slice(0, 2).map((u) => u.userId));
    now = new Date(Date.parse(job.scheduledAt ?? '') + 60_000);
    const [ran] = await scheduled.engine.runDue();
    expect(ran?.state).toBe('completed');
    expect(ran?.counts.byOutcome).toEqual({ disconnected: 10, skipped_reauthorized: 2 });
    const skipped = scheduled.engine.store.items(job.id, { category: 'skipped' });
    expect(skipped[0]?.detail).toMatch(/by the scheduled time/);
    expect(Object.keys(await effectsPerUser()).length).toBe(10);
  });

  it('a filter matching nobody, a changed count and a Support operator are refused with clear messages', async () => {
    await expect(
      feature.handlers['disconnect.preview'](
        { selection: { kind: 'filter', filter: { q: 'zzzz-no-such-person' }, exceptIds: [] } },
        director,
      ),
    ).rejects.toThrow(/matches nobody/);
    const legacy = (await everyone()).filter((c) => c.status === 'legacy' && c.role === 'career_center');
    await expect(
      feature.handlers['disconnect.start'](
        {
          selection: {
            kind: 'filter',
            filter: { status: ['legacy'], role: ['career_center'] },
            exceptIds: [],
          },
          reason: 'x',
          confirmCount: legacy.length + 1,
          at: null,
        },
        director,
      ),
    ).rejects.toThrow(`${legacy.length.toLocaleString('en-US')} users are eligible now, not`);
    const dispatch = createDispatcher({
      handlers: feature.handlers as unknown as Handlers,
      logger: createMemoryLogger(),
      onCall: (call) => feature.recordCall(call),
    });
    const support: CallContext = { transport: 'ipc', operator: { id: 'oid-support', role: 'support' } };
    const guarded = (Object.keys(methods) as MethodName[]).filter(
      (name) =>
        name.startsWith('disconnect.') || ['bulk', 'force-disconnect'].includes(methods[name].permission),
    );
    expect(guarded).toEqual(
      expect.arrayContaining(['disconnect.start', 'disconnect.preview', 'jobs.resume', 'jobs.retryFailed']),
    );
    for (const name of guarded) {
      const reply = await dispatch(name, {}, support);
      expect(reply, name).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    // Each refusal is in the audit log, at the one door.
    expect(feature.audit.list({ outcome: 'forbidden' }).total).toBe(guarded.length);
    expect(Object.keys(await effectsPerUser())).toEqual([]);
  });
});
