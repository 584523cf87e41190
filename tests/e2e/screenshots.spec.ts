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
    await expect(page.getByRole('radio', { name: /^Light/ })).toBeChecked({ checked: theme === 'light' });
    await page.screenshot({ path: resolve(SHOTS, `settings-${theme}.png`) });
  });
}
