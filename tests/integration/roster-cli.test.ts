import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformClient } from '../../electron/core/platform/client.ts';
import { startSandbox, type Sandbox } from '../../electron/sandbox/index.ts';
import { DEMO_USERS } from '../../electron/sandbox/demo.ts';
import { startOfDayInZone } from '../../shared/time/instant-format.ts';
import { repoRoot } from '../support/paths.ts';

const node = join(repoRoot, 'node_modules', '.bin', 'node');
const cli = join(repoRoot, 'electron', 'cli', 'main.ts');
let box: Sandbox;
let dir: string;

function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(node, [cli, ...args], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  box = await startSandbox({ users: 3_000, identity: false, rateLimit: { perSecond: 1000, burst: 1000 } });
  dir = mkdtempSync(join(tmpdir(), 'roster-cli-'));
});
afterAll(async () => {
  await box.close();
  rmSync(dir, { recursive: true, force: true });
});

const platform = () => ['--platform-url', box.platformUrl, '--platform-key-env', 'SANDBOX_KEY'];

describe('roster CLI commands', () => {
  it("roster stats --json equals the platform's /migration counts", async () => {
    const { code, stdout } = await run(['roster', 'stats', '--json', ...platform()], {
      SANDBOX_KEY: box.apiKey,
    });
    expect(code).toBe(0);
    const migration = await new PlatformClient({
      baseUrl: box.platformUrl,
      apiKey: box.apiKey,
    }).getMigration();
    expect(JSON.parse(stdout)).toEqual(migration.counts);
  }, 60_000);

  it('roster sync --json keeps a sealed cache with --data-dir and refreshes it incrementally the second time', async () => {
    const env = { SANDBOX_KEY: box.apiKey, CONSOLE_DATA_KEY: Buffer.alloc(32, 7).toString('base64') };
    const first = await run(['roster', 'sync', '--json', '--data-dir', dir, ...platform()], env);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      rowCount: 3_000,
      storeState: 'ready',
      lastError: null,
      lastIncrementalSyncAt: null,
    });
    const second = await run(['roster', 'sync', '--json', '--data-dir', dir, ...platform()], env);
    expect(JSON.parse(second.stdout)).toMatchObject({
      rowCount: 3_000,
      lastError: null,
      lastIncrementalSyncAt: expect.any(String),
    });
  }, 60_000);

  it('roster export writes the filtered users as CSV; a bad filter is a usage error naming the term', async () => {
    const out = join(dir, 'legacy-students.csv');
    const { code, stdout } = await run(
      [
        'roster',
        'export',
        '--json',
        '--filter',
        'status=legacy role=student',
        '--format',
        'csv',
        '--out',
        out,
        ...platform(),
      ],
      { SANDBOX_KEY: box.apiKey },
    );
    expect(code).toBe(0);
    const table = Papa.parse<string[]>(readFileSync(out, 'utf8'), { skipEmptyLines: true }).data;
    const migration = await new PlatformClient({
      baseUrl: box.platformUrl,
      apiKey: box.apiKey,
    }).getMigration();
    expect(JSON.parse(stdout)).toMatchObject({ rowCount: migration.counts.byRole.student.legacy });
    expect(table.length - 1).toBe(migration.counts.byRole.student.legacy);
    expect(table.slice(1).every((row) => row[5] === 'student' && row[6] === 'legacy')).toBe(true);

    const badKey = await run(['roster', 'export', '--filter', 'colour=blue', '--out', out]);
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toContain('colour=blue');
    const badValue = await run(['roster', 'export', '--filter', 'status=paused', '--out', out]);
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toContain('paused');
  }, 60_000);

  it("a bare date in --filter is the start of that day in the platform's time zone", async () => {
    const migration = await new PlatformClient({
      baseUrl: box.platformUrl,
      apiKey: box.apiKey,
    }).getMigration();
    // A week back, so that the filter matches someone.
    const day = new Date(Date.parse(migration.asOf) - 7 * 86_400_000).toISOString().slice(0, 10);
    const exported = async (filter: string) => {
      const out = join(dir, `since-${filter.length}.csv`);
      const { code, stdout, stderr } = await run(
        ['roster', 'export', '--json', '--filter', filter, '--out', out, ...platform()],
        { SANDBOX_KEY: box.apiKey },
      );
      expect(code, stderr).toBe(0);
      return (JSON.parse(stdout) as { rowCount: number }).rowCount;
    };
    const byDate = await exported(`statusChangedSince=${day}`);
    const byInstant = await exported(`statusChangedSince=${startOfDayInZone(day, migration.timezone)}`);
    expect(byDate).toBeGreaterThan(0);
    expect(byDate).toBe(byInstant);
    // Not a real day: a usage error before anything is sent.
    const bad = await run([
      'roster',
      'export',
      '--filter',
      'updatedSince=2026-02-30',
      '--out',
      join(dir, 'x.csv'),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('updatedSince=2026-02-30');
  }, 60_000);

  it('says the cache lives in memory only without --data-dir or CONSOLE_DATA_KEY; "Wrote 1 user"', async () => {
    const page = await new PlatformClient({
      baseUrl: box.platformUrl,
      apiKey: box.apiKey,
    }).listConnectionsPage({ limit: 1 });
    const email = page.items[0]?.email ?? '';
    const out = join(dir, 'one.csv');
    const exported = await run(['roster', 'export', '--filter', `q=${email}`, '--out', out, ...platform()], {
      SANDBOX_KEY: box.apiKey,
    });
    expect(exported.code).toBe(0);
    expect(exported.stderr).toContain(
      'The roster cache lives in memory only (no --data-dir), so every run is a full sync.',
    );
    expect(exported.stdout).toContain('Wrote 1 user to');
    const noKey = await run(['roster', 'stats', '--data-dir', join(dir, 'no-key'), ...platform()], {
      SANDBOX_KEY: box.apiKey,
    });
    expect(noKey.stderr).toContain('CONSOLE_DATA_KEY is not set');
  }, 60_000);

  it('a cache sealed under another key is locked; "roster rebuild" sets it aside and refills it', async () => {
    const folder = join(dir, 'rebuild');
    const keyA = { SANDBOX_KEY: box.apiKey, CONSOLE_DATA_KEY: Buffer.alloc(32, 1).toString('base64') };
    const keyB = { SANDBOX_KEY: box.apiKey, CONSOLE_DATA_KEY: Buffer.alloc(32, 2).toString('base64') };
    expect((await run(['roster', 'sync', '--data-dir', folder, ...platform()], keyA)).code).toBe(0);
    const sound = await run(['roster', 'rebuild', '--json', '--data-dir', folder, ...platform()], keyA);
    expect(sound.code).toBe(1);
    expect(JSON.parse(sound.stdout)).toMatchObject({ error: { code: 'precondition_failed' } });
    const locked = await run(['roster', 'sync', '--json', '--data-dir', folder, ...platform()], keyB);
    expect(JSON.parse(locked.stdout)).toMatchObject({ storeState: 'locked' });
    expect(locked.stderr).toContain('roster rebuild');
    const rebuilt = await run(['roster', 'rebuild', '--json', '--data-dir', folder, ...platform()], keyB);
    expect(rebuilt.code).toBe(0);
    expect(JSON.parse(rebuilt.stdout)).toMatchObject({
      storeState: 'ready',
      rowCount: 3_000,
      lastError: null,
    });
    // The data folder also holds durable databases beside the roster cache's own folder.
    const storeFolder = readdirSync(folder).find((name) => name.startsWith('store-')) ?? '';
    expect(readdirSync(join(folder, storeFolder, 'set-aside'))).toHaveLength(1);
    // The rebuilt cache is sealed under the new key and refreshes incrementally from now on.
    const after = await run(['roster', 'sync', '--json', '--data-dir', folder, ...platform()], keyB);
    expect(JSON.parse(after.stdout)).toMatchObject({
      storeState: 'ready',
      lastIncrementalSyncAt: expect.any(String),
    });
  }, 90_000);

  it('runs against the in-process demo sandbox without --platform-url', async () => {
    const { code, stdout, stderr } = await run(['roster', 'stats', '--json']);
    expect(code).toBe(0);
    expect(stderr).toContain('Demo mode');
    expect(JSON.parse(stdout)).toMatchObject({ total: DEMO_USERS });
  }, 60_000);
});
