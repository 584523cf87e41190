import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { DashboardSummary } from '../../shared/contract/index.ts';
import { expect, openConsole as openPage, PAINTED_THEMES, test } from './fixtures.ts';
import { signInAsDemoDirector } from './sign-in.ts';

/** Issue 14's checks: what directors and support see, at 1024×700 and 1440×900, in every theme. */

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const SIZES = [
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
] as const;

test.use({ ignoreHTTPSErrors: true });

/** Opens a page once the host's first roster sync has finished (totals grow until then). */
async function openConsole(page: Page, hash: string): Promise<void> {
  test.setTimeout(90_000);
  await openPage(page, hash);
  await expect(page.getByRole('button', { name: 'Refresh', exact: true })).toBeEnabled({ timeout: 40_000 });
}

async function invoke<T>(page: Page, origin: string, method: string, data: unknown): Promise<T> {
  const reply = await page
    .context()
    .request.post(`${origin}/api/invoke/${method}`, { data, headers: { origin } });
  expect(reply.ok(), `${method}: ${reply.status()} ${await reply.text()}`).toBe(true);
  return ((await reply.json()) as { value: T }).value;
}

/** Text under 11 CSS px anywhere in the main content, SVG text scaled as drawn (the chart's axes included). */
// Strings, not functions: this file is type-checked without the DOM library.
const SMALL_TEXT = `(() => {
  const found = [];
  const main = document.querySelector('main');
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = (node.textContent || '').trim();
    const element = node.parentElement;
    if (text === '' || element === null) continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    let size = parseFloat(getComputedStyle(element).fontSize);
    if (element instanceof SVGGraphicsElement) size *= (element.getScreenCTM() || { a: 1 }).a;
    if (size < 11) found.push(text.slice(0, 30) + ' (' + size.toFixed(1) + ' px)');
  }
  return found;
})()`;

const HC_COLOURS = `(() => {
  const fill = (el) => (el ? getComputedStyle(el).fill : 'missing');
  const band = document.querySelector('[data-testid="burnup-chart"] path:not([stroke-dasharray])');
  const parts = [...document.querySelectorAll('[data-testid="progress-bar"] rect')].map(
    (r) => r.getAttribute('data-part') + '=' + fill(r),
  );
  return { band: fill(band), parts };
})()`;

/** Text under 11 CSS px anywhere in the main content, SVG text scaled as drawn (the chart's axes included). */
const smallText = (page: Page): Promise<string[]> => page.evaluate<string[]>(SMALL_TEXT);

async function axe(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return results.violations.map(
    (v) =>
      `${v.id}: ${v.help} -> ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(' | ')}`,
  );
}

