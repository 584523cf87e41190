import { expect, openConsole, test } from './fixtures.ts';
import { PRODUCT_NAME } from './pages.ts';

test('the shell loads through the one-time URL with its landmarks', async ({ page, hostInfo }) => {
  const { dataSource } = await hostInfo();
  await openConsole(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dashboard');
  await expect(page.getByRole('banner')).toContainText(PRODUCT_NAME);
  await expect(page.getByRole('navigation', { name: 'Console pages' })).toBeVisible();
  await expect(page.getByRole('main')).toBeVisible();
  await expect(page.getByRole('contentinfo')).toBeVisible();
  // The badge appears exactly when the host says its data is demo data.
  await expect(page.getByTestId('demo-badge')).toHaveCount(dataSource.kind === 'demo' ? 1 : 0);
  if (dataSource.kind === 'demo') await expect(page.getByRole('banner')).toContainText('Demo data');
});

test('the status bar shows the data source, its state and freshness', async ({ page, hostInfo }) => {
  // Ask the host what it reports, so the test follows the core's wording instead of copying it.
  const source = (await hostInfo()).dataSource;
  await openConsole(page);
  const status = page.getByRole('status');
  await expect(status).toHaveAttribute('aria-live', 'polite');
  await expect(status).toContainText(`Data source: ${source.label}`);
  await expect(status).toContainText(source.state.charAt(0).toUpperCase() + source.state.slice(1));
  if (source.lastRefreshedAt === null) await expect(status).toContainText('never refreshed');
  else await expect(status).toContainText(/refreshed/);
  if (source.detail !== null) await expect(status).toContainText(source.detail);
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

test('the CSP blocks injected inline style and the suite notices it', async ({ page, pageProblems }) => {
  await openConsole(page);
  await page.evaluate(() => {
    const doc = (
      globalThis as unknown as {
        document: { createElement(t: string): { textContent: string }; head: { append(n: unknown): void } };
      }
    ).document;
    const style = doc.createElement('style');
    style.textContent = 'body { display: none }';
    doc.head.append(style);
  });
  await expect
    .poll(() => pageProblems.filter((p) => p.startsWith('CSP violation: style-src-elem')).length)
    .toBeGreaterThan(0);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  // This violation was the point of the test: clear it so the guard only judges the rest.
  pageProblems.length = 0;
});
