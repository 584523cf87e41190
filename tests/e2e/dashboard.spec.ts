import AxeBuilder from '@axe-core/playwright';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import type { Migration } from '../../shared/domain/platform.ts';
import { expect, openConsole as openPage, test } from './fixtures.ts';

/**
 * Opens a page once the host's first roster sync has finished: the host starts syncing the
 * demo roster at start-up, and totals grow until it is done.
 */
async function openConsole(page: Page, hash: string): Promise<void> {
  test.setTimeout(60_000);
  await openPage(page, hash);
  await expect(page.getByRole('button', { name: 'Refresh', exact: true })).toBeEnabled({ timeout: 40_000 });
}

const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** The platform's truth, asked over the page's own session, as the console itself asks it. */
async function overview(page: Page, origin: string): Promise<Migration> {
  const reply = await page
    .context()
    .request.post(`${origin}/api/invoke/migration.overview`, { data: {}, headers: { origin } });
  expect(reply.ok()).toBe(true);
  return ((await reply.json()) as { value: Migration }).value;
}

const countOf = async (page: Page, label: RegExp): Promise<number> =>
  Number(await page.getByRole('link', { name: label }).first().getAttribute('data-count'));

test('the dashboard counts equal the platform’s, overall and per role', async ({ page, consoleHost }) => {
  // The counts come from the platform's summary, not the local roster: no need to wait for a sync.
  await openPage(page, '#/dashboard');
  await expect(page.getByTestId('overall-share')).toBeVisible();
  const truth = await overview(page, consoleHost.origin);
  const s = truth.counts.byStatus;
  expect(await countOf(page, /^[\d,]+ users migrated:/)).toBe(s.migrated);
  expect(await countOf(page, /^[\d,]+ users still to act:/)).toBe(s.legacy + s.reauth_pending);
  expect(await countOf(page, /^[\d,]+ users whose Graph connection fails:/)).toBe(s.error);
  expect(await countOf(page, /^[\d,]+ users in the roster:/)).toBe(truth.counts.total);
  // The one definition of progress (shared/progress): re-authorized = migrated + failing on Graph.
  const reauthorized = s.migrated + s.error;
  expect(await countOf(page, /^[\d,]+ users re-authorized \(migrated/)).toBe(reauthorized);
  const share = Math.floor((reauthorized / (reauthorized + s.legacy + s.reauth_pending)) * 100);
  await expect(page.getByTestId('overall-share')).toHaveText(`${share}%`);
  for (const [role, label] of [
    ['student', 'students'],
    ['alumni', 'alumni'],
    ['career_center', 'career center'],
  ] as const) {
    const r = truth.counts.byRole[role];
    expect(await countOf(page, new RegExp(`^[\\d,]+ ${label} still to act:`))).toBe(
      r.legacy + r.reauth_pending,
    );
    expect(await countOf(page, new RegExp(`^[\\d,]+ ${label} not affected:`))).toBe(r.not_affected);
  }
  await expect(page.getByTestId('countdown-text')).toHaveText(/(days? \d+ hours? left|passed)/);
});

test('a number opens the Users view filtered to exactly those users', async ({ page }) => {
  await openConsole(page, '#/dashboard');
  const link = page.getByRole('link', { name: /^[\d,]+ students still to act:/ });
  const expected = Number(await link.getAttribute('data-count'));
  expect(expected).toBeGreaterThan(0);
  await link.click();
  await expect(page).toHaveURL(/#\/users\?status=legacy,reauth_pending&role=student$/);
  await expect(page.getByTestId('users-total')).toHaveAttribute('data-total', String(expected));
  await expect(page.getByRole('button', { name: 'Status (2)' })).toBeVisible();
  // Every row shown is a student still to act.
  const rows = page.getByTestId('roster-row');
  await expect(rows.first()).toBeVisible();
  for (const text of await rows.allInnerTexts())
    expect(text).toMatch(/Student[\s\S]*(On Outlook REST v2\.0|Re-auth pending)/);
});

for (const theme of ['light', 'dark'] as const) {
  test(`Dashboard and Users have zero axe violations in the ${theme} theme`, async ({
    page,
    savePreferences,
  }) => {
    await mkdir(SHOTS, { recursive: true });
    await savePreferences({ theme });
    for (const hash of ['#/dashboard', '#/users'] as const) {
      await openConsole(page, hash);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await expect(
        hash === '#/users' ? page.getByTestId('roster-row').first() : page.getByTestId('overall-share'),
      ).toBeVisible();
      if (hash === '#/dashboard')
        await page
          .getByRole('button', { name: /Show the chart’s data/ })
          .click()
          .catch(() => undefined);
      const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
      const found = results.violations.map(
        (v) =>
          `${v.id}: ${v.help} -> ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join(' | ')}`,
      );
      expect(found, `${hash} in ${theme}`).toEqual([]);
      await page.screenshot({ path: resolve(SHOTS, `${hash.slice(2)}-${theme}.png`), fullPage: false });
      if (hash === '#/dashboard') {
        await page.getByTestId('burnup').scrollIntoViewIfNeeded();
        await page.screenshot({ path: resolve(SHOTS, `dashboard-chart-${theme}.png`) });
      }
    }
  });
}
