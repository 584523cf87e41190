import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConsoleError } from '../../../shared/contract/errors.ts';
import { EnvKeyWrapper } from '../crypto/env-key-wrapper.ts';
import { JournalDatabase } from '../journal/journal-database.ts';
import { createMemoryLogger } from '../log/logger.ts';
import { JobEngine, MAX_RETRIES_PER_RUN, type ItemResult, type JobKind } from './job-engine.ts';
import { effectiveState, JobStore } from './job-store.ts';

const KEY = Buffer.alloc(32, 7).toString('base64');
const folders: string[] = [];
const journals: JournalDatabase[] = [];
afterEach(() => {
  for (const journal of journals.splice(0)) journal.close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function openJournalIn(folder: string): JournalDatabase {
  const journal = JournalDatabase.open({ folder, keyWrapper: new EnvKeyWrapper({ CONSOLE_DATA_KEY: KEY }) });
  journals.push(journal);
  return journal;
}

function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'jobs-test-'));
  folders.push(folder);
  return folder;
}

/** A kind whose items succeed, fail or hang as the test says, and which counts the calls per target. */
function testKind(
  behaviour: (target: string, call: number) => Promise<ItemResult> | ItemResult,
  destructive = true,
) {
  const calls = new Map<string, number>();
  const kind: JobKind = {
    name: 'test',
    destructive,
    outcomes: ['ok', 'failed'],
    describe: (job) => `test job of ${job.total}`,
    async runItem(item) {
      const n = (calls.get(item.target) ?? 0) + 1;
      calls.set(item.target, n);
      return behaviour(item.target, n);
    },
  };
  return { kind, calls };
}

const ok = (): ItemResult => ({ outcome: 'ok', category: 'done', detail: null });
const items = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    target: `u${i}`,
    personal: { email: `person${i}@example.edu`, name: `Person ${i}` },
    facts: { etag: `e${i}` },
  }));

function engineOn(
  journal: JournalDatabase,
  kind: JobKind,
  options: Partial<ConstructorParameters<typeof JobEngine>[0]> = {},
) {
  return new JobEngine({
    store: new JobStore(journal),
    logger: createMemoryLogger(),
    kinds: [kind],
    leaseMs: 300,
    heartbeatMs: 50,
    concurrency: 3,
    ...options,
  });
}

const by = { createdBy: 'director-1', createdByName: 'Dana Director' };

