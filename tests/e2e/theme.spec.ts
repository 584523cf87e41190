import { expect, openConsole, test } from './fixtures.ts';

test('a theme picked in Settings applies at once and survives a reload', async ({ page }) => {
  await openConsole(page, '#/settings');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  // FluentProvider's root paints the window background from the theme's tokens.
  const provider = page.locator('.fui-FluentProvider').first();
  const background = () =>
    provider.evaluate(
      (el) =>
        (
          globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }
        ).getComputedStyle(el).backgroundColor,
    );
  const lightBackground = await background();

  await page.getByRole('radio', { name: /^Dark/ }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await background(), 'the page really repainted').not.toBe(lightBackground);

  await page.reload();
  await expect(page.getByRole('radio', { name: /^Dark/ })).toBeChecked();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

  await page.getByRole('radio', { name: /^High contrast/ }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'high-contrast');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'high-contrast');
});

test("'system' follows the OS colour scheme and forced colours", async ({ page }) => {
  await openConsole(page, '#/settings');
  await expect(page.getByRole('radio', { name: /^System/ })).toBeChecked();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.emulateMedia({ colorScheme: 'dark', forcedColors: 'active' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'high-contrast');
  await page.emulateMedia({ colorScheme: 'light', forcedColors: 'none' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});
