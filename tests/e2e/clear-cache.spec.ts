import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { openHost, startScript, stop } from './own-host.ts';

/**
 * Settings → Clear cache, as a director: the Users page open in another tab loses its rows and
 * fills again as the full sync that follows runs. A host of its own, so the shared one keeps its rows.
 */

test.use({ ignoreHTTPSErrors: true });

const USERS = 6000;

test('clearing the cache empties the Users view, then a full sync fills it again', async ({ browser }) => {
  test.setTimeout(90_000);
  const dataDir = await mkdtemp(join(tmpdir(), 'console-e2e-clear-'));
  let host: ChildProcess | null = null;
  const problems: string[] = [];
  try {
    const started = await startScript(
      ['scripts/serve.ts', '--port', '0', '--no-build', '--data-dir', dataDir, '--demo-users', String(USERS)],
      { ...process.env },
    );
    host = started.child;
    const users = await openHost(browser, started.line.replace(/^console url: /, ''), problems);
    const total = users.getByTestId('users-total');
    await expect(users.getByRole('button', { name: 'Refresh', exact: true })).toBeEnabled({
      timeout: 40_000,
    });
    await expect(total).toHaveAttribute('data-total', String(USERS), { timeout: 30_000 });
    const all = String(USERS);
    // Every total the Users tab shows from now on.
    // A string, not a function: this file is type-checked without the DOM library.
    await users.evaluate(`{
      const element = document.querySelector('[data-testid="users-total"]');
      const seen = (window.totalsSeen = []);
      new MutationObserver(() => seen.push(element.getAttribute('data-total') ?? '')).observe(element, {
        attributes: true,
        attributeFilter: ['data-total'],
      });
    }`);

    // Sign in as the demo director in a second tab (the account is the host's, not the tab's).
    const settings = await users.context().newPage();
    settings.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
    await settings.goto(`${new URL(users.url()).origin}/#/settings`);
    await settings.getByTestId('sign-in').click();
    const popup = users
      .context()
      .waitForEvent('page', { timeout: 5_000 })
      .catch(async () => {
        const opened = users.context().waitForEvent('page');
        await settings.getByTestId('open-sign-in-page').click();
        return opened;
      });
    await settings.getByTestId('sign-in-browser').click();
    const idp = await popup;
    await idp.getByRole('button', { name: /Demo director/ }).click();
    await expect(idp.getByRole('heading', { name: 'You are signed in' })).toBeVisible({ timeout: 15_000 });
    await idp.close();
    await settings.getByRole('dialog').getByRole('button', { name: 'Done' }).click();

    await settings.getByRole('button', { name: 'Clear cache' }).click();
    await expect(settings.getByText(/^Cleared: Roster cache[,.]/)).toBeVisible();

    // The Users tab: the rows went (or were being refilled from nothing), then all came back.
    await expect(total).toHaveAttribute('data-total', all, { timeout: 30_000 });
    await expect(users.getByRole('button', { name: 'Refresh', exact: true })).toBeEnabled({
      timeout: 30_000,
    });
    const seen = (await users.evaluate('window.totalsSeen')) as string[];
    expect(
      seen.some((value) => Number(value) < Number(all)),
      `totals seen: ${seen.join(', ')}`,
    ).toBe(true);
    expect(problems).toEqual([]);
  } finally {
    if (host !== null) await stop(host);
    await rm(dataDir, { recursive: true, force: true });
  }
});
