import { expect, openConsole, test } from './fixtures.ts';
import { PRODUCT_NAME } from './pages.ts';

test('the shell loads through the one-time URL with its landmarks', async ({ page }) => {
  await openConsole(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dashboard');
  await expect(page.getByRole('banner')).toContainText(PRODUCT_NAME);
  await expect(page.getByRole('navigation', { name: 'Console pages' })).toBeVisible();
  await expect(page.getByRole('main')).toBeVisible();
  await expect(page.getByRole('contentinfo')).toBeVisible();
  // The host has no data source configured yet, so there is no demo data to flag.
  await expect(page.getByTestId('demo-badge')).toHaveCount(0);
});

test('the status bar shows the data source, its state and freshness', async ({ page }) => {
  await openConsole(page);
  const status = page.getByRole('status');
  await expect(status).toHaveAttribute('aria-live', 'polite');
  await expect(status).toContainText('No data source');
  await expect(status).toContainText('Offline');
  await expect(status).toContainText('never refreshed');
  await expect(status).toContainText('No platform is configured yet.');
});

test('an allowlisted external link opens in a new tab in the browser host', async ({ page, context }) => {
  // No network here: answer for Microsoft's site so the new tab loads something.
  await context.route('https://learn.microsoft.com/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<title>stand-in</title>' }),
  );
  await openConsole(page);
  const [popup] = await Promise.all([
    context.waitForEvent('page'),
    page.getByRole('link', { name: /comparison of Outlook REST and Microsoft Graph/ }).click(),
  ]);
  await popup.waitForLoadState();
  expect(popup.url()).toBe('https://learn.microsoft.com/en-us/outlook/rest/compare-graph');
  // noopener: the new tab cannot reach back into the console.
  expect(await popup.evaluate(() => (globalThis as unknown as { opener: unknown }).opener)).toBeNull();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dashboard');
});
