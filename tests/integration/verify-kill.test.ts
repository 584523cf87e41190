import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../electron/sandbox/index.ts';

/**
 * A verification job survives SIGKILL: the CLI runner is killed mid-job, the job is resumed with
 * `jobs resume`, and in the end every user has a result from that job while the users settled
 * before the kill kept theirs (they were not verified again).
 */
const ROOT = resolve(import.meta.dirname, '../..');
const NODE = join(ROOT, 'node_modules/.bin/node');
const USERS = 240;

let sandbox: Sandbox;
let folder: string;
const dataKey = Buffer.alloc(32, 12).toString('base64');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; with `killOnProgress` it is SIGKILLed at its first progress line (mid-job). */
function cli(args: string[], killOnProgress = false): Promise<Run> {
  const child = spawn(
    NODE,
    [
      'electron/cli/main.ts',
      '--platform-url',
      sandbox.platformUrl,
      '--platform-key-env',
      'PK',
      '--graph-url',
      sandbox.graphUrl,
      '--graph-token-env',
      'GT',
      '--data-dir',
      folder,
      ...args,
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PK: sandbox.apiKey,
        GT: sandbox.graphAppToken,
        CONSOLE_DATA_KEY: dataKey,
        CONSOLE_JOB_LEASE_MS: '1500',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString('utf8')).slice(-8000);
    if (killOnProgress && /\d+ of [\d,]+: /.test(stderr)) child.kill('SIGKILL');
  });
  return new Promise((done) => child.on('close', (code, signal) => done({ code, signal, stdout, stderr })));
}

interface Report {
  jobId: string;
  state: string;
  users: Array<{ userId: string; verdict: string; checkedAt: string; jobId: string }>;
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'verify-kill-'));
  // Latency on every reply, so the job is still running when its first progress line (2 s) comes.
  sandbox = await startSandbox({
    users: 3_000,
    seed: 'verify-kill',
    latencyMs: 60,
    rateLimit: { perSecond: 5_000, burst: 5_000 },
  });
});
afterAll(async () => {
  await sandbox?.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('verification jobs survive SIGKILL', () => {
  it(`kills the runner mid-job over ${USERS} users, resumes, and verifies nobody twice`, async () => {
    const killed = await cli(
      ['verify', '--filter', 'status=migrated,legacy', '--limit', String(USERS), '--json'],
      true,
    );
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const jobId = /Job (job_\w+) started/.exec(killed.stderr)?.[1];
    expect(jobId, killed.stderr).toBeDefined();

    const before = await cli(['verify', '--report', String(jobId), '--json']);
    const partial = JSON.parse(before.stdout) as Report;
    expect(partial.users.length).toBeGreaterThan(0);
    expect(partial.users.length).toBeLessThan(USERS);

    const resumed = await cli(['jobs', 'resume', String(jobId), '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const after = await cli(['verify', '--report', String(jobId), '--json']);
    const full = JSON.parse(after.stdout) as Report;
    expect(full.state).toBe('completed');
    expect(full.users).toHaveLength(USERS);
    expect(new Set(full.users.map((u) => u.userId)).size).toBe(USERS);
    for (const u of full.users) expect(u.jobId).toBe(jobId);
    // Graph was read on resume as at the start: no user fell back to a platform-only check.
    expect(full.users.filter((u) => u.verdict === 'platform_only')).toEqual([]);
    const checkedAfter = new Map(full.users.map((u) => [u.userId, u.checkedAt]));
    for (const u of partial.users) expect(checkedAfter.get(u.userId), u.userId).toBe(u.checkedAt);
  }, 180_000);
});
