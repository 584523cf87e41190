import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
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

const total = (page: Page) => page.getByTestId('users-total');
const rows = (page: Page) => page.getByTestId('roster-row');

test('search as you type, and sort by a column header', async ({ page }) => {
  await openConsole(page, '#/users');
  await expect(rows(page).first()).toBeVisible();
  const all = Number(await total(page).getAttribute('data-total'));
  const email = (await rows(page).nth(2).getAttribute('data-user-id'))!;
  await page.getByRole('searchbox', { name: /Search users/ }).fill(email);
  await expect(page).toHaveURL(new RegExp(`q=${email}`));
  await expect(total(page)).toHaveAttribute('data-total', /^[1-9]\d*$/);
  const found = Number(await total(page).getAttribute('data-total'));
  expect(found).toBeLessThan(all);
  await expect(rows(page).first()).toHaveAttribute('data-user-id', new RegExp(`^${email}`));

  await page.getByRole('searchbox', { name: /Search users/ }).fill('');
  await expect(total(page)).toHaveAttribute('data-total', String(all));
  const header = page.getByRole('columnheader', { name: 'Email' });
  await header.click();
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  await expect(page).toHaveURL(/sort=email$/);
  // A sort on a new column may take the host a moment (it orders the whole roster once).
  await expect(rows(page).first()).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('roster-row-loading')).toHaveCount(0, { timeout: 15_000 });
  const ascending = await rows(page).locator('[aria-colindex="3"]').allInnerTexts();
  await header.click();
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  await expect(rows(page).locator('[aria-colindex="3"]').first()).not.toHaveText(ascending[0]!, {
    timeout: 15_000,
  });
  await expect(page.getByTestId('roster-row-loading')).toHaveCount(0, { timeout: 15_000 });
  const descending = await rows(page).locator('[aria-colindex="3"]').allInnerTexts();
  expect(descending.length).toBeGreaterThan(5);
  // The engine collates by locale; the first rows of each direction must not overlap.
  expect(descending.slice(0, 5).some((e) => ascending.slice(0, 5).includes(e))).toBe(false);
});

test('click, Ctrl-click, Shift-click and select all matching', async ({ page }) => {
  await openConsole(page, '#/users?role=career_center');
  await expect(rows(page).first()).toBeVisible();
  const matching = Number(await total(page).getAttribute('data-total'));
  await rows(page).nth(1).locator('[aria-colindex="1"]').click();
  await expect(page.getByTestId('selection-count')).toHaveText('1 selected');
  await rows(page)
    .nth(3)
    .locator('[aria-colindex="1"]')
    .click({ modifiers: ['Control'] });
  await expect(page.getByTestId('selection-count')).toHaveText('2 selected');
  await rows(page)
    .nth(6)
    .locator('[aria-colindex="3"]')
    .click({ modifiers: ['Shift'] });
  // Range from the anchor (row 3) to row 6 replaces the selection: rows 3..6.
  await expect(page.getByTestId('selection-count')).toHaveText('4 selected');
  await expect(rows(page).nth(4)).toHaveAttribute('aria-selected', 'true');
  await expect(rows(page).nth(1)).toHaveAttribute('aria-selected', 'false');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: `Select all ${matching.toLocaleString('en-US')} matching` }).click();
  await expect(page.getByTestId('selection-count')).toHaveText(
    `All ${matching.toLocaleString('en-US')} matching selected`,
  );
  await expect(rows(page).nth(9)).toHaveAttribute('aria-selected', 'true');
});

test('export downloads the current view as CSV', async ({ page }) => {
  await openConsole(page, '#/users?role=career_center&status=migrated');
  await expect(rows(page).first()).toBeVisible();
  const matching = Number(await total(page).getAttribute('data-total'));
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const text = await readFile((await download.path())!, 'utf8');
  const lines = text.trim().split(/\r?\n/);
  // A header line and one line per matching user (the demo's names hold no line breaks).
  expect(lines.length).toBe(matching + 1);
  expect(lines[0]).toMatch(/userId|email/i);
  const firstId = (await rows(page).first().getAttribute('data-user-id'))!;
  expect(text).toContain(firstId);
  await expect(page.getByText(/users saved to/)).toBeVisible();
});

test('the table works by keyboard alone', async ({ page }) => {
  await openConsole(page, '#/users?role=alumni');
  await expect(rows(page).first()).toBeVisible();
  const grid = page.getByRole('grid', { name: 'Users' });
  await grid.focus();
  await expect(grid).toBeFocused();
  // Header row first: Enter sorts by the active column (Name), flipping to descending.
  await page.keyboard.press('Enter');
  await expect(page.getByRole('columnheader', { name: 'Name' })).toHaveAttribute('aria-sort', 'descending');
  await expect(page).toHaveURL(/dir=desc/);
  await expect(rows(page).first()).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const second = await grid.getAttribute('aria-activedescendant');
  expect(second).toMatch(/-r1-c1$/);
  await page.keyboard.press('Space');
  await expect(rows(page).nth(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Shift+Space');
  await page.keyboard.press('PageDown');
  await expect(grid).toHaveAttribute('aria-activedescendant', /-r(9|[1-9]\d+)-c1$/);
  await page.keyboard.press('Control+End');
  const last = Number(await total(page).getAttribute('data-total')) - 1;
  await expect(grid).toHaveAttribute('aria-activedescendant', new RegExp(`-r${last}-c1$`));
  await expect(grid.locator(`[aria-rowindex="${last + 2}"]`)).toHaveAttribute('data-user-id', /.+/);
  await page.keyboard.press('Enter');
  const detail = page.getByTestId('user-detail');
  await expect(detail).toBeVisible();
  await expect(detail.getByText('User id')).toBeVisible();
  await expect(detail.getByText('Alumnus').or(detail.getByText('Alumni'))).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(detail).toBeHidden();
  await expect(grid).toBeFocused();
  await page.keyboard.press('Control+a');
  await expect(page.getByTestId('selection-count')).toHaveText(/^All [\d,]+ matching selected$/);
});

test('bad filters in the address are named, and the rest still applies', async ({ page }) => {
  await openConsole(page, '#/users?status=legacy,paused&sort=shoe');
  await expect(page.getByText(/Ignored status “paused”/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Status (1)' })).toBeVisible();
  await expect(rows(page).first()).toContainText('On Outlook REST v2.0');
});
