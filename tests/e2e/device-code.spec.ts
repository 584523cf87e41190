import { expect, openConsole, test } from './fixtures.ts';

/**
 * The device code's expiry follows the console's one rule for times (shared/time/instant-format.ts):
 * the platform's time zone, then the operator's own in parentheses when it differs. The operator's
 * browser is put in Berlin; the demo platform is in New York (the dashboard's countdown says so too).
 */
test.use({ ignoreHTTPSErrors: true, timezoneId: 'Europe/Berlin' });

const PLATFORM_ZONE = 'America/New_York';
const OPERATOR_ZONE = 'Europe/Berlin';

/** Minutes past midnight of the instant `at` in `timeZone`. */
function minutesOfDay(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return get('hour') * 60 + get('minute');
}

/** The zone's short name at `at` ("EST", "GMT+1"), as the console writes it (en-US). */
function shortZone(at: number, timeZone: string): string {
  return (
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? ''
  );
}

const DAY = 24 * 60;
/** How far `later` (minutes of day) is after `earlier`, across midnight. */
const minutesAfter = (later: number, earlier: number) => (((later - earlier) % DAY) + DAY) % DAY;

test('the device-code dialog shows its expiry in the platform time zone, with the operator’s own time', async ({
  page,
}) => {
  // Opened straight on Settings: the dialog must not depend on the dashboard having loaded first.
  await openConsole(page, '#/settings');
  await page.getByTestId('sign-in').click();
  const dialog = page.getByRole('dialog');
  const askedAt = Date.now();
  await dialog.getByTestId('sign-in-code').click();
  await expect(dialog.getByTestId('device-code')).toBeVisible({ timeout: 15_000 });
  const expiry = dialog.getByTestId('device-code-expiry');

  const platformName = shortZone(askedAt, PLATFORM_ZONE);
  const operatorName = shortZone(askedAt, OPERATOR_ZONE);
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(
    `^The code works until (\\d\\d):(\\d\\d) ${escape(platformName)} \\(your time: (\\d\\d):(\\d\\d) ${escape(operatorName)}\\)\\.$`,
  );
  await expect(expiry).toHaveText(pattern);
  const [, h1, m1, h2, m2] = pattern.exec((await expiry.textContent()) ?? '') ?? [];
  const platformTime = Number(h1) * 60 + Number(m1);
  const operatorTime = Number(h2) * 60 + Number(m2);

  // The platform's clock: the code expires minutes from now in New York (the demo provider's codes
  // last 15 minutes), not hours away as the operator's local time would read there.
  const expiresIn = minutesAfter(platformTime, minutesOfDay(askedAt, PLATFORM_ZONE));
  expect(expiresIn).toBeGreaterThanOrEqual(1);
  expect(expiresIn).toBeLessThanOrEqual(30);
  // The same instant in Berlin: the two zones' offset apart.
  const offset = minutesAfter(minutesOfDay(askedAt, OPERATOR_ZONE), minutesOfDay(askedAt, PLATFORM_ZONE));
  expect(minutesAfter(operatorTime, platformTime)).toBe(offset);

  await dialog.getByTestId('cancel-sign-in').click();
  await expect(dialog.getByTestId('device-code')).toHaveCount(0);
});
