import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  JobSummary,
  RosterQueryResult,
  RosterSyncState,
  Troubleshooting,
  UserVerification,
} from '../../shared/contract/index.ts';
import type { ConsoleCore } from '../../electron/core/compose.ts';
import type { CallContext } from '../../electron/core/ipc/dispatcher.ts';
import { createMemoryLogger } from '../../electron/core/log/logger.ts';
import { composeBrowserCore } from '../../electron/host/compose-browser-core.ts';
import { startSandbox, type Sandbox } from '../../electron/sandbox/index.ts';

/**
 * Verification jobs through core.dispatch (the browser host's composition, a platform without
 * Graph access: platform-only checks): selections, results kept per user in the journal and
 * surviving a restart of the core, the roster's verdict filter and facet, reports, refusals.
 */
const director: CallContext = { transport: 'test', operator: { id: 'd', role: 'director' } };
const support: CallContext = { transport: 'test', operator: { id: 's', role: 'support' } };
let core: ConsoleCore;
let box: Sandbox;
let dir: string;

async function call<T>(method: string, input: unknown, context = director): Promise<T> {
  const reply = await core.dispatch(method, input, context);
  if (!reply.ok)
    throw Object.assign(new Error(`${method}: ${reply.error.message}`), { code: reply.error.code });
  return reply.value as T;
}

async function compose(): Promise<ConsoleCore> {
  const made = await composeBrowserCore({
    dataDir: dir,
    logger: createMemoryLogger(),
    demo: false,
    platform: { baseUrl: box.platformUrl, apiKey: box.apiKey },
  });
  core = made;
  for (let i = 0; i < 300; i += 1) {
    const state = await call<RosterSyncState>('roster.status', {});
    if (state.lastFullSyncAt !== null && state.running === null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return made;
}

async function finished(id: string): Promise<JobSummary> {
  for (let i = 0; i < 600; i += 1) {
    const job = await call<JobSummary>('jobs.get', { id });
    if (job.state !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`job ${id} did not finish`);
}

const query = (filter: Record<string, unknown>) =>
  call<RosterQueryResult>('roster.query', {
    filter,
    sort: { field: 'userId', direction: 'asc' },
    offset: 0,
    limit: 1000,
    now: new Date().toISOString(),
  });

beforeAll(async () => {
  box = await startSandbox({
    users: 600,
    seed: 'verify-jobs-core',
    identity: false,
    rateLimit: { perSecond: 2000, burst: 2000 },
  });
  dir = mkdtempSync(join(tmpdir(), 'verify-jobs-core-'));
  await compose();
}, 60_000);

afterAll(async () => {
  await core?.dispose();
  await box?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('verification jobs through the core', () => {
  it('verifies a filter minus unticked users, keeps each result, and the roster filters and counts by verdict', async () => {
    const before = await query({ verdict: ['never'] });
    expect(before.facets.verdict).toBeDefined();
    expect(before.total).toBe((await query({})).total);
    const legacy = await query({ status: ['legacy'], role: ['career_center'] });
    expect(legacy.total).toBeGreaterThan(3);
    const except = legacy.rows.slice(0, 2).map((r) => r.userId);
    const started = await call<JobSummary>('verify.start', {
      selection: {
        kind: 'filter',
        filter: { status: ['legacy'], role: ['career_center'] },
        exceptIds: except,
      },
    });
    expect(started.kind).toBe('verify');
    expect(started.total).toBe(legacy.total - 2);
    expect(started.label).toMatch(/status=legacy role=career_center except 2/);
    const job = await finished(started.id);
    expect(job.state).toBe('completed');
    // Platform-only here (no Graph access): each user says what was not checked.
    expect((job.counts['platform_only'] ?? 0) + (job.counts['no_items'] ?? 0)).toBe(job.total);

    const verified = await query({ verdict: ['ok', 'unverified'] });
    expect(verified.total).toBe(job.total);
    expect(verified.rows.map((r) => r.userId)).not.toContain(except[0]);
    const never = await query({ verdict: ['never'] });
    expect(never.total).toBe(before.total - job.total);
    expect(never.facets.verdict?.never).toBe(before.total - job.total);
    // A user carries the verdict facet's values; the latest verification says which job made it.
    const one = verified.rows[0]!.userId;
    const listed = await call<{ items: Array<{ userId: string; jobId?: string | null }> }>('verify.list', {
      offset: 0,
      limit: 1000,
    });
    expect(listed.items.find((s) => s.userId === one)?.jobId).toBe(job.id);
  }, 60_000);

  it('ids: duplicates once, unknown users a failed verdict; results and the filter outlive a restart; verify now replaces the latest', async () => {
    const some = (await query({ status: ['migrated'] })).rows.slice(0, 2).map((r) => r.userId);
    const started = await call<JobSummary>('verify.start', {
      selection: { kind: 'ids', userIds: [some[0], some[0], some[1], 'u_nobody0000000000000000000'] },
    });
    expect(started.total).toBe(3);
    const job = await finished(started.id);
    expect(job.counts['failed']).toBe(1);
    expect(job.progress.failed).toBe(1);

    await core.dispose();
    await compose();
    const report = await call<{ content: string; rowCount: number }>('verify.report', {
      id: job.id,
      format: 'json',
    });
    const doc = JSON.parse(report.content) as {
      users: Array<{ userId: string; verdict: string; error: string | null }>;
    };
    expect(report.rowCount).toBe(3);
    expect(doc.users.find((u) => u.userId === 'u_nobody0000000000000000000')).toMatchObject({
      verdict: 'failed',
    });
    expect((await query({ q: some[0], verdict: ['never'] })).total).toBe(0);

    const now = await call<UserVerification>('verify.user', { userId: some[0] }, support);
    const t = await call<Troubleshooting>('support.troubleshoot', { userId: some[0] }, support);
    expect(t.latestVerification?.checkedAt).toBe(now.checkedAt);
    const again = JSON.parse(
      (await call<{ content: string }>('verify.report', { id: job.id, format: 'json' })).content,
    ) as { users: Array<{ userId: string; jobId: string | null }> };
    // The report shows the latest verification: this user's is "verify now", not the job's.
    expect(again.users.find((u) => u.userId === some[0])?.jobId).toBeNull();
  }, 60_000);

  it('refuses what it cannot do, with the reason', async () => {
    await expect(
      call('verify.start', { selection: { kind: 'filter', filter: { q: 'zzzz-nobody-matches' } } }),
    ).rejects.toMatchObject({ code: 'conflict' });
    await expect(
      call('verify.start', { selection: { kind: 'ids', userIds: ['u1'] } }, support),
    ).rejects.toMatchObject({ code: 'forbidden' });
    const jobs = await call<{ jobs: JobSummary[] }>('jobs.list', { kind: 'verify' });
    const id = jobs.jobs[0]!.id;
    await expect(call('verify.reportFile', { id, format: 'csv' })).rejects.toMatchObject({
      code: 'unavailable',
    });
    await expect(call('verify.report', { id: 'job_doesnotexist', format: 'csv' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
