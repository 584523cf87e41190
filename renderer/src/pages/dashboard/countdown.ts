/** The countdown and the instant format are shared with the CLI (one countdown, one rule for times). */
export { formatCountdown, type Countdown } from '../../../../shared/progress/migration-progress.ts';
export {
  formatCompactInstant,
  formatInstant,
  formatInstantForOperator,
} from '../../../../shared/time/instant-format.ts';

/** "Tue 15 Dec 2026" for a calendar date (YYYY-MM-DD), independent of any zone. */
export function formatCalendarDate(date: string): string {
  const at = Date.parse(`${date}T12:00:00Z`);
  if (Number.isNaN(at)) return date;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}`;
}

/** The operator's zone when it differs from the platform's (the dashboard shows both then), else null. */
export function otherTimeZone(platformZone: string, operatorZone: string | null | undefined): string | null {
  if (!operatorZone || operatorZone === platformZone) return null;
  return operatorZone;
}

/** The browser's own IANA zone, or null when it cannot say. */
export function browserTimeZone(): string | null {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}
