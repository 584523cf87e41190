import { expect, openConsole, test } from './fixtures.ts';

test('the shell loads through the one-time URL and shows the data source', async ({ page }) => {
  await openConsole(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dashboard');
  await expect(page).toHaveTitle('Dashboard · Calendar Sync Migration Console');
  await expect(page.getByRole('banner')).toContainText('Calendar Sync Migration Console');
  await expect(page.getByRole('status')).toContainText(/Data source:/);
});
