/** The countdown and the instant format are shared with the CLI (one countdown, one rule for times). */
export { formatCountdown, type Countdown } from '../../../../shared/progress/migration-progress.ts';
export { formatInstant, formatInstantForOperator } from '../../../../shared/time/instant-format.ts';

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

/** "25 Nov 2026, 10:14" in a zone: the compact form for table cells (the zone is named in the header's tooltip). */
export function formatCompactInstant(iso: string, timeZone: string): string | null {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return null;
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(at);
    const part = (type: Intl.DateTimeFormatPartTypes): string =>
      parts.find((p) => p.type === type)?.value ?? '';
    return `${part('day')} ${part('month')} ${part('year')}, ${part('hour')}:${part('minute')}`;
  } catch {
    return null;
  }
}
