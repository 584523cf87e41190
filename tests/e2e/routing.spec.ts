import { expect, openConsole, test } from './fixtures.ts';
import { CONSOLE_PAGES, PRODUCT_NAME } from './pages.ts';

test('the bare address opens the dashboard without adding a history entry', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dashboard');
  await expect(page).toHaveURL(/#\/dashboard$/);
  await expect(page).toHaveTitle(`Dashboard · ${PRODUCT_NAME}`);
});

test('hash routes survive reload and follow back and forward', async ({ page }) => {
  await openConsole(page);
  const nav = page.getByRole('navigation', { name: 'Console pages' });
  await nav.getByRole('link', { name: /^Users/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Users');
  await nav.getByRole('link', { name: /^Jobs/ }).click();
  await expect(page).toHaveURL(/#\/jobs$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Jobs');
  await expect(nav.getByRole('link', { name: /^Jobs/ })).toHaveAttribute('aria-current', 'page');

  await page.goBack();
  await expect(page).toHaveURL(/#\/users$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Users');
  await expect(page).toHaveTitle(`Users · ${PRODUCT_NAME}`);
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dashboard');
  await page.goForward();
  await page.goForward();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Jobs');

  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Jobs');
  await expect(page).toHaveURL(/#\/jobs$/);
});

test('every page has one h1, a title, and real content or an honest empty state', async ({ page }) => {
  await openConsole(page);
  for (const target of CONSOLE_PAGES) {
    await page.goto(`/${target.hash}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(target.title);
    await expect(page.locator('h1')).toHaveCount(1);
    await expect(page).toHaveTitle(`${target.title} · ${PRODUCT_NAME}`);
    const placeholder = page.getByText('Not built yet');
    if (target.built) await expect(placeholder).toHaveCount(0);
    else await expect(placeholder).toBeVisible();
  }
});

test('an unknown address says so and links back', async ({ page }) => {
  await openConsole(page, '#/no-such-page');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await expect(page.getByRole('main')).toContainText('/no-such-page');
  await page.getByRole('main').getByRole('link', { name: 'Go to Dashboard' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dashboard');
});
