import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EnvKeyWrapper } from '../crypto/env-key-wrapper.ts';
import type { DisconnectPlatform } from '../disconnect/platform-port.ts';
import { JournalDatabase } from '../journal/journal-database.ts';
import { createMemoryLogger } from '../log/logger.ts';
import type { JobKind } from './job-engine.ts';
import { effectiveState } from './job-store.ts';
import { createJobsFeature, type JobsFeature } from './jobs-feature.ts';

const KEY = Buffer.alloc(32, 8).toString('base64');
const folders: string[] = [];
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const unusedPlatform: DisconnectPlatform = {
  pages: () => {
    throw new Error('not used');
  },
  get: () => Promise.reject(new Error('not used')),
  forceDisconnect: () => Promise.reject(new Error('not used')),
};

function kind(name: string, destructive: boolean, calls: string[]): JobKind {
  return {
    name,
    destructive,
    outcomes: ['ok'],
    describe: (job) => `${name} of ${job.total}`,
    runItem: async (item) => {
      calls.push(item.target);
      return { outcome: 'ok', category: 'done', detail: null };
    },
  };
}

/** A jobs feature (a console process) over the journal in `folder`. */
function consoleOn(folder: string, kinds: readonly JobKind[]): JobsFeature {
  const journal = JournalDatabase.open({ folder, keyWrapper: new EnvKeyWrapper({ CONSOLE_DATA_KEY: KEY }) });
  const feature = createJobsFeature({
    logger: createMemoryLogger(),
    events: null,
    journal,
    platform: unusedPlatform,
    kinds,
    migration: () => Promise.reject(new Error('not used')),
    leaseMs: 200,
    dueCheckMs: 0,
  });
  cleanups.push(
    () => journal.close(),
    () => feature.dispose(),
  );
  return feature;
}

const by = { createdBy: 'director-1', createdByName: null };
const items = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ target: `u${i}`, personal: null, facts: {} }));

describe('jobs at start', () => {
  it('resumes an interrupted job that changes nothing by itself, and leaves a destructive one to an operator', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'jobs-feature-'));
    folders.push(folder);
    const calls: string[] = [];
    const kinds = [kind('readonly', false, calls), kind('destructive', true, calls)];
    // A console that wrote two jobs and died before running them: their leases lapse.
    const first = consoleOn(folder, kinds);
    const safe = first.engine.create({ kind: 'readonly', params: {}, ...by, items: items(3) });
    const risky = first.engine.create({ kind: 'destructive', params: {}, ...by, items: items(2) });
    await expect
      .poll(() => effectiveState(first.engine.store.require(safe.id), Date.now()))
      .toBe('interrupted');

    const next = consoleOn(folder, kinds);
    await next.start();
    await expect.poll(() => next.engine.store.require(safe.id).state).toBe('completed');
    expect(calls.sort()).toEqual(['u0', 'u1', 'u2']);
    expect(effectiveState(next.engine.store.require(risky.id), Date.now())).toBe('interrupted');
  });
});
