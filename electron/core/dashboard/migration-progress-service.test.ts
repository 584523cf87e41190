import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index.ts';
import { CONSOLE_DATA_KEY_ENV, EnvKeyWrapper } from '../crypto/env-key-wrapper.ts';
import { createMemoryLogger } from '../log/logger.ts';
import { PlatformClient } from '../platform/client.ts';
import { RosterQueryEngine } from '../roster/query/roster-query-engine.ts';
import { DATABASE_FILE, EncryptedStore } from '../store/encrypted-store.ts';
import { MigrationProgressService } from './migration-progress-service.ts';

let sandbox: Sandbox;
let folder: string;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, users: 200, seed: 'progress', faults: 'none' });
  folder = mkdtempSync(join(tmpdir(), 'progress-test-'));
});
afterAll(async () => {
  await sandbox.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('MigrationProgressService with a store that cannot keep history', () => {
  it('keeps the history in memory and says so once, not once per day', async () => {
    // An empty database file: the store opens as needs-rebuild and refuses every table.
    writeFileSync(join(folder, DATABASE_FILE), '');
    const store = EncryptedStore.open({
      dataFolder: folder,
      keyWrapper: new EnvKeyWrapper({ [CONSOLE_DATA_KEY_ENV]: randomBytes(32).toString('base64') }),
    });
    expect(store.status().state).toBe('needs-rebuild');
    const logger = createMemoryLogger();
    const client = new PlatformClient({ baseUrl: sandbox.platformUrl, apiKey: sandbox.apiKey });
    const service = new MigrationProgressService({
      logger,
      store,
      platform: async () => client,
      migration: () => client.getMigration(),
    });
    await service.afterSync(new RosterQueryEngine());
    await service.afterSync(new RosterQueryEngine());
    const summary = await service.summary();
    expect(summary.history.length).toBeGreaterThan(10);
    const warnings = logger.lines.filter((line) => line.includes('history kept in memory only'));
    expect(warnings).toHaveLength(1);
    store.close();
  });
});

describe('MigrationProgressService reminder markers', () => {
  it('carries the scheduled reminder days from today to the cut-off, and none when they cannot be read', async () => {
    const client = new PlatformClient({ baseUrl: sandbox.platformUrl, apiKey: sandbox.apiKey });
    const migration = await client.getMigration();
    const zones: string[] = [];
    const cutoffDay = new Intl.DateTimeFormat('en-CA', { timeZone: migration.timezone }).format(
      new Date(migration.cutoffAt),
    );
    const service = new MigrationProgressService({
      logger: createMemoryLogger(),
      store: null,
      platform: async () => client,
      migration: async () => migration,
      reminderDays: (timeZone) => {
        zones.push(timeZone);
        // One long past, one due before the cut-off, one after it: only the middle one is drawn.
        return ['2020-01-01', cutoffDay, '2099-01-01'];
      },
    });
    expect((await service.summary()).reminderDays).toEqual([cutoffDay]);
    expect(zones).toEqual([migration.timezone]);
    const logger = createMemoryLogger();
    const failing = new MigrationProgressService({
      logger,
      store: null,
      platform: async () => client,
      migration: async () => migration,
      reminderDays: () => {
        throw new Error('journal locked');
      },
    });
    expect((await failing.summary()).reminderDays).toEqual([]);
    expect(logger.lines.join('\n')).toContain('reminder days not readable');
  });
});
