import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, openConsole, test } from './fixtures.ts';
import { signInAsDemoDirector } from './sign-in.ts';

// The demo identity provider's certificate is generated at start; only this test browser accepts it.
test.use({ ignoreHTTPSErrors: true });
// The director test signs in on the worker's shared host; the signed-out test must not overlap it.
test.describe.configure({ mode: 'serial' });

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return results.violations.map(
    (v) => `${v.id}: ${v.help} -> ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`,
  );
}

function rows(page: Page) {
  return page.locator('[role="row"][aria-rowindex]').filter({ has: page.locator('[role="gridcell"]') });
}

async function signOut(page: Page): Promise<void> {
  await page.getByTestId('account-menu').click();
  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('sign-in')).toBeVisible();
}

test('signed out: force-disconnect is disabled and says why; opening a user keeps a selection of several', async ({
  page,
}) => {
  await openConsole(page, '#/users');
  await expect(rows(page).first()).toBeVisible();
  await rows(page).nth(1).locator('[aria-colindex="1"]').click();
  await rows(page)
    .nth(2)
    .locator('[aria-colindex="1"]')
    .click({ modifiers: ['Control'] });
  await expect(page.getByTestId('selection-count')).toHaveText('2 selected');
  await expect(page.getByTestId('force-disconnect')).toBeDisabled();
  await expect(page.locator('#force-disconnect-why')).toContainText('Sign in');
  // A plain click on another row opens its detail and leaves the selection alone.
  await rows(page).nth(4).locator('[aria-colindex="3"]').click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('selection-count')).toHaveText('2 selected');

  await openConsole(page, '#/jobs');
  await expect(page.getByTestId('jobs-empty').or(page.getByTestId('jobs-table'))).toBeVisible();
  expect(await axeViolations(page), 'jobs page').toEqual([]);
  await openConsole(page, '#/audit-log');
  await expect(page.getByTestId('audit-table')).toBeVisible();
  await page.getByTestId('audit-verify').press('Enter');
  await expect(page.getByTestId('audit-verification')).toContainText('The audit log is intact');
  expect(await axeViolations(page), 'audit page').toEqual([]);
});

test('a director previews, confirms by typing the count, and follows the job to the end; the audit log records it', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signInAsDemoDirector(page);
  await openConsole(page, '#/users?status=legacy&role=career_center');
  await expect(page.getByTestId('users-total')).not.toHaveAttribute('data-total', '');
  await page.getByLabel('Select all matching users').click();
  await expect(page.getByTestId('selection-count')).toHaveText(/^All [\d,]+ matching selected$/);
  await page.getByTestId('force-disconnect').click();
  const dialog = page.getByRole('alertdialog');
  const eligible = dialog.getByTestId('fd-eligible');
  await expect(eligible).toBeVisible({ timeout: 30_000 });
  const count = Number(await eligible.getAttribute('data-count'));
  expect(count).toBeGreaterThan(0);
  await expect(dialog).toContainText('These users still have time');
  expect(await axeViolations(page), 'force-disconnect dialog').toEqual([]);
  await expect(dialog.getByTestId('fd-start')).toBeDisabled();
  await dialog.getByTestId('fd-confirm-count').fill(String(count + 1));
  await expect(dialog.getByTestId('fd-start')).toBeDisabled();
  await dialog.getByTestId('fd-confirm-count').fill(count.toLocaleString('en-US'));
  await dialog.getByTestId('fd-start').click();
  await expect(dialog).toBeHidden();

  await openConsole(page, '#/jobs');
  const row = page.getByTestId('job-row').first();
  await expect(row).toHaveAttribute('data-state', 'completed', { timeout: 60_000 });
  await expect(row).toContainText(`disconnected ${count.toLocaleString('en-US')}`);
  await row.getByRole('button', { name: /Force-disconnect/ }).press('Enter');
  await expect(page.getByRole('table', { name: 'Per-user outcomes' })).toBeVisible();
  expect(await axeViolations(page), 'jobs page with a job open').toEqual([]);

  await openConsole(page, '#/audit-log');
  await page.getByRole('searchbox', { name: 'Search action, target or who' }).fill('disconnect.start');
  await expect(page.getByTestId('audit-table')).toContainText('disconnect.start');
  await page.getByTestId('audit-verify').click();
  await expect(page.getByTestId('audit-verification')).toContainText('The audit log is intact');
  await signOut(page);
});

test('a director verifies a selection as a job, downloads its report, and filters Users by the verdicts', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signInAsDemoDirector(page);
  // Users nobody has verified yet (other tests of this host may have verified some).
  await openConsole(page, '#/users?status=migrated&verdict=never');
  const total = page.getByTestId('users-total');
  await expect(total).not.toHaveAttribute('data-total', '');
  const neverBefore = Number(await total.getAttribute('data-total'));
  expect(neverBefore).toBeGreaterThan(3);
  await rows(page).nth(0).locator('[aria-colindex="1"]').click();
  for (const n of [1, 2])
    await rows(page)
      .nth(n)
      .locator('[aria-colindex="1"]')
      .click({ modifiers: ['Control'] });
  await expect(page.getByTestId('selection-count')).toHaveText('3 selected');
  await page.getByTestId('verify-selection').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Verify 3 users');
  expect(await axeViolations(page), 'verify dialog').toEqual([]);
  await dialog.getByTestId('verify-start').click();
  await expect(dialog).toBeHidden();

  await openConsole(page, '#/jobs');
  const row = page.getByTestId('job-row').filter({ hasText: 'Verify 3 users' }).first();
  await expect(row).toHaveAttribute('data-state', 'completed', { timeout: 60_000 });
  const download = page.waitForEvent('download');
  await row.getByTestId('verify-report-csv').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^job_\w+-verification\.csv$/);
  const csv = await readFile(await file.path(), 'utf8');
  const lines = csv.split('\r\n').filter((line) => line !== '');
  expect(lines[0]).toBe(
    '"userId","verdict","itemId","externalEventId","class","detail","newId","checkedAt","jobId"',
  );
  expect(new Set(lines.slice(1).map((line) => line.split('","')[0]))).toHaveProperty('size', 3);

  // The verdicts are a filter of the Users view: three fewer never verified, and the facet menu says so.
  await openConsole(page, '#/users?status=migrated&verdict=never');
  await expect(total).toHaveAttribute('data-total', String(neverBefore - 3));
  await page.getByTestId('facet-verdict').click();
  await page.getByRole('menuitemcheckbox', { name: /Never verified/ }).click();
  await page.getByRole('menuitemcheckbox', { name: /All items as stored/ }).click();
  await page.getByRole('menuitemcheckbox', { name: /Could not be verified/ }).click();
  for (const name of [
    /Missing events/,
    /Event id changed/,
    /Time or title differs/,
    /Duplicated events/,
    /Legacy event id/,
  ])
    await page.getByRole('menuitemcheckbox', { name }).click();
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/verdict=ok,missing,id_changed,mismatch,duplicate,legacy_id,unverified/);
  await expect(total).not.toHaveAttribute('data-total', '');
  expect(Number(await total.getAttribute('data-total'))).toBeGreaterThanOrEqual(3);
  expect(await axeViolations(page), 'users filtered by verdict').toEqual([]);
  await signOut(page);
});
