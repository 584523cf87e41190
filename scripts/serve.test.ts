import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeFakeRenderer } from '../electron/host/testing.ts';
import { defaultDataDir, parseServeArgs, PROJECT_ROOT, UsageError } from '../electron/host/serve-command.ts';

const NODE = join(PROJECT_ROOT, 'node_modules', '.bin', 'node');
const SERVE = join(PROJECT_ROOT, 'scripts', 'serve.ts');

interface Run {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function runServe(args: string[]): Run {
  const child = spawn(NODE, [SERVE, ...args], { cwd: PROJECT_ROOT, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

async function waitFor(predicate: () => boolean, what: string, run: Run): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!predicate()) {
    if (Date.now() > deadline || run.child.exitCode !== null)
      throw new Error(`${what} did not happen; stderr:\n${run.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('npm run serve', () => {
  it('prints one console url line, serves the renderer through it, and stops cleanly on SIGTERM', async () => {
    const fake = await makeFakeRenderer();
    cleanups.push(fake.cleanup);
    const run = runServe([
      '--port',
      '0',
      '--no-build',
      '--data-dir',
      fake.dataDir,
      '--renderer-dir',
      fake.rendererDir,
    ]);
    cleanups.push(async () => void run.child.kill('SIGKILL'));
    await waitFor(() => run.stdout().includes('\n'), 'the console url line', run);
    const match = /^console url: (http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43})\n$/.exec(
      run.stdout(),
    );
    expect(match, run.stdout()).not.toBeNull();
    const url = new URL(match?.[1] ?? '');

    const exchange = await fetch(url, { redirect: 'manual' });
    expect(exchange.status).toBe(303);
    const cookie = (exchange.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const page = await fetch(new URL('/', url), { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const info = await fetch(new URL('/api/invoke/app.info', url), {
      method: 'POST',
      headers: { Cookie: cookie, Origin: url.origin, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(await info.json()).toMatchObject({ ok: true, value: { host: 'browser' } });

    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(
      run
        .stdout()
        .split('\n')
        .filter((line) => line !== ''),
    ).toHaveLength(1);
    expect(run.stderr()).toContain('browser host stopped');
    expect(run.stderr()).not.toContain(url.searchParams.get('token'));
  });

  it('exits 2 with a usage error naming a bad argument', async () => {
    const unknown = runServe(['--prot', '80']);
    expect(await unknown.exit).toBe(2);
    expect(unknown.stderr()).toContain('--prot');
    expect(unknown.stderr()).toContain('Usage:');
    expect(unknown.stdout()).toBe('');
    const port = runServe(['--port', 'eighty', '--no-build']);
    expect(await port.exit).toBe(2);
    expect(port.stderr()).toContain('--port');
  });

  it('exits 1 telling the operator to build when the renderer folder has no index.html', async () => {
    const fake = await makeFakeRenderer();
    cleanups.push(fake.cleanup);
    const run = runServe([
      '--port',
      '0',
      '--no-build',
      '--data-dir',
      fake.dataDir,
      '--renderer-dir',
      join(fake.base, 'empty'),
    ]);
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toMatch(/index\.html is missing.*npm run build/);
    expect(run.stdout()).toBe('');
  });
});

describe('serve arguments', () => {
  it('defaults to port 5183, a build, out/renderer and the per-user data folder', () => {
    const options = parseServeArgs([], '/somewhere', { XDG_DATA_HOME: '/xdg' });
    expect(options).toEqual({
      port: 5183,
      build: true,
      help: false,
      rendererDir: join(PROJECT_ROOT, 'out', 'renderer'),
      dataDir:
        process.platform === 'linux'
          ? '/xdg/calendar-sync-console'
          : defaultDataDir({ XDG_DATA_HOME: '/xdg' }),
    });
  });

  it('resolves folders against the working directory and reads every flag', () => {
    expect(
      parseServeArgs(['--port', '0', '--no-build', '--data-dir', 'd', '--renderer-dir', '/r'], '/home/op'),
    ).toMatchObject({
      port: 0,
      build: false,
      dataDir: '/home/op/d',
      rendererDir: '/r',
    });
    expect(parseServeArgs(['-h']).help).toBe(true);
  });

  it('refuses out-of-range ports, positionals, empty folders and unknown flags', () => {
    for (const args of [
      ['--port', '65536'],
      ['--port', '-1'],
      ['--port', '1e3'],
      ['--port'],
      ['extra'],
      ['--data-dir', ''],
      ['--verbose'],
    ]) {
      expect(() => parseServeArgs(args), args.join(' ')).toThrow(UsageError);
    }
  });

  it('follows XDG_DATA_HOME only when it is absolute, and the platform conventions elsewhere', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/x' }, 'linux', '/home/a')).toBe('/x/calendar-sync-console');
    expect(defaultDataDir({ XDG_DATA_HOME: 'relative' }, 'linux', '/home/a')).toBe(
      '/home/a/.local/share/calendar-sync-console',
    );
    expect(defaultDataDir({}, 'linux', '/home/a')).toBe('/home/a/.local/share/calendar-sync-console');
    expect(defaultDataDir({}, 'darwin', '/Users/a')).toBe(
      '/Users/a/Library/Application Support/calendar-sync-console',
    );
  });
});
