import type { Page } from '@playwright/test';
import { expect, openConsole } from './fixtures.ts';

/**
 * Signs in through the dialog as the demo identity provider's director, from the Settings page.
 * The system-browser flow opens the provider's page as a pop-up (or, when the pop-up is blocked,
 * through the dialog's "open the sign-in page" link).
 */
export async function signInAsDemoDirector(page: Page): Promise<void> {
  const context = page.context();
  await openConsole(page, '#/settings');
  await page.getByTestId('sign-in').click();
  const dialog = page.getByRole('dialog');
  const popup = context.waitForEvent('page', { timeout: 5_000 }).catch(async () => {
    const opened = context.waitForEvent('page');
    await page.getByTestId('open-sign-in-page').click();
    return opened;
  });
  await page.getByTestId('sign-in-browser').click();
  const idp = await popup;
  await idp.waitForLoadState();
  await idp.getByRole('button', { name: /Demo director/ }).click();
  await expect(idp.getByRole('heading', { name: 'You are signed in' })).toBeVisible({ timeout: 15_000 });
  await idp.close();
  await expect(dialog).toContainText('Signed in as Demo Director');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('account-menu')).toContainText('Director');
}
