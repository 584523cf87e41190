import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, test, type Browser, type Page } from '@playwright/test';

/**
 * Offline start from the sealed cache, with hosts of its own (not the shared demo host of
 * fixtures.ts): a browser host pointed at a local sandbox platform with `--platform-url`, its
 * roster sealed under CONSOLE_DATA_KEY in a data folder that outlives it. Then the sandbox stops,
 * the port is closed, and the host starts again on the same folder.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const NODE = join(ROOT, 'node_modules/.bin/node');
const USERS = 400;
const KEY_ENV = 'E2E_PLATFORM_KEY';

interface Started {
  child: ChildProcess;
  line: string;
}

/** Spawns a project script and resolves with its first stdout line. */
function startScript(args: string[], env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(NODE, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-8_000)));
  return new Promise((resolveLine, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start.\n${stderr}`)), 30_000);
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolveLine({ child, line: line.trim() });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args[0]} exited (${code}) before it was ready.\n${stderr}`));
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Opens the host's one-time URL in a fresh context and returns the page on the console. */
async function openHost(browser: Browser, url: string, problems: string[]): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  await page.goto(url);
  await expect(page.locator('h1')).toBeVisible();
  await page.goto(`${new URL(url).origin}/#/users`);
  await expect(page.locator('h1')).toHaveText('Users');
  return page;
}

test('starts offline from the sealed roster cache, says how old it is, and says offline everywhere', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const dataDir = await mkdtemp(join(tmpdir(), 'console-e2e-offline-'));
  const children: ChildProcess[] = [];
  const problems: string[] = [];
  try {
    const sandbox = await startScript(
      ['electron/cli/main.ts', 'sandbox', 'start', '--users', String(USERS)],
      {
        ...process.env,
      },
    );
    children.push(sandbox.child);
    const { platformUrl, apiKey } = JSON.parse(sandbox.line) as { platformUrl: string; apiKey: string };
    const hostArgs = [
      'scripts/serve.ts',
      '--port',
      '0',
      '--no-build',
      '--data-dir',
      dataDir,
      '--platform-url',
      platformUrl,
      '--platform-key-env',
      KEY_ENV,
    ];
    const env = {
      ...process.env,
      CONSOLE_DATA_KEY: randomBytes(32).toString('base64'),
      [KEY_ENV]: apiKey,
    };

    // First run: online, the roster is synced and sealed into <data>/store.
    const first = await startScript(hostArgs, env);
    children.push(first.child);
    let page = await openHost(browser, first.line.replace(/^console url: /, ''), problems);
    await expect(page.getByTestId('users-total')).toHaveAttribute('data-total', String(USERS), {
      timeout: 30_000,
    });
    await expect(page.getByRole('button', { name: 'Refresh', exact: true })).toBeEnabled({ timeout: 30_000 });
    await expect(page.getByTestId('status-bar')).toContainText('Ready');
    await expect(page.getByTestId('offline-banner')).toHaveCount(0);
    const firstUser = await page.getByTestId('roster-row').first().getAttribute('data-user-id');
    expect(firstUser).toBeTruthy();
    await page.context().close();
    await stop(first.child);
    expect(await readdir(join(dataDir, 'store'))).toContain('console.db');

    // The platform goes away: its port is closed.
    await stop(sandbox.child);

    // Second run on the same folder: the cached rows at once, offline, with the cache's age.
    const second = await startScript(hostArgs, env);
    children.push(second.child);
    page = await openHost(browser, second.line.replace(/^console url: /, ''), problems);
    await expect(page.getByTestId('users-total')).toHaveAttribute('data-total', String(USERS));
    await expect(page.getByTestId('roster-row').first()).toHaveAttribute('data-user-id', firstUser!);
    const banner = page.getByTestId('offline-banner');
    await expect(banner).toContainText('Offline');
    await expect(banner).toContainText(/cached roster from (just now|\d+ min ago)/);
    await expect(page.getByTestId('status-bar')).toContainText('Offline');

    await page.goto(`${new URL(page.url()).origin}/#/dashboard`);
    await expect(page.locator('h1')).toHaveText('Dashboard');
    await expect(page.getByTestId('offline-banner')).toContainText('cached roster');
    await expect(page.getByTestId('status-bar')).toContainText('Offline');
    await page.context().close();
    expect(problems).toEqual([]);
  } finally {
    for (const child of children.reverse()) await stop(child);
    await rm(dataDir, { recursive: true, force: true });
  }
});
