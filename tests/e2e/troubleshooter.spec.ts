import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, openConsole, test } from './fixtures.ts';
import { signInAsDemoDirector } from './sign-in.ts';

// The demo identity provider's certificate is generated at start; only this test browser accepts it.
test.use({ ignoreHTTPSErrors: true });

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return results.violations.map(
    (v) => `${v.id}: ${v.help} -> ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`,
  );
}

/** A user as the table shows them: "Last, First" and their id, from the first roster row. */
async function someUser(page: Page): Promise<{ name: string; userId: string }> {
  await page.goto('/#/users?status=migrated');
  const row = page.getByTestId('roster-row').first();
  await expect(row).toBeVisible({ timeout: 40_000 });
  const userId = (await row.getAttribute('data-user-id'))!;
  const name = (await row.locator('[aria-colindex="2"]').innerText()).trim();
  return { name, userId };
}

test('Ctrl+K finds a user by "Last, First" from any page and opens the troubleshooter', async ({ page }) => {
  test.setTimeout(90_000);
  await openConsole(page, '#/dashboard');
  const user = await someUser(page);
  await page.goto('/#/settings');
  await page.keyboard.press('Control+k');
  const input = page.getByTestId('palette-input');
  await expect(input).toBeFocused();
  await input.fill(user.name);
  await expect(page.locator(`[data-testid="palette-option"][data-user-id="${user.userId}"]`)).toBeVisible();
  expect(await axeViolations(page), 'palette').toEqual([]);
  // Arrow to the user and open with Enter.
  const options = page.getByTestId('palette-option');
  const ids = await options.evaluateAll((els) => els.map((e) => e.getAttribute('data-user-id')));
  for (let i = 0; i < ids.indexOf(user.userId); i++) await input.press('ArrowDown');
  await input.press('Enter');

  const detail = page.getByTestId('user-detail');
  await expect(detail).toBeVisible();
  await expect(detail.getByTestId('diagnoses').locator('[data-code]').first()).toBeVisible({
    timeout: 15_000,
  });
  await expect(detail.getByTestId('timeline').locator('li').first()).toBeVisible();
  await expect(detail.getByTestId('connection-card')).toContainText(user.userId);
  // Signed out: actions are there but explained, not dead.
  await expect(detail.getByRole('button', { name: 'Verify now' })).toBeDisabled();
  await expect(detail).toContainText('Sign in to act on one user');
  expect(await axeViolations(page), 'troubleshooter').toEqual([]);
});

test('a director verifies, resyncs and creates a magic link, each confirmed', async ({ page }) => {
  test.setTimeout(120_000);
  await openConsole(page, '#/dashboard');
  const user = await someUser(page);
  await signInAsDemoDirector(page);
  await page.keyboard.press('Control+k');
  await page.getByTestId('palette-input').fill(user.userId);
  await page.locator(`[data-testid="palette-option"][data-user-id="${user.userId}"]`).click();
  const detail = page.getByTestId('user-detail');
  await expect(detail.getByTestId('diagnoses').locator('[data-code]').first()).toBeVisible({
    timeout: 15_000,
  });

  await detail.getByRole('button', { name: 'Verify now' }).click();
  const confirm = page.getByRole('alertdialog');
  await expect(confirm).toContainText('read only');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  await detail.getByRole('button', { name: 'Verify now' }).click();
  await page.getByTestId('confirm-action').click();
  await expect(detail.getByTestId('action-outcome')).toContainText('Verified', { timeout: 30_000 });
  await expect(detail.getByTestId('latest-verification')).toHaveAttribute(
    'data-verdict',
    /ok|anomalies|no_items/,
  );

  await detail.getByRole('button', { name: 'Resync' }).click();
  await page.getByTestId('confirm-action').click();
  await expect(detail.getByTestId('action-outcome')).toContainText('Resync requested');

  await detail.getByRole('button', { name: 'Magic link' }).click();
  await page.getByTestId('confirm-action').click();
  await expect(detail.getByTestId('magic-link')).toHaveValue(/^https?:\/\//);

  await detail.getByRole('button', { name: 'Force-disconnect' }).click();
  await expect(page.getByTestId('confirm-action')).toBeDisabled(); // a reason first
  await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();

  // The Users view lists the latest verifications by verdict; a row opens the user.
  await page.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(page.getByTestId('user-detail')).toBeHidden();
  await page.goto('/#/users');
  await page.getByTestId('verification-results').click();
  const results = page.getByRole('dialog', { name: 'Verification results' });
  for (const label of ['OK', 'No items']) await results.getByRole('button', { name: label }).click();
  const row = results.locator('[data-testid="verification-result"]', { hasText: user.userId });
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: user.userId }).click();
  await expect(page.getByTestId('user-detail').getByTestId('connection-card')).toContainText(user.userId);
});

test('Settings → Verification keeps the app’s secret sealed and shows only its end', async ({ page }) => {
  test.setTimeout(90_000);
  await openConsole(page, '#/settings');
  const section = page.getByRole('form', { name: 'Verification app' });
  await expect(section.getByTestId('verification-access')).toContainText('demo sandbox’s verifier app');
  await signInAsDemoDirector(page);
  await page.goto('/#/settings');
  await section.getByLabel('Tenant').fill('contoso.onmicrosoft.com');
  await section.getByLabel('Application (client) id').fill('00000000-0000-4000-8000-000000000001');
  await section.locator('input[name="verifySecret"]').fill('a-client-secret-9z8y');
  await section.getByRole('button', { name: 'Save' }).click();
  await expect(section.getByRole('status')).toContainText('Saved');
  await expect(section).toContainText('configured, ends in …9z8y');
  await expect(section.locator('input[name="verifySecret"]')).toHaveValue('');
  expect(await page.content()).not.toContain('a-client-secret-9z8y');
  await section.getByRole('button', { name: 'Remove' }).click();
  await expect(section.getByTestId('verification-access')).toContainText('demo sandbox’s verifier app');
});
