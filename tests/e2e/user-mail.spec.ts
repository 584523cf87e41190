import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, openConsole, test } from './fixtures.ts';
import { signInAsDemoDirector } from './sign-in.ts';

// The demo identity provider's certificate is generated at start; only this test browser accepts it.
test.use({ ignoreHTTPSErrors: true });

async function openLegacyUser(page: Page): Promise<string> {
  await page.goto('/#/users?status=legacy');
  const row = page.getByTestId('roster-row').first();
  await expect(row).toBeVisible({ timeout: 40_000 });
  const userId = (await row.getAttribute('data-user-id'))!;
  await page.keyboard.press('Control+k');
  await page.getByTestId('palette-input').fill(userId);
  await page.locator(`[data-testid="palette-option"][data-user-id="${userId}"]`).click();
  return userId;
}

test('the troubleshooter lists announcements sent to the user and emails a magic link, confirmed', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openConsole(page, '#/dashboard');
  await signInAsDemoDirector(page);
  await openLegacyUser(page);
  const detail = page.getByTestId('user-detail');
  await expect(detail.getByRole('heading', { name: 'Announcements sent to this user' })).toBeVisible();
  // The worker's host is shared: a send in another spec may already have reached this user, so the section
  // must have loaded either way (deliver-reminders.spec checks that a send is listed here).
  await expect(
    detail.getByTestId('user-announcements-none').or(detail.getByTestId('user-announcements')),
  ).toBeVisible({ timeout: 15_000 });

  const email = detail.getByRole('button', { name: 'Send link by email' });
  await email.click();
  const confirm = page.getByRole('alertdialog');
  await expect(confirm).toContainText('from your own mailbox');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  // By keyboard: focus the button, Enter opens the confirmation, the confirm button sends.
  await email.focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('confirm-action').click();
  const outcome = detail.getByTestId('action-outcome');
  await expect(outcome).toContainText('Magic link emailed to', { timeout: 20_000 });
  await expect(outcome).toContainText('career.director@');
  // The link itself is never shown for an emailed link.
  await expect(detail.getByTestId('magic-link')).toHaveCount(0);
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(results.violations.map((v) => v.id)).toEqual([]);
});

test('signed out, emailing a link is disabled with the reason', async ({ page }) => {
  test.setTimeout(90_000);
  await openConsole(page, '#/dashboard');
  await openLegacyUser(page);
  const detail = page.getByTestId('user-detail');
  await expect(detail.getByRole('button', { name: 'Send link by email' })).toBeDisabled();
  await expect(detail).toContainText('Sign in to act on one user');
});
