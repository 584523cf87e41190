import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, openConsole, PAINTED_THEMES, test } from './fixtures.ts';
import { signInAsDemoDirector, signInAsDemoSupport } from './sign-in.ts';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function axe(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(WCAG_TAGS)
    .exclude('[data-testid="preview-frame"]')
    .analyze();
  expect(
    results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`),
    what,
  ).toEqual([]);
}

/** The host's sign-in is shared by every test of a worker: leave it signed out. */
async function signOut(page: Page, origin: string): Promise<void> {
  const reply = await page
    .context()
    .request.post(`${origin}/api/invoke/auth.signOut`, { data: {}, headers: { origin } });
  expect(reply.ok()).toBe(true);
}

async function openTab(page: Page, name: string): Promise<void> {
  await page.goto('/#/announcements');
  await expect(page.getByRole('textbox', { name: 'Subject' })).toHaveValue(/\S/, { timeout: 20_000 });
  // The built-in template names [UNIVERSITY]: give it as Compose's override (Settings has none in the demo).
  await page.getByRole('textbox', { name: '[UNIVERSITY]' }).fill('Demo University');
  await expect(page.getByTestId('preview-subject')).toContainText('Demo University');
  await page.getByRole('tab', { name }).click();
}

// The demo identity provider's certificate is the sandbox's own; the page must work at 1024×700.
test.use({ viewport: { width: 1024, height: 700 }, ignoreHTTPSErrors: true });

test('send: the plan, a test to oneself first, a confirmation naming the count, then progress per recipient', async ({
  page,
  consoleHost,
}) => {
  test.setTimeout(150_000);
  await openConsole(page, '#/dashboard');
  await expect(page.getByRole('button', { name: 'Refresh', exact: true })).toBeEnabled({ timeout: 40_000 });
  await signInAsDemoDirector(page);
  try {
    await openTab(page, 'Send or draft');
    const start = page.getByRole('button', { name: 'Send…' });
    await expect(start).toBeDisabled();
    await expect(page.locator('#deliver-start-reason')).toHaveText('Show the plan first.');

    await page.getByRole('button', { name: 'Show the plan' }).click();
    const plan = page.getByTestId('delivery-plan');
    await expect(plan.getByRole('heading')).toContainText(
      /[\d,]+ recipients: earliest finish .+ at Exchange limits/,
      {
        timeout: 30_000,
      },
    );
    await expect(plan).toContainText(/[\d,]+ internal, [\d,]+ external/);
    await expect(plan).toContainText(/held back: [\d,]+ sharing an address/);
    const recipients = (await plan.getByRole('heading').innerText()).match(/^([\d,]+) recipients/)?.[1];
    expect(recipients).toBeTruthy();
    // Sending waits for a test to oneself.
    await expect(start).toBeDisabled();
    await expect(page.locator('#deliver-start-reason')).toContainText('Send a test to yourself first');
    await axe(page, 'plan');

    await page.getByTestId('test-send').click();
    await expect(page.getByTestId('test-sent')).toContainText('Test sent to career.director@', {
      timeout: 30_000,
    });
    await expect(start).toBeEnabled();

    // By keyboard: the confirmation names the count; Escape cancels, then confirm for real.
    await start.focus();
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('alertdialog');
    await expect(confirm).toContainText(`Send to ${recipients} recipients?`);
    await page.keyboard.press('Escape');
    await expect(confirm).toBeHidden();
    await start.click();
    await page.getByTestId('confirm-action').click();

    const progress = page.getByTestId('delivery-progress');
    await expect(progress).toBeVisible({ timeout: 30_000 });
    await expect(progress.getByRole('table', { name: 'Per-user outcomes' })).toBeVisible({ timeout: 30_000 });
    await expect(progress.getByRole('cell', { name: 'sent', exact: true }).first()).toBeVisible({
      timeout: 60_000,
    });
    await axe(page, 'progress');
    const jobLink = progress.getByRole('link', { name: 'Open on the Jobs page' });
    await expect(jobLink).toHaveAttribute('href', /^#\/jobs\?job=job_/);
    // Stop it here: the rest of the demo audience would take hours at Exchange's 30 a minute.
    await progress.getByRole('button', { name: 'Cancel job' }).click();
    await expect(progress).toContainText(/Cancelled/, { timeout: 30_000 });
    const sentTo = (
      await progress
        .getByRole('row')
        .filter({ hasText: 'sent' })
        .first()
        .getByRole('cell')
        .first()
        .innerText()
    ).trim();

    // The job's own page opens at this job, with its per-recipient outcomes.
    await jobLink.click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Jobs');
    await expect(page.getByRole('table', { name: 'Per-user outcomes' })).toBeVisible({ timeout: 20_000 });

    // The recipient's troubleshooter lists the announcement that reached them.
    await page.keyboard.press('Control+k');
    await page.getByTestId('palette-input').fill(sentTo);
    await page.locator(`[data-testid="palette-option"][data-user-id="${sentTo}"]`).click();
    await expect(page.getByTestId('user-detail').getByTestId('user-announcements')).toContainText('Sent', {
      timeout: 20_000,
    });
  } finally {
    await signOut(page, consoleHost.origin);
  }
});

test('reminders: the default schedule becomes scheduled sends, drawn on the dashboard; editing cancels and creates runs', async ({
  page,
  consoleHost,
}) => {
  test.setTimeout(150_000);
  await openConsole(page, '#/dashboard');
  await expect(page.getByRole('button', { name: 'Refresh', exact: true })).toBeEnabled({ timeout: 40_000 });
  // Nothing scheduled: no reminder marker, no legend entry.
  await expect(page.getByTestId('burnup-legend')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('burnup-legend')).not.toContainText('Reminder scheduled');
  await signInAsDemoDirector(page);
  try {
    await openTab(page, 'Reminders');
    const days = page.getByTestId('reminder-days');
    await expect(days.locator('li')).toHaveCount(3);
    await expect(days).toContainText('14 days before');
    await page.getByRole('button', { name: 'Save schedule' }).click();
    const outcome = page.getByTestId('reminders-outcome');
    await expect(outcome).toContainText('Reminder schedule saved', { timeout: 30_000 });
    const runs = page.getByTestId('reminder-runs');
    const scheduled = await runs.locator('tbody tr').count();
    expect(scheduled).toBeGreaterThan(0);
    await expect(runs).toContainText('Scheduled');
    await axe(page, 'reminders');

    // Remove one day by keyboard and save: that run is cancelled, the others stay.
    const remove = page.getByRole('button', { name: 'Remove the reminder 1 day before' });
    await remove.focus();
    await page.keyboard.press('Enter');
    await expect(days.locator('li')).toHaveCount(2);
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await expect(outcome).toContainText('0 scheduled; 1 cancelled');
    await expect(runs.locator('tbody tr')).toHaveCount(scheduled - 1);
    await expect(page.getByTestId('reminder-past')).toContainText('Cancelled');

    // The Jobs page lists them as scheduled sends.
    await page.goto('/#/jobs');
    await expect(page.getByTestId('jobs-table')).toContainText('Scheduled', { timeout: 20_000 });

    // The dashboard draws the runs still to come, with their legend entry.
    await page.goto('/#/dashboard');
    await expect(page.getByTestId('reminder-marker')).toHaveCount(scheduled - 1, { timeout: 30_000 });
    await expect(page.getByTestId('burnup-legend')).toContainText('Reminder scheduled');

    // Clearing the schedule cancels every run and takes the markers away.
    await openTab(page, 'Reminders');
    await page.getByRole('button', { name: 'Cancel all reminders' }).click();
    await expect(page.getByTestId('reminders-none')).toBeVisible({ timeout: 20_000 });
    await page.goto('/#/dashboard');
    await expect(page.getByTestId('burnup-legend')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('reminder-marker')).toHaveCount(0);
  } finally {
    await signOut(page, consoleHost.origin);
  }
});

test('support may draft and test-send, but sending and reminders are for directors, said beside the buttons', async ({
  page,
  consoleHost,
}) => {
  test.setTimeout(120_000);
  await openConsole(page, '#/dashboard');
  await expect(page.getByRole('button', { name: 'Refresh', exact: true })).toBeEnabled({ timeout: 40_000 });
  await signInAsDemoSupport(page);
  try {
    await openTab(page, 'Send or draft');
    await page.getByRole('button', { name: 'Show the plan' }).click();
    await expect(page.getByTestId('delivery-plan')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole('button', { name: 'Send…' })).toBeDisabled();
    await expect(page.locator('#deliver-start-reason')).toHaveText(
      'Your role (Support) cannot send announcements. Ask a director.',
    );
    // Drafts are Support's: once the plan is shown, they may start (no test needed for drafts).
    await page.getByRole('radio', { name: /Save one draft per recipient/ }).check();
    await page.getByRole('button', { name: 'Show the plan' }).click();
    await expect(page.getByTestId('delivery-plan').getByRole('heading')).toContainText(
      'drafts done by about',
      {
        timeout: 30_000,
      },
    );
    await expect(page.getByRole('button', { name: 'Create drafts…' })).toBeEnabled();
    await page.getByTestId('test-send').click();
    await expect(page.getByTestId('test-sent')).toContainText('Test sent to career.support@', {
      timeout: 30_000,
    });

    await page.getByRole('tab', { name: 'Reminders' }).click();
    await expect(page.getByRole('button', { name: 'Save schedule' })).toBeDisabled();
    await expect(
      page.getByText('Your role (Support) cannot send announcements. Ask a director.'),
    ).toBeVisible();
  } finally {
    await signOut(page, consoleHost.origin);
  }
});

test('signed out, sending and scheduling are disabled with the reason', async ({ page, consoleHost }) => {
  test.setTimeout(90_000);
  await openConsole(page, '#/dashboard');
  await signOut(page, consoleHost.origin);
  await openTab(page, 'Send or draft');
  await page.getByRole('button', { name: 'Show the plan' }).click();
  await expect(page.getByTestId('delivery-plan')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Send…' })).toBeDisabled();
  await expect(page.locator('#deliver-start-reason')).not.toHaveText('');
  await page.getByRole('tab', { name: 'Reminders' }).click();
  await expect(page.getByRole('button', { name: 'Save schedule' })).toBeDisabled();
  await axe(page, 'reminders signed out');
});

for (const theme of PAINTED_THEMES) {
  test(`Send or draft (with its plan) and Reminders have zero axe violations in the ${theme} theme`, async ({
    page,
    savePreferences,
  }) => {
    test.slow();
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await savePreferences({ theme });
    await openConsole(page);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await openTab(page, 'Send or draft');
    await page.getByRole('button', { name: 'Show the plan' }).click();
    await expect(page.getByTestId('delivery-plan')).toBeVisible({ timeout: 30_000 });
    await axe(page, `Send or draft in ${theme}`);
    await page.getByRole('tab', { name: 'Reminders' }).click();
    await expect(page.getByTestId('reminder-days')).toBeVisible({ timeout: 20_000 });
    await axe(page, `Reminders in ${theme}`);
  });
}