describe('job engine', () => {
  it('persists a job and its items before anything runs, personal values sealed on disk', () => {
    const folder = tempFolder();
    const journal = openJournalIn(folder);
    const { kind } = testKind(ok);
    const engine = engineOn(journal, kind);
    const job = engine.create({ kind: 'test', params: { reason: 'x' }, ...by, items: items(5) });
    expect(engine.store.counts(job.id)).toMatchObject({ total: 5, pending: 5, done: 0 });
    journal.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    const bytes = readFileSync(join(folder, 'journal.db')).toString('latin1');
    expect(bytes).not.toContain('person3@example.edu');
    expect(bytes).not.toContain('Dana Director');
    expect(engine.store.items(job.id, { limit: 1, offset: 3 })[0]?.personal?.email).toBe(
      'person3@example.edu',
    );
  });

  it('runs every item once and completes; a finished job never runs again', async () => {
    const journal = openJournalIn(tempFolder());
    const { kind, calls } = testKind(ok);
    const engine = engineOn(journal, kind);
    const job = engine.create({ kind: 'test', params: {}, ...by, items: items(20) });
    const progress = await engine.run(job.id, { operator: true });
    expect(progress.state).toBe('completed');
    expect(progress.counts).toMatchObject({ done: 20, pending: 0, byOutcome: { ok: 20 } });
    expect([...calls.values()].every((n) => n === 1)).toBe(true);
    await expect(engine.run(job.id, { operator: true })).rejects.toThrow(/never runs again/);
  });

  it('recognises a dead runner by its lapsed lease, refuses to resume a destructive job by itself, and redoes the in-flight item', async () => {
    const folder = tempFolder();
    const journal = openJournalIn(folder);
    let hang = true;
    const { kind, calls } = testKind((target) =>
      target === 'u4' && hang ? new Promise<ItemResult>(() => {}) : ok(),
    );
    // The first runner stops beating while u4 is in flight: what a SIGKILL looks like from outside.
    const first = engineOn(journal, kind, { concurrency: 1, heartbeatMs: 60_000 });
    const job = first.create({ kind: 'test', params: {}, ...by, items: items(10) });
    void first.run(job.id, { operator: true });
    await expect.poll(() => calls.get('u4') ?? 0).toBe(1);
    const second = engineOn(journal, kind, { concurrency: 1 });
    await expect(second.run(job.id, { operator: true })).rejects.toThrow(/another runner/);
    expect(effectiveState(second.store.require(job.id), Date.now())).toBe('running');
    await expect.poll(() => effectiveState(second.store.require(job.id), Date.now())).toBe('interrupted');
    await expect(second.run(job.id, { operator: false })).rejects.toThrow(/operator/);
    hang = false;
    const done = await second.run(job.id, { operator: true });
    expect(done.state).toBe('completed');
    expect(done.counts.done).toBe(10);
    expect(calls.get('u4')).toBe(2);
    expect(calls.get('u5')).toBe(1);
  });

  it('cancel lets in-flight calls finish and records them; the rest is not run', async () => {
    const journal = openJournalIn(tempFolder());
    const release: Array<() => void> = [];
    const { kind } = testKind(() => new Promise<ItemResult>((resolve) => release.push(() => resolve(ok()))));
    const engine = engineOn(journal, kind, { concurrency: 2 });
    const job = engine.create({ kind: 'test', params: {}, ...by, items: items(10) });
    const running = engine.run(job.id, { operator: true });
    await expect.poll(() => release.length).toBe(2);
    engine.cancel(job.id);
    for (const go of release.splice(0)) go();
    const final = await running;
    expect(final.state).toBe('cancelled');
    expect(final.counts).toMatchObject({ done: 2, pending: 8, inFlight: 0 });
  });

  it('a run of failures trips the breaker: paused with the reason in words', async () => {
    const journal = openJournalIn(tempFolder());
    const { kind } = testKind(() => ({
      outcome: 'failed',
      category: 'failed',
      detail: 'Service Unavailable (HTTP 503) after 5 attempts',
      transient: true,
    }));
    const engine = engineOn(journal, kind, { breakerThreshold: 4, concurrency: 1 });
    const job = engine.create({ kind: 'test', params: {}, ...by, items: items(30) });
    const final = await engine.run(job.id, { operator: true });
    expect(final.state).toBe('paused');
    expect(final.job.stateReason).toMatch(/4 failures in a row.*503/);
    expect(final.counts.failed).toBe(4);
  });

  it('"Retry failed" makes a new job of exactly the failed items', async () => {
    const journal = openJournalIn(tempFolder());
    const { kind } = testKind((target) =>
      ['u1', 'u7'].includes(target) ? { outcome: 'failed', category: 'failed', detail: 'no' } : ok(),
    );
    const engine = engineOn(journal, kind);
    const job = engine.create({ kind: 'test', params: { reason: 'r' }, ...by, items: items(10) });
    await engine.run(job.id, { operator: true });
    const retry = engine.retryFailed(job.id, by);
    expect(retry.parentId).toBe(job.id);
    expect(engine.store.items(retry.id).map((i) => i.target)).toEqual(['u1', 'u7']);
    expect(retry.params).toMatchObject({ reason: 'r', retryOf: job.id });
  });

  it('scheduled jobs wait for their instant and run through runDue', async () => {
    let now = new Date('2026-12-01T12:00:00Z');
    const journal = openJournalIn(tempFolder());
    const { kind } = testKind(ok);
    const engine = engineOn(journal, kind, { now: () => now });
    const job = engine.create({
      kind: 'test',
      params: {},
      ...by,
      items: items(3),
      scheduledAt: '2026-12-15T23:59:00.000Z',
    });
    expect(job.state).toBe('scheduled');
    expect(await engine.runDue()).toEqual([]);
    now = new Date('2026-12-16T00:00:00Z');
    const ran = await engine.runDue();
    expect(ran.map((p) => p.state)).toEqual(['completed']);
  });

  it('an unknown job id and a corrupted journal row get clear messages, and other jobs stay readable', () => {
    const journal = openJournalIn(tempFolder());
    const { kind } = testKind(ok);
    const engine = engineOn(journal, kind);
    expect(() => engine.store.require('job_doesnotexist')).toThrow(/There is no job job_doesnotexist/);
    const good = engine.create({ kind: 'test', params: {}, ...by, items: items(2) });
    const bad = engine.create({ kind: 'test', params: {}, ...by, items: items(2) });
    journal.db.prepare("UPDATE jobs SET params = '{not json' WHERE id = ?").run(bad.id);
    let error: unknown;
    try {
      engine.store.require(bad.id);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConsoleError);
    expect((error as ConsoleError).message).toMatch(new RegExp(`job ${bad.id} is corrupted`));
    expect(engine.store.require(good.id).id).toBe(good.id);
    journal.db.prepare("UPDATE job_items SET facts = 'x' WHERE job_id = ? AND seq = 1").run(good.id);
    expect(() => engine.store.items(good.id)).toThrow(/entry 1 of job .* is corrupted/);
  });
});

