import type { Page } from '@playwright/test';
import { expect, openConsole } from './fixtures.ts';

/** Signs in through the dialog as the demo identity provider's director, from the Settings page. */
export async function signInAsDemoDirector(page: Page): Promise<void> {
  await signInAsDemo(page, 'Director');
}

/** The same flow as the demo identity provider's support specialist. */
export async function signInAsDemoSupport(page: Page): Promise<void> {
  await signInAsDemo(page, 'Support');
}

/**
 * Signs in through the dialog as one of the demo identity provider's accounts, from the Settings page.
 * The system-browser flow opens the provider's page as a pop-up (or, when the pop-up is blocked,
 * through the dialog's "open the sign-in page" link).
 */
async function signInAsDemo(page: Page, role: 'Director' | 'Support'): Promise<void> {
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
  await idp.getByRole('button', { name: new RegExp(`Demo ${role}`, 'i') }).click();
  await expect(idp.getByRole('heading', { name: 'You are signed in' })).toBeVisible({ timeout: 15_000 });
  await idp.close();
  await expect(dialog).toContainText(`Signed in as Demo ${role}`);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('account-menu')).toContainText(role);
}
