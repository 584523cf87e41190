import AxeBuilder from '@axe-core/playwright';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import PostalMime from 'postal-mime';
import { expect, openConsole, test } from './fixtures.ts';
import { signInAsDemoDirector } from './sign-in.ts';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const PREVIEW_FRAME = '[data-testid="preview-frame"]';

async function axe(page: Page, what: string): Promise<void> {
  // The preview frame is sandboxed without scripts (by design), so axe cannot run inside it; it holds the email.
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).exclude(PREVIEW_FRAME).analyze();
  const found = results.violations.map(
    (v) =>
      `${v.id} (${v.impact ?? 'n/a'}): ${v.help} -> ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(' | ')}`,
  );
  expect(found, what).toEqual([]);
}

/** Signs the host in as the demo director through Settings and the demo identity provider. */
/** The host's sign-in is shared by every test of a worker: leave it signed out. */
async function signOut(page: Page, origin: string): Promise<void> {
  const reply = await page
    .context()
    .request.post(`${origin}/api/invoke/auth.signOut`, { data: {}, headers: { origin } });
  expect(reply.ok()).toBe(true);
}

// The demo identity provider's certificate is the sandbox's own.
test.use({ viewport: { width: 1024, height: 700 }, ignoreHTTPSErrors: true });

test('compose from a template, lint with positions, preview per recipient in a sandboxed frame, export .eml, see it on the dashboard', async ({
  page,
  consoleHost,
}) => {
  test.setTimeout(120_000);
  await openConsole(page, '#/dashboard');
  await expect(page.getByRole('button', { name: 'Refresh', exact: true })).toBeEnabled({ timeout: 40_000 });
  await signInAsDemoDirector(page);
  try {
    await composeAndExport(page, consoleHost.dataDir);
  } finally {
    await signOut(page, consoleHost.origin);
  }
});