describe('journal database', () => {
  it('reopens with the same key, is locked (files untouched) with another, and names a damaged file without setting it aside', () => {
    const folder = tempFolder();
    const first = JournalDatabase.open({ folder, keyWrapper: new EnvKeyWrapper({ CONSOLE_DATA_KEY: KEY }) });
    const store = new JobStore(first);
    store.create({
      kind: 'k',
      destructive: false,
      params: {},
      createdBy: 'a',
      createdByName: 'Ann',
      state: 'running',
      items: items(1),
    });
    first.close();
    const again = openJournalIn(folder);
    expect(again.status().state).toBe('ready');
    expect(new JobStore(again).list()[0]?.createdByName).toBe('Ann');
    again.close();
    const other = JournalDatabase.open({
      folder,
      keyWrapper: new EnvKeyWrapper({ CONSOLE_DATA_KEY: Buffer.alloc(32, 9).toString('base64') }),
    });
    expect(other.status().state).toBe('locked');
    expect(() => other.db).toThrow(/cannot be unlocked/);

    const broken = tempFolder();
    const { writeFileSync } = process.getBuiltinModule('node:fs');
    writeFileSync(join(broken, 'journal.db'), Buffer.alloc(8192, 0x41));
    const damaged = JournalDatabase.open({ folder: broken, keyWrapper: null });
    expect(damaged.status().state).toBe('damaged');
    expect(damaged.status().explanation).toMatch(/leaves it exactly as it is/);
    expect(readFileSync(join(broken, 'journal.db'))).toEqual(Buffer.alloc(8192, 0x41));
  });

  it('without a key holder it keeps outcomes but no personal values', () => {
    const journal = JournalDatabase.open({ folder: null, keyWrapper: null });
    journals.push(journal);
    expect(journal.status().state).toBe('unsealed');
    const store = new JobStore(journal);
    const job = store.create({
      kind: 'k',
      destructive: false,
      params: {},
      createdBy: 'a',
      createdByName: 'Ann',
      state: 'running',
      items: items(1),
    });
    expect(store.items(job.id)[0]?.personal).toBeNull();
    expect(store.require(job.id).createdByName).toBeNull();
  });

  it('a kind may hand an item back: pending again, the job rescheduled, and run to the end when due', async () => {
    const journal = openJournalIn(tempFolder());
    let clock = Date.parse('2026-12-01T10:00:00Z');
    const now = () => new Date(clock);
    let quotaOpen = false;
    const { kind, calls } = testKind((target) =>
      target === 'u2' && !quotaOpen
        ? {
            outcome: 'failed',
            category: 'failed',
            detail: 'quota',
            requeue: {
              stop: 'scheduled',
              reason: 'Quota reached; resumes at 11:00.',
              at: '2026-12-01T11:00:00.000Z',
            },
          }
        : ok(),
    );
    const engine = engineOn(journal, kind, { concurrency: 1, now, leaseMs: 60_000 });
    const job = engine.create({ kind: 'test', params: {}, ...by, items: items(5) });
    const first = await engine.run(job.id, { operator: true });
    expect(first.state).toBe('scheduled');
    expect(first.job.stateReason).toBe('Quota reached; resumes at 11:00.');
    expect(first.job.scheduledAt).toBe('2026-12-01T11:00:00.000Z');
    expect(first.counts).toMatchObject({ pending: 3, done: 2 });
    expect(engine.store.items(job.id)[2]).toMatchObject({ state: 'pending', outcome: null });
    expect(await engine.runDue()).toEqual([]);
    clock = Date.parse('2026-12-01T11:00:01Z');
    quotaOpen = true;
    const [resumed] = await engine.runDue();
    expect(resumed?.state).toBe('completed');
    expect(resumed?.counts).toMatchObject({ done: 5, pending: 0 });
    // Only the handed-back item ran twice; nothing settled ran again.
    expect([...calls.values()].filter((n) => n > 1)).toEqual([2]);
  });

  it('pauses (not fails) a job whose prepare says the failure passes, and appends items a run decides', async () => {
    const journal = openJournalIn(tempFolder());
    let ready = false;
    const { kind } = testKind(() => ok(), false);
    kind.prepare = async (context) => {
      if (!ready)
        throw new ConsoleError('unavailable', 'The roster has not loaded yet.', { retryable: true });
      // Decided by what is there, not by firstRun: the paused attempt already counted as a start.
      if (context.store.counts(context.job.id).total === 0) context.store.addItems(context.job.id, items(3));
    };
    const engine = engineOn(journal, kind);
    const job = engine.create({ kind: 'test', params: {}, ...by, items: [] });
    const paused = await engine.run(job.id, { operator: true });
    expect(paused.state).toBe('paused');
    expect(paused.job.stateReason).toBe('The roster has not loaded yet.');
    ready = true;
    const done = await engine.run(job.id, { operator: true });
    expect(done.state).toBe('completed');
    expect(done.counts).toMatchObject({ total: 3, done: 3 });
    expect(engine.store.require(job.id).total).toBe(3);
  });
  it('a pause reaches items still waiting before their point of no return: they go back to pending at once', async () => {
    const journal = openJournalIn(tempFolder());
    let started = 0;
    const kind: JobKind = {
      name: 'test',
      destructive: false,
      outcomes: ['ok', 'failed'],
      describe: () => 'waits for a slot',
      async runItem(_item, context) {
        started += 1;
        // A slot a minute away, as a sending pacer's queue can be; the stop signal ends the wait.
        const waited = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(true), 60_000);
          context.stopping.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve(false);
          });
        });
        return waited
          ? ok()
          : {
              outcome: 'failed',
              category: 'failed',
              detail: null,
              requeue: { stop: 'paused', reason: 'stopped' },
            };
      },
    };
    const engine = engineOn(journal, kind, { concurrency: 3 });
    const job = engine.create({ kind: 'test', params: {}, ...by, items: items(6) });
    const running = engine.run(job.id, { operator: true });
    await expect.poll(() => started).toBe(3);
    const asked = Date.now();
    engine.pause(job.id);
    const final = await running;
    expect(Date.now() - asked).toBeLessThan(1_000);
    expect(final.state).toBe('paused');
    // The operator's reason, not the items' own.
    expect(final.job.stateReason).toBe('Paused by an operator.');
    expect(final.counts).toMatchObject({ pending: 6, inFlight: 0, done: 0 });
  });

  it('stoppedHere lets a cancel answer with the state it led to, not the running it found', async () => {
    const journal = openJournalIn(tempFolder());
    let started = 0;
    const kind: JobKind = {
      name: 'test',
      destructive: false,
      outcomes: ['ok', 'failed'],
      describe: () => 'waits for a slot',
      async runItem(_item, context) {
        started += 1;
        await new Promise<void>((resolve) => context.stopping.addEventListener('abort', () => resolve()));
        return {
          outcome: 'failed',
          category: 'failed',
          detail: null,
          requeue: { stop: 'paused', reason: 'x' },
        };
      },
    };
    const engine = engineOn(journal, kind, { concurrency: 2 });
    const job = engine.create({ kind: 'test', params: {}, ...by, items: items(4) });
    const running = engine.run(job.id, { operator: true });
    await expect.poll(() => started).toBe(2);
    expect(engine.cancel(job.id).state).toBe('running');
    await engine.stoppedHere(job.id, 5_000);
    expect(engine.isRunningHere(job.id)).toBe(false);
    expect(engine.store.require(job.id).state).toBe('cancelled');
    expect((await running).state).toBe('cancelled');
  });

  it('an item handed back without a stop is taken again after the others; one blip does not pause the job', async () => {
    const journal = openJournalIn(tempFolder());
    const order: string[] = [];
    const { kind, calls } = testKind((target, call) => {
      order.push(target);
      return target === 'u1' && call === 1
        ? {
            outcome: 'failed',
            category: 'failed',
            detail: null,
            requeue: { stop: 'none', reason: 'no answer' },
          }
        : ok();
    });
    const engine = engineOn(journal, kind, { concurrency: 1, breakerThreshold: 2 });
    const job = engine.create({ kind: 'test', params: {}, ...by, items: items(4) });
    const final = await engine.run(job.id, { operator: true });
    expect(final.state).toBe('completed');
    expect(final.counts).toMatchObject({ done: 4, failed: 0 });
    expect(order).toEqual(['u0', 'u1', 'u2', 'u3', 'u1']);
    expect(calls.get('u1')).toBe(2);
  });

  it('hand-backs in a row trip the breaker, and every item stays pending for the resume', async () => {
    const journal = openJournalIn(tempFolder());
    let down = true;
    const { kind } = testKind(() =>
      down
        ? {
            outcome: 'failed',
            category: 'failed',
            detail: null,
            requeue: { stop: 'none', reason: 'the platform did not answer' },
          }
        : ok(),
    );
    const engine = engineOn(journal, kind, { concurrency: 2, breakerThreshold: 5 });
    const job = engine.create({ kind: 'test', params: {}, ...by, items: items(20) });
    const paused = await engine.run(job.id, { operator: true });
    expect(paused.state).toBe('paused');
    expect(paused.job.stateReason).toMatch(
      /^Paused after 5 failures in a row; the last: the platform did not answer/,
    );
    expect(paused.counts).toMatchObject({ pending: 20, failed: 0, done: 0 });
    down = false;
    const resumed = await engine.run(job.id, { operator: true });
    expect(resumed.state).toBe('completed');
    expect(resumed.counts).toMatchObject({ done: 20, failed: 0 });
  });

  it(`an item handed back more than ${MAX_RETRIES_PER_RUN} times waits for the next run; the others finish`, async () => {
    const journal = openJournalIn(tempFolder());
    const { kind, calls } = testKind((target) =>
      target === 'u2'
        ? {
            outcome: 'failed',
            category: 'failed',
            detail: null,
            requeue: { stop: 'none', reason: 'no answer for u2' },
          }
        : ok(),
    );
    const engine = engineOn(journal, kind, { concurrency: 2, breakerThreshold: 100 });
    const job = engine.create({ kind: 'test', params: {}, ...by, items: items(6) });
    const final = await engine.run(job.id, { operator: true });
    expect(calls.get('u2')).toBe(MAX_RETRIES_PER_RUN + 1);
    expect(final.state).toBe('paused');
    expect(final.job.stateReason).toBe(
      '1 user could not be done in this run (the last: no answer for u2); resume to try again.',
    );
    expect(final.counts).toMatchObject({ done: 5, pending: 1, failed: 0 });
  });
});
