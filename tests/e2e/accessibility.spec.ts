import AxeBuilder from '@axe-core/playwright';
import { expect, openConsole, PAINTED_THEMES, test } from './fixtures.ts';
import { CONSOLE_PAGES } from './pages.ts';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// One test per page and theme: each gets its own time budget, and a failure names both.
for (const theme of PAINTED_THEMES) {
  for (const target of CONSOLE_PAGES) {
    test(`${target.title} has zero axe violations in the ${theme} theme`, async ({
      page,
      savePreferences,
    }) => {
      // axe over a page with a virtualised table takes several seconds on a busy machine.
      test.slow();
      // Fluent's buttons fade between states; axe must not measure a colour half-way through a fade
      // (seen once as a contrast failure on a button that had just become enabled).
      await page.emulateMedia({ reducedMotion: 'reduce' });
      await savePreferences({ theme });
      await openConsole(page);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await page.goto(`/${target.hash}`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(target.title);
      // Announcements' preview frame is sandboxed without scripts, so axe cannot run inside it (the email itself).
      const results = await new AxeBuilder({ page })
        .withTags(WCAG_TAGS)
        .exclude('[data-testid="preview-frame"]')
        .analyze();
      // Name each violation and its first nodes so a failure says what to fix without a trace.
      const found = results.violations.map(
        (v) =>
          `${v.id} (${v.impact ?? 'n/a'}): ${v.help} -> ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join(' | ')}`,
      );
      expect(found, `${target.title} in ${theme}`).toEqual([]);
      expect(results.passes.length, 'axe really ran').toBeGreaterThan(10);
    });
  }
}
