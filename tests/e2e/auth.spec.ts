import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, openConsole, test } from './fixtures.ts';

// The demo identity provider's certificate is generated at start; only this test browser is told
// to accept it (the console itself pins it and keeps verification on).
test.use({ ignoreHTTPSErrors: true });

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return results.violations.map(
    (v) => `${v.id}: ${v.help} -> ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`,
  );
}

test('signs in through the demo identity provider page and out again, by keyboard', async ({
  page,
  context,
}) => {
  await openConsole(page, '#/settings');
  await expect(page.getByText('Sign in to change the console’s settings.').first()).toBeVisible();

  await page.getByTestId('sign-in').focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('demo identity provider');
  expect(await axeViolations(page), 'sign-in dialog').toEqual([]);

  // The host sends the sign-in page's address and the console opens it; a blocked pop-up falls
  // back to the dialog's own button, which is what a person would press.
  const popup = context.waitForEvent('page', { timeout: 5_000 }).catch(async () => {
    const opened = context.waitForEvent('page');
    await page.getByTestId('open-sign-in-page').click();
    return opened;
  });
  await page.getByTestId('sign-in-browser').focus();
  await page.keyboard.press('Enter');
  await expect(dialog).toContainText('Waiting for you to finish in the browser');
  const idp = await popup;
  await idp.waitForLoadState();
  await expect(idp.getByRole('heading', { level: 1 })).toBeVisible();
  await idp.getByRole('button', { name: /Demo director/ }).click();
  await expect(idp.getByRole('heading', { name: 'You are signed in' })).toBeVisible({ timeout: 15_000 });
  await idp.close();

  await expect(dialog).toContainText('Signed in as Demo Director');
  await dialog.getByRole('button', { name: 'Done' }).press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('account-menu')).toContainText('Director');
  await expect(page.getByText('Sign in to change the console’s settings.')).toHaveCount(0);
  await expect(page.getByLabel('University name')).toBeEnabled();
  await expect(page.getByTestId('account-menu')).toBeFocused();
  expect(await axeViolations(page), 'settings page, signed in').toEqual([]);

  await page.getByTestId('account-menu').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('sign-out').press('Enter');
  await expect(page.getByTestId('sign-in')).toBeVisible();
  await expect(page.getByLabel('University name')).toBeDisabled();
});
