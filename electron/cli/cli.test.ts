import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from './test-support/run-cli.ts';
import { startSandbox, type Sandbox } from '../sandbox/index.ts';

/** The CLI as users run it: a separate Node 24 process on the TypeScript source. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NODE = fileURLToPath(new URL('../../node_modules/.bin/node', import.meta.url));

const cli = runCliProcess;

describe('cli: help and usage errors', () => {
  it('lists the commands and global options', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('sandbox start');
    expect(run.stdout).toContain('migration');
    expect(run.stdout).toContain('--platform-key-env VAR');
  });

  it('has --help on every command', async () => {
    for (const command of [['migration'], ['sandbox', 'start']]) {
      const run = await cli([...command, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Usage: npm run cli -- ${command.join(' ')}`);
    }
    expect((await cli(['sandbox', 'start', '--help'])).stdout).toContain('--faults none|light|heavy');
  });

  it('lists the roster subcommands for "roster" alone (exit 2) and for "roster --help" (exit 0)', async () => {
    const bare = await cli(['roster']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).not.toContain('Unknown command');
    for (const sub of ['roster sync', 'roster stats', 'roster export', 'roster rebuild'])
      expect(bare.stderr).toContain(sub);
    const help = await cli(['roster', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('roster export');
  });

  it('roster export --help lists the values each filter key takes', async () => {
    const run = await cli(['roster', 'export', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/status\s+legacy, reauth_pending, migrated/);
    expect(run.stdout).toMatch(/role\s+student, alumni/);
    expect(run.stdout).toMatch(
      /updatedSince\s+a date \(2026-11-01: that day's start in the platform's time zone\)/,
    );
  });

  it.each([
    [['frobnicate'], 'frobnicate'],
    [['migration', '--bogus'], '--bogus'],
    [['sandbox', 'start', '--faults', 'medium'], '--faults'],
    [['sandbox', 'start', '--port', 'eighty'], '--port'],
    [['sandbox', 'start', '--users', '0'], '--users'],
    [['migration', '--platform-url', 'ftp://x'], '--platform-url'],
    [['migration', '--platform-url', 'http://127.0.0.1:1/api'], '--platform-key-env'],
    [['migration', 'extra'], 'extra'],
    [[], 'command'],
  ])('exits 2 for %j and names %s', async (args, named) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(named);
    expect(run.stdout).toBe('');
  });

  it('names a missing environment variable, and keeps --json to one document', async () => {
    const run = await cli([
      'migration',
      '--json',
      '--platform-url',
      'http://127.0.0.1:1/api',
      '--platform-key-env',
      'CLI_TEST_UNSET_KEY',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('CLI_TEST_UNSET_KEY');
    const doc = JSON.parse(run.stdout) as { error: { code: string; message: string } };
    expect(doc.error.code).toBe('bad_input');
  });
});

describe('cli migration against a sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ users: 150, seed: 'cli', identity: false });
  });
  afterAll(async () => sandbox.close());

  it('prints the validated migration as one JSON document, key from the named variable', async () => {
    const run = await cli(
      ['migration', '--json', '--platform-url', sandbox.platformUrl, '--platform-key-env', 'CLI_TEST_KEY'],
      { CLI_TEST_KEY: sandbox.apiKey },
    );
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as {
      counts: { total: number; byStatus: Record<string, number> };
      timezone: string;
    };
    expect(doc.counts.total).toBe(150);
    expect(Object.values(doc.counts.byStatus).reduce((a, b) => a + b, 0)).toBe(150);
    expect(doc.timezone).toBe('America/New_York');
    expect(run.stderr).not.toContain('Demo mode');
    expect(run.stdout).not.toContain(sandbox.apiKey);
  });

  it('prints a readable summary with the cut-off in the platform time zone', async () => {
    const run = await cli(
      ['migration', '--platform-url', sandbox.platformUrl, '--platform-key-env', 'CLI_TEST_KEY'],
      { CLI_TEST_KEY: sandbox.apiKey },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Cut-off: .*23:59 E[SD]T \(America\/New_York\); (.* left|Cut-off passed)/);
    expect(run.stdout).toContain('Users: 150');
    expect(run.stdout).toMatch(/Progress: \d+% re-authorized/);
    // Words, not the platform's codes (those come with --json).
    expect(run.stdout).not.toMatch(/reauth_pending|not_connected|not_affected/);
  });

  it('fails with exit 1 and a support-ready message on a refused key', async () => {
    const run = await cli(
      ['migration', '--json', '--platform-url', sandbox.platformUrl, '--platform-key-env', 'CLI_TEST_KEY'],
      { CLI_TEST_KEY: 'wrong' },
    );
    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as { error: { code: string } }).error.code).toBe('unauthorized');
    expect(run.stderr).toContain('API key');
  });

  it('runs in demo mode without --platform-url and says so on stderr', async () => {
    const run = await cli(['migration', '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Demo mode');
    expect((JSON.parse(run.stdout) as { counts: { total: number } }).counts.total).toBeGreaterThan(0);
  });
});

describe('cli sandbox start', () => {
  it('prints one JSON line when ready and stops on SIGTERM', async () => {
    const child = spawn(
      NODE,
      ['electron/cli/main.ts', 'sandbox', 'start', '--users', '60', '--seed', 'cli-start'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')));
      });
      child.on('error', reject);
      child.on('close', () => reject(new Error(`exited before ready: ${stdout}`)));
    });
    const ready = JSON.parse(line) as Record<string, string>;
    expect(Object.keys(ready).sort()).toEqual([
      'adminUrl',
      'apiKey',
      'authorityUrl',
      'graphAppToken',
      'graphClientId',
      'graphClientSecret',
      'graphUrl',
      'platformUrl',
    ]);
    // What a script needs to verify against it: a ready app token that Graph accepts.
    const users = await fetch(`${ready['graphUrl']}/users/nobody@demo-university.edu/calendar`, {
      headers: { authorization: `Bearer ${ready['graphAppToken']}` },
    });
    expect(users.status).toBe(404);
    const reply = await fetch(`${ready['platformUrl']}/migration`, {
      headers: { authorization: `Bearer ${ready['apiKey']}` },
    });
    expect(reply.status).toBe(200);
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await closed).toBe(0);
    await expect(fetch(`${ready['platformUrl']}/migration`)).rejects.toThrow();
  });
});
