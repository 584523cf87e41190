import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { expect, openConsole, PAINTED_THEMES, test } from './fixtures.ts';

const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');

// Screenshots for a person to look at: the look is judged by eye, not by a brittle pixel diff.
for (const theme of PAINTED_THEMES) {
  test(`screenshots of the dashboard and settings in the ${theme} theme`, async ({
    page,
    savePreferences,
  }) => {
    await mkdir(SHOTS, { recursive: true });
    await savePreferences({ theme });
    await openConsole(page, '#/dashboard');
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await page.screenshot({ path: resolve(SHOTS, `dashboard-${theme}.png`) });
    await openConsole(page, '#/settings');
    // A fresh load, so the heading does not wear the focus ring a navigation gives it.
    await page.reload();
    await expect(page.getByRole('radio', { name: /^Light/ })).toBeChecked({ checked: theme === 'light' });
    await page.screenshot({ path: resolve(SHOTS, `settings-${theme}.png`) });
  });
}

test('a narrow window keeps every page reachable through an icon rail', async ({ page }) => {
  await page.setViewportSize({ width: 640, height: 720 });
  await openConsole(page, '#/users');
  const nav = page.getByRole('navigation', { name: 'Console pages' });
  // The labels leave the screen but still name the links.
  await expect(nav.getByRole('link', { name: /^Announcements/ })).toBeVisible();
  await expect(nav.getByText('Alt+3')).toBeHidden();
  await page.screenshot({ path: resolve(SHOTS, 'users-narrow-light.png') });
  await nav.getByRole('link', { name: /^Announcements/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Announcements');
});
