import type { Page } from '@playwright/test';
import { expect, openConsole, test } from './fixtures.ts';
import { CONSOLE_PAGES } from './pages.ts';

/** Just the DOM this file touches: the e2e project is type-checked without the DOM library. */
interface ElementLike {
  tagName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  matches(selector: string): boolean;
}
interface BrowserLike {
  document: { activeElement: ElementLike | null; body: ElementLike };
  getComputedStyle(el: ElementLike): { outlineStyle: string; outlineWidth: string };
}

/** What has focus, described well enough to assert on. */
function focused(page: Page) {
  return page.evaluate(() => {
    const win = globalThis as unknown as BrowserLike;
    const el = win.document.activeElement;
    if (!el || el === win.document.body) return null;
    const style = win.getComputedStyle(el);
    return {
      tag: el.tagName.toLowerCase(),
      text: (el.textContent ?? '').trim(),
      testId: el.getAttribute('data-testid'),
      focusVisible: el.matches(':focus-visible'),
      outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    };
  });
}

test('a keyboard-only walk visits every page and changes the theme', async ({ page }) => {
  await openConsole(page);

  // The first Tab stop is the skip link, and it shows itself when focused.
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeFocused();
  await expect(page).toHaveURL(/#\/dashboard$/);

  // Back from the heading through the navigation: every page link is reachable and shows a
  // focus outline, in page order.
  const seen: string[] = [];
  for (let i = 0; i < CONSOLE_PAGES.length; i++) {
    await page.keyboard.press('Shift+Tab');
    const now = await focused(page);
    expect(now?.focusVisible && now.outline, `${now?.text ?? 'nothing'} shows its focus`).toBe(true);
    seen.unshift(now?.testId ?? `not a nav link: ${now?.tag ?? 'none'}`);
  }
  expect(seen).toEqual(CONSOLE_PAGES.map((p) => `nav-${p.hash.slice(2)}`));

  // Forward again with Tab; Enter on a link opens its page and moves focus to the heading.
  for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
  expect((await focused(page))?.testId).toBe('nav-audit-log');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeFocused();

  // Alt+1..6 from anywhere, each landing on the page's heading.
  for (const target of CONSOLE_PAGES) {
    await page.keyboard.press(target.shortcut);
    await expect(page).toHaveURL(new RegExp(`${target.hash}$`));
    await expect(page.getByRole('heading', { level: 1, name: target.title })).toBeFocused();
  }

  // On Settings, Tab reaches the theme picker; arrow keys change the theme at once.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('radio', { name: /^System/ })).toBeFocused();
  expect((await focused(page))?.focusVisible).toBe(true);
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: /^Light/ })).toBeChecked();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: /^Dark/ })).toBeChecked();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'high-contrast');
});

test('the navigation shows each page’s shortcut', async ({ page }) => {
  await openConsole(page);
  const nav = page.getByRole('navigation', { name: 'Console pages' });
  for (const target of CONSOLE_PAGES) {
    const link = nav.getByRole('link', { name: new RegExp(`^${target.title}`) });
    await expect(link).toHaveAttribute('aria-keyshortcuts', target.shortcut);
    await expect(link).toContainText(target.shortcut);
  }
  await expect(nav).toContainText('Press Alt and a number to jump to a page.');
});
