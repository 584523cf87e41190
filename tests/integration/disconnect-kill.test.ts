import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../electron/sandbox/index.ts';

/**
 * The reliability test of issue 11: the CLI runner is SIGKILLed at random points of a 5,000-user
 * force-disconnect under the sandbox's `heavy` fault profile and resumed each time. In the end every
 * selected user is disconnected with exactly one executed side effect and nobody else was touched.
 * The heavy profile's 429 bursts pause the whole client, so the job runs at a few users per second
 * and the full test takes about ten minutes: locally it runs as the issue asks (10 kills, 5,000 users);
 * in CI (CI set) 3 kills over 600 users. CONSOLE_KILL_POINTS, CONSOLE_KILL_USERS and CONSOLE_KILL_SEED
 * override; the seed is printed so a failure can be replayed.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const NODE = join(ROOT, 'node_modules/.bin/node');
const KILLS = Number(process.env['CONSOLE_KILL_POINTS'] ?? (process.env['CI'] ? 3 : 10));
const SEED = Number(process.env['CONSOLE_KILL_SEED'] ?? Date.now() % 100_000);
const SELECTED = Number(process.env['CONSOLE_KILL_USERS'] ?? (process.env['CI'] ? 600 : 5_000));

let sandbox: Sandbox;
let folder: string;
const dataKey = Buffer.alloc(32, 11).toString('base64');

function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI; with `killAfterMs` it is SIGKILLed that long after it says the job started or
 * resumed (unless it finished first), so every kill lands inside the job, not in its preview.
 */
function cli(args: string[], killAfterMs?: number): Promise<Run> {
  const child = spawn(
    NODE,
    [
      'electron/cli/main.ts',
      '--platform-url',
      sandbox.platformUrl,
      '--platform-key-env',
      'PK',
      '--data-dir',
      folder,
      ...args,
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PK: sandbox.apiKey,
        CONSOLE_DATA_KEY: dataKey,
        CONSOLE_JOB_LEASE_MS: '2500',
        CONSOLE_JOB_CONCURRENCY: '24',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  let timer: ReturnType<typeof setTimeout> | null = null;
  child.stderr.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString('utf8')).slice(-4000);
    if (killAfterMs !== undefined && timer === null && / (started|resumed)\./.test(stderr))
      timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  });
  return new Promise((done) =>
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      done({ code, signal, stdout, stderr });
    }),
  );
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'disconnect-kill-'));
  sandbox = await startSandbox({
    users: 14_000,
    faults: 'heavy',
    identity: false,
    rateLimit: { perSecond: 2_000, burst: 2_000 },
  });
});
afterAll(async () => {
  await sandbox?.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('force-disconnect survives SIGKILL', () => {
  it(`kills the runner at ${KILLS} random points of a ${SELECTED}-user job (heavy faults), resumes, and disconnects each selected user exactly once`, async () => {
    const u = sandbox.university;
    const legacy: string[] = [];
    const others: string[] = [];
    for (let i = 0; i < u.calendar.users; i++) {
      const connection = u.connection(i);
      if (connection.status === 'legacy' && legacy.length < SELECTED) legacy.push(connection.userId);
      else if (connection.status === 'legacy') others.push(connection.userId);
    }
    expect(legacy.length).toBe(SELECTED);
    const csv = join(folder, 'selection.csv');
    writeFileSync(csv, `\uFEFFuserId\r\n${legacy.join('\r\n')}\r\n`);

    const random = prng(SEED);
    const log: string[] = [`seed ${SEED}`];
    let jobId: string | null = null;
    for (let kill = 0; kill < KILLS; kill++) {
      const delay = 200 + Math.floor(random() * (SELECTED >= 2_000 ? 2_500 : 600));
      const run =
        jobId === null
          ? await cli(['disconnect', '--from-csv', csv, '--yes', '--json'], delay)
          : await cli(['jobs', 'resume', jobId, '--json'], delay);
      log.push(`kill ${kill + 1} after ${delay} ms: ${run.signal ?? `exit ${run.code}`}`);
      if (jobId === null) {
        const list = await cli(['jobs', 'list', '--json']);
        const jobs = (JSON.parse(list.stdout) as { jobs: Array<{ id: string }> }).jobs;
        jobId = jobs[0]?.id ?? null;
      }
      if (run.signal === null && run.code === 0) break;
    }
    expect(jobId, log.join('\n')).not.toBeNull();
    let final: { state: string; counts: Record<string, number> } | null = null;
    for (let attempt = 0; attempt < 20 && final?.state !== 'completed'; attempt++) {
      const run = await cli(['jobs', 'resume', String(jobId), '--json']);
      const show = await cli(['jobs', 'show', String(jobId), '--json']);
      final = JSON.parse(show.stdout) as { state: string; counts: Record<string, number> };
      log.push(
        `resume to the end: exit ${run.code}, ${final.state} ${JSON.stringify(final.counts)} ${run.stderr.slice(-300)}`,
      );
      if (final.state === 'completed') break;
    }
    const context = log.join('\n');
    expect(final?.state, context).toBe('completed');
    expect(final?.counts['disconnected'], context).toBe(SELECTED);

    const reply = await fetch(`${sandbox.adminUrl}/side-effects/force-disconnect`);
    const perUser = ((await reply.json()) as { perUser: Record<string, number> }).perUser;
    expect(Object.keys(perUser).length, context).toBe(SELECTED);
    expect(
      Object.values(perUser).every((n) => n === 1),
      context,
    ).toBe(true);
    const selected = new Set(legacy);
    expect(
      Object.keys(perUser).filter((id) => !selected.has(id)),
      context,
    ).toEqual([]);
    for (const id of legacy) expect(u.connection(u.indexOf(id)).status).toBe('disconnected');
    for (const id of others.slice(0, 200)) expect(u.connection(u.indexOf(id)).status).toBe('legacy');
    console.log(context);
  }, 1_500_000);
});