for (const size of SIZES) {
  for (const theme of PAINTED_THEMES) {
    test(`dashboard and users at ${size.width}×${size.height}, ${theme}: nothing clipped, no tiny text, axe clean`, async ({
      page,
      savePreferences,
    }) => {
      await page.setViewportSize(size);
      await savePreferences({ theme });
      await openConsole(page, '#/dashboard');
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await expect(page.getByTestId('changes-table')).toBeVisible();

      // The role table fits: its Total column and the definition under it are inside the card.
      const card = await page.getByTestId('progress').boundingBox();
      const total = await page
        .getByTestId('role-table')
        .getByRole('columnheader', { name: 'Total' })
        .boundingBox();
      const definition = await page.getByTestId('progress-definition').boundingBox();
      expect(total!.x + total!.width).toBeLessThanOrEqual(card!.x + card!.width);
      expect(definition!.x + definition!.width).toBeLessThanOrEqual(card!.x + card!.width);
      const wrap = await page
        .getByTestId('role-table')
        .evaluate((table) => [table.parentElement!.scrollWidth, table.parentElement!.clientWidth]);
      expect(wrap[0], 'the role table scrolls sideways').toBeLessThanOrEqual(wrap[1]!);

      await expect(page.getByTestId('burnup-chart')).toBeVisible();
      expect(await smallText(page), 'text under 11 px on the dashboard').toEqual([]);
      expect(await axe(page), 'dashboard').toEqual([]);

      if (theme === 'high-contrast') {
        // The forecast band and each part of the progress bar stay distinct from the card behind them.
        const colours = await page.evaluate<{ band: string; parts: string[] }>(HC_COLOURS);
        expect(colours.band).not.toBe('rgb(0, 0, 0)');
        expect(colours.band).not.toBe('none');
        const fills = colours.parts.map((p) => p.split('=')[1]);
        expect(new Set(fills).size, colours.parts.join(' ')).toBe(fills.length);
      }

      await openPage(page, '#/users');
      await expect(page.getByTestId('roster-row').first()).toBeVisible();
      // Default columns: all inside the grid, no sideways scrolling.
      const grid = page.getByTestId('roster-grid');
      const [scrollWidth, clientWidth] = await grid.evaluate((g) => [g.scrollWidth, g.clientWidth]);
      expect(scrollWidth, 'the Users table scrolls sideways').toBeLessThanOrEqual(clientWidth);
      const gridBox = (await grid.boundingBox())!;
      for (const name of ['Name', 'Email', 'Role', 'Status', 'Last sync', 'Error']) {
        const header = (await grid
          .getByRole('columnheader', { name: new RegExp(`^${name}`) })
          .boundingBox())!;
        expect(header.x + header.width, `${name} header`).toBeLessThanOrEqual(gridBox.x + gridBox.width + 1);
      }
      // The email of the first row is not cut: its cell is at least as wide as its text.
      const email = grid.getByTestId('roster-row').first().locator('[data-col="2"]');
      const [textWidth, cellWidth] = await email.evaluate((cell) => [cell.scrollWidth, cell.clientWidth]);
      if (size.width >= 1440) expect(textWidth).toBeLessThanOrEqual(cellWidth);
      expect(await email.getAttribute('title')).toMatch(/@/);
      // Role, Status and Last sync (columns 3–5 by default) are never cut, at 1024 px either.
      for (const col of [3, 4, 5]) {
        const cell = grid.getByTestId('roster-row').first().locator(`[data-col="${col}"]`);
        const [inner, outer] = await cell.evaluate((c) => [c.scrollWidth, c.clientWidth]);
        expect(inner, `column ${col} is cut`).toBeLessThanOrEqual(outer);
      }
      expect(await smallText(page), 'text under 11 px on Users').toEqual([]);
      expect(await axe(page), 'users').toEqual([]);
    });
  }
}