async function composeAndExport(page: Page, dataDir: string): Promise<void> {
  await page.goto('/#/announcements');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Announcements');

  // The built-in template loads and previews; the frame is sandboxed (no script) and shows the message.
  const subject = page.getByRole('textbox', { name: 'Subject' });
  await expect(subject).toHaveValue(/Action needed by \[DATE PROVIDED\]/);
  const frame = page.getByTestId('preview-frame');
  await expect(frame).toHaveAttribute('sandbox', '');
  // Checked on the element: no script of any kind runs inside the frame, not even a test's.
  await expect(frame).toHaveAttribute('srcdoc', /<p>Hi Alex,<\/p>/);
  await axe(page, 'compose');

  // Pasting the platform's template with a Subject line fills both fields; a typo is named with its position.
  const body = page.getByRole('textbox', { name: 'Message (Markdown)' });
  await body.fill(
    'Subject: Reconnect your [UNIVERSITY] calendar, {{FirstName}}\nHi {{FirstName}},\nplease act by [DATE PROVIDED] {{Frist}}.',
  );
  await expect(subject).toHaveValue('Reconnect your [UNIVERSITY] calendar, {{FirstName}}');
  await expect(body).toHaveValue('Hi {{FirstName}},\nplease act by [DATE PROVIDED] {{Frist}}.');
  const issue = page.getByRole('button', {
    name: /Body line 2, column 31: \{\{Frist\}\} is not a merge field\. Did you mean \{\{FirstName\}\}\?/,
  });
  await expect(issue).toBeVisible();
  await expect(page.getByText(/\[UNIVERSITY\] has no value/).first()).toBeVisible();
  // Enter on the issue puts the caret on it.
  await issue.focus();
  await page.keyboard.press('Enter');
  await expect(body).toBeFocused();
  expect(await body.evaluate((el: { selectionStart: number }) => el.selectionStart)).toBe(48);

  // Fix it by keyboard; give the university as an override.
  await body.fill('Hi {{FirstName}},\n\nplease [reconnect]({{MagicLink}}) by [DATE PROVIDED].');
  await page.getByRole('textbox', { name: '[UNIVERSITY]' }).fill('Demo University');
  await expect(page.getByText('Ready: nothing unresolved')).toBeVisible();
  await expect(page.getByTestId('preview-subject')).toHaveText(/^Reconnect your Demo University calendar, /);

  // Edge cases of the audience, the mobile width, the plain text and the headers as sent.
  await page.getByRole('button', { name: 'Next edge case' }).click();
  await expect(page.getByText(/^Edge case 1 of \d+: /)).toBeVisible();
  await page.getByRole('radio', { name: 'Mobile' }).check();
  await expect(frame).toHaveCSS('width', '375px');
  await page.getByRole('radio', { name: 'Plain text' }).check();
  await expect(page.getByTestId('preview-text')).toContainText('please reconnect (http');
  await page.getByRole('radio', { name: 'Headers' }).check();
  await expect(page.getByTestId('preview-headers')).toContainText('MIME-Version: 1.0');

  // Audience: counts and internal vs external.
  await page.getByRole('tab', { name: 'Audience' }).click();
  await page.getByRole('button', { name: 'Count recipients' }).click();
  await expect(page.getByTestId('audience-recipients')).not.toHaveText('0');
  await axe(page, 'audience');

  // Export .eml files: the messages are on disk, the announcement is recorded.
  await page.getByRole('tab', { name: 'Export' }).click();
  await axe(page, 'export');
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const done = page.getByRole('status').filter({ hasText: /Exported [\d,]+ messages/ });
  await expect(done).toBeVisible({ timeout: 60_000 });
  const folder = (await page.getByTestId('export-folder').textContent()) ?? '';
  expect(folder.startsWith(join(dataDir, 'exports'))).toBe(true);
  const files = readdirSync(folder).filter((f) => f.endsWith('.eml'));
  expect(files.length).toBeGreaterThan(0);
  // Every message written is read back by a maintained parser.
  for (const file of files) {
    const parsed = await PostalMime.parse(readFileSync(join(folder, file)));
    expect(parsed.subject).toMatch(/^Reconnect your Demo University calendar, /);
    expect(parsed.html).toMatch(
      /please <a href="http:\/\/127\.0\.0\.1:\d+\/magic\/[^"]+">reconnect<\/a> by /,
    );
  }

  await page.getByRole('tab', { name: 'History' }).click();
  await expect(page.getByRole('table', { name: 'Announcements' })).toContainText('Export (eml)');
  // Nobody could have re-authorized in the seconds since: the effect reads 0 of the recipients.
  await expect(page.getByRole('table', { name: 'Announcements' })).toContainText('0 (0%) / 0 (0%) / 0 (0%)');
  await axe(page, 'history');

  // The dashboard's chart marks the day.
  await page.goto('/#/dashboard');
  await expect(page.getByRole('img', { name: /1 announcement days are marked/ })).toBeVisible({
    timeout: 20_000,
  });
}

test('tabs work by keyboard and a signed-out operator is told why export is off', async ({
  page,
  consoleHost,
}) => {
  await openConsole(page, '#/dashboard');
  await signOut(page, consoleHost.origin);
  await page.goto('/#/announcements');
  const compose = page.getByRole('tab', { name: 'Compose' });
  await compose.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Export' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tab', { name: 'Export' })).toBeFocused();
  await expect(page.getByText('Sign in to draft and export announcements.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Export', exact: true })).toBeDisabled();

  // Preview for any user: find by name, pick one, and the message is theirs.
  await page.keyboard.press('Home');
  await expect(page.getByRole('tab', { name: 'Compose' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('preview-to')).toContainText('Alex Example');
  await page.getByRole('textbox', { name: 'Preview for a user' }).fill('an');
  await page.keyboard.press('Enter');
  const first = page.getByRole('list', { name: 'Users found' }).getByRole('button').first();
  const chosen = ((await first.textContent()) ?? '').replace(/ <.*$/, '');
  await first.click();
  await expect(page.getByTestId('preview-to')).toContainText(chosen);
  await expect(page.getByTestId('preview-to')).not.toContainText('Alex Example');
});
