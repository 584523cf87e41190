import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { storeFolderFor } from '../../electron/core/roster/store-folder.ts';
import { openHost, startScript, stop } from './own-host.ts';

/**
 * Offline start from the sealed cache, with hosts of its own (not the shared demo host of
 * fixtures.ts): a browser host pointed at a local sandbox platform with `--platform-url`, its
 * roster sealed under CONSOLE_DATA_KEY in a data folder that outlives it. Then the sandbox stops,
 * the port is closed, and the host starts again on the same folder.
 */

const USERS = 400;
const KEY_ENV = 'E2E_PLATFORM_KEY';

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
    // Settings shows the saved platform (none here), and says which one this run reads from.
    await page.goto(`${new URL(page.url()).origin}/#/settings`);
    await expect(page.getByTestId('platform-in-use')).toContainText(
      `This run reads from ${new URL(platformUrl).host}`,
    );
    await page.context().close();
    await stop(first.child);
    expect(await readdir(join(dataDir, storeFolderFor(platformUrl)))).toContain('console.db');

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

    await page.goto(`${new URL(page.url()).origin}/#/settings`);
    await expect(page.getByTestId('roster-cache-storage')).toContainText(
      'Personal data is encrypted on this computer',
    );
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