test('what changed since yesterday: each count opens exactly those users', async ({ page, consoleHost }) => {
  await openConsole(page, '#/dashboard');
  const table = page.getByTestId('changes-table');
  await expect(table).toBeVisible();
  await expect(page.getByTestId('changes-since')).toContainText(
    /Status changes since \w{3} \d+ \w{3} \d{4}, 00:00/,
  );
  // Landmarks and headings to jump by, and a visible focus ring on links.
  await expect(page.getByRole('navigation', { name: 'Dashboard sections' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'What changed' })).toBeVisible();
  const link = table.getByRole('link').last();
  await link.focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  expect(await link.evaluate((a) => a.ownerDocument.defaultView!.getComputedStyle(a).outlineStyle)).not.toBe(
    'none',
  );

  // First Graph sync overdue (> 30 min after connecting): a link to exactly those users.
  const overdue = page.getByTestId('first-sync').getByRole('link').last();
  const overdueCount = await overdue.getAttribute('data-count');
  await overdue.click();
  await expect(page).toHaveURL(/status=migrated&connectedBefore=[^&]+&lastSyncBefore=connectedAt/);
  await expect(page.getByTestId('users-total')).toHaveAttribute('data-total', overdueCount!);
  await page.goBack();
  await expect(table).toBeVisible();

  const total = Number(
    await page.getByTestId('changes-migrated').getByRole('link').last().getAttribute('data-count'),
  );
  await page.getByTestId('changes-migrated').getByRole('link').last().click();
  await expect(page).toHaveURL(/#\/users\?status=migrated&statusChangedSince=/);
  await expect(page.getByTestId('users-total')).toHaveAttribute('data-total', String(total));

  // The same counts as a roster query says, for each role.
  const since = decodeURIComponent(/statusChangedSince=([^&]+)/.exec(page.url())![1]!);
  const result = await invoke<{ total: number; facets: { role: Record<string, number> } }>(
    page,
    consoleHost.origin,
    'roster.query',
    {
      filter: { status: ['error'], statusChangedSince: since },
      sort: { field: 'userId', direction: 'asc' },
      offset: 0,
      limit: 1,
      now: new Date().toISOString(),
    },
  );
  await page.goBack();
  await expect(page.getByTestId('changes-error').getByRole('link').last()).toHaveAttribute(
    'data-count',
    String(result.total),
  );
  await expect(page.getByTestId('changes-error').getByRole('link').first()).toHaveAttribute(
    'data-count',
    String(result.facets.role['student']),
  );

  // This visit was remembered: the next one can count from it.
  await page.reload();
  await expect(page.getByTestId('changes-table')).toBeVisible();
  const yesterday = await page.getByTestId('changes-since').textContent();
  await page.getByTestId('changes-since-visit').click();
  await expect(page.getByTestId('changes-since')).not.toHaveText(yesterday!);
  await expect(page.getByTestId('changes-since')).toContainText(
    /Status changes since \w{3} \d+ \w{3} \d{4}, \d\d:\d\d/,
  );
  await expect(page.getByTestId('changes-table')).toBeVisible();
});

test('the forecast line starts where the re-authorized line ends, and the legend lists only what is drawn', async ({
  page,
  consoleHost,
}) => {
  await openConsole(page, '#/dashboard');
  const summary = await invoke<DashboardSummary>(page, consoleHost.origin, 'dashboard.summary', {});
  expect(summary.forecast).not.toBeNull();
  const now = summary.migration.counts.byStatus;
  const first = summary.forecast!.points[0]!;
  // Tomorrow = today's re-authorized users + one day (or the time left) at the expected rate.
  expect(first.expected - (now.migrated + now.error)).toBeGreaterThanOrEqual(0);
  expect(first.expected - (now.migrated + now.error)).toBeLessThanOrEqual(
    summary.forecast!.ratePerDay.expected + 1e-6,
  );
  await page.getByRole('button', { name: 'Show the chart’s data as a table' }).click();
  const rows = page.getByRole('region', { name: 'The chart’s data' }).getByRole('row');
  const lastHistory = rows.filter({ hasNot: page.getByRole('cell', { name: /\(/ }) }).last();
  await expect(lastHistory.getByRole('cell').first()).toHaveText(
    (now.migrated + now.error).toLocaleString('en-US'),
  );
  const legend = page.getByTestId('burnup-legend');
  await expect(legend).toContainText('Re-authorized');
  await expect(legend).toContainText('Forecast');
  if (summary.announcementDays.length === 0) await expect(legend).not.toContainText('Announcement');
});

test('users: search as the table shows names, header checkbox, first Graph sync pending, notices do not move the table', async ({
  page,
  consoleHost,
}) => {
  await openConsole(page, '#/users');
  const grid = page.getByTestId('roster-grid');
  const first = grid.getByTestId('roster-row').first();
  await expect(first).toBeVisible();
  const userId = (await first.getAttribute('data-user-id'))!;
  const shown = (await first.locator('[data-col="1"]').textContent())!.replace(/ \(.*\)$/, '');
  const [last, given] = shown.split(', ') as [string, string];
  const search = page.getByRole('searchbox', { name: /Search users/ });
  for (const typed of [shown, `${given} ${last}`, `${given.slice(0, 3)} ${last.slice(0, 3)}`]) {
    await search.fill(typed);
    await expect(page).toHaveURL(new RegExp(`q=`));
    await expect(grid.locator(`[data-user-id="${userId}"]`), `search "${typed}"`).toBeVisible();
  }

  // Narrow to that one user (by email), select it: the header shows checked, not mixed.
  const email = (await first.locator('[data-col="2"]').getAttribute('title'))!;
  await search.fill(email);
  await expect(page.getByTestId('users-total')).toHaveAttribute('data-total', '1');
  await grid.getByTestId('roster-row').first().locator('[data-col="0"]').click();
  await expect(page.getByTestId('header-check')).toHaveAttribute('data-state', 'on');
  await expect(page.getByTestId('selection-count')).toHaveText('All 1 matching selected');

  // "First Graph sync pending" is the two-timestamp filter, and matches the core's own answer.
  await search.fill('');
  await page.getByRole('button', { name: /Views/ }).click();
  await page.getByRole('menuitem', { name: 'First Graph sync pending' }).click();
  await expect(page).toHaveURL(/status=migrated.*lastSyncBefore=connectedAt/);
  const truth = await invoke<{ total: number }>(page, consoleHost.origin, 'roster.query', {
    filter: { status: ['migrated'], lastSyncBefore: 'connectedAt' },
    sort: { field: 'connectedAt', direction: 'asc' },
    offset: 0,
    limit: 1,
    now: new Date().toISOString(),
  });
  await expect(page.getByTestId('users-total')).toHaveAttribute('data-total', String(truth.total));

  // The export notice floats: the table does not move.
  const before = (await grid.boundingBox())!;
  await page.getByRole('button', { name: 'Export CSV' }).click();
  await expect(page.getByTestId('notice-area')).toContainText('Export ready');
  const after = (await grid.boundingBox())!;
  expect(after.y).toBe(before.y);
});

test('users: columns can be hidden and resized, and the choice is remembered', async ({
  page,
  consoleHost,
}) => {
  await invoke(page, consoleHost.origin, 'preferences.set', {
    usersColumns: { hidden: ['connected', 'mailbox', 'userId'], widths: {} },
  });
  await openConsole(page, '#/users');
  const grid = page.getByTestId('roster-grid');
  await expect(grid.getByTestId('roster-row').first()).toBeVisible();
  await page.getByTestId('columns-menu').click();
  await page.getByRole('menuitemcheckbox', { name: 'Provider' }).click();
  await page.keyboard.press('Escape');
  await expect(grid.getByRole('columnheader', { name: /^Provider/ })).toHaveCount(0);

  // Alt+→ on a header widens its column.
  const email = grid.getByRole('columnheader', { name: /^Email/ });
  const width = (await email.boundingBox())!.width;
  await grid.focus();
  await page.keyboard.press('ArrowRight'); // header row: name → email
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Alt+ArrowRight');
  await page.keyboard.press('Alt+ArrowRight');
  await expect.poll(async () => (await email.boundingBox())!.width).toBeGreaterThan(width + 20);

  await page.reload();
  await expect(grid.getByTestId('roster-row').first()).toBeVisible();
  await expect(grid.getByRole('columnheader', { name: /^Provider/ })).toHaveCount(0);
  expect((await grid.getByRole('columnheader', { name: /^Email/ }).boundingBox())!.width).toBeGreaterThan(
    width + 20,
  );
  await invoke(page, consoleHost.origin, 'preferences.set', {
    usersColumns: { hidden: ['provider', 'connected', 'mailbox', 'userId'], widths: {} },
  });
});

test('sign-in: cancel is immediate and not an error; every settings form says "Saved."', async ({
  page,
  context,
}) => {
  test.setTimeout(90_000);
  await openPage(page, '#/settings');
  await page.getByTestId('sign-in').click();
  const dialog = page.getByRole('dialog');
  // Stop the pop-up from taking the page over: the flow just waits.
  context.on('page', (opened) => void opened.close());
  await page.getByTestId('sign-in-browser').click();
  await expect(dialog).toContainText('Waiting for you to finish in the browser');
  await page.getByTestId('cancel-sign-in').click();
  const started = Date.now();
  await expect(page.getByTestId('sign-in-browser')).toBeVisible({ timeout: 1_000 });
  expect(Date.now() - started).toBeLessThan(1_000);
  await expect(page.getByTestId('sign-in-error')).toHaveCount(0);
  await expect(page.getByTestId('sign-in-cancelled')).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await page.getByTestId('sign-in').click();
  await expect(page.getByTestId('sign-in-error')).toHaveCount(0);
  await expect(page.getByTestId('sign-in-cancelled')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Close' }).click();
  context.removeAllListeners('page');

  await signInAsDemoDirector(page);
  // The data folder in plain words, with the details behind a disclosure.
  await expect(page.getByTestId('data-folder-path')).toContainText('Your settings and data live in');
  await expect(page.getByTestId('secrets-storage')).toContainText(/restart/);
  await expect(page.getByTestId('secrets-storage')).not.toContainText('node -e');
  await expect(page.getByTestId('storage-details')).not.toHaveAttribute('open', '');
  await expect(page.getByTestId('app-registration-steps')).toContainText('How to register');

  const university = page.locator('form[aria-label="University settings"]');
  await university.getByLabel('University name').fill('Demo University of Testing');
  await university.locator('button[type="submit"]').click();
  await expect(page.locator('form[aria-label="University settings"] [role="status"]')).toHaveText('Saved.');

  const signIn = page.locator('form[aria-label="Sign-in settings"]');
  await signIn.locator('button[type="submit"]').click();
  await expect(page.locator('form[aria-label="Sign-in settings"] [role="status"]')).toContainText(/^Saved\./);

  await page.getByTestId('theme-dark').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.locator('section[aria-labelledby="settings-appearance"] [role="status"]')).toHaveText(
    'Saved.',
  );
  // An unselected theme's label is in the normal text colour, not the disabled-looking grey.
  const [unselected, selected] = await Promise.all([
    page
      .getByTestId('theme-light')
      .locator('xpath=..')
      .locator('label')
      .evaluate((l) => l.ownerDocument.defaultView!.getComputedStyle(l).color),
    page
      .getByTestId('theme-dark')
      .locator('xpath=..')
      .locator('label')
      .evaluate((l) => l.ownerDocument.defaultView!.getComputedStyle(l).color),
  ]);
  expect(unselected).toBe(selected);
});
