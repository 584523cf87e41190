const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const plural = (n: number, word: string): string =>
  `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

export interface Countdown {
  /** "20 days 4 hours left", "3 hours 5 minutes left", "Cut-off passed 2 days ago". */
  text: string;
  tone: 'calm' | 'soon' | 'urgent' | 'past';
}

/**
 * Time left to the cut-off, in the two largest units that matter. Whole units, rounded down, so
 * the text never promises time that is not there ("0 days 23 hours", not "1 day").
 */
export function formatCountdown(cutoffAt: string, now: number): Countdown {
  const cutoff = Date.parse(cutoffAt);
  if (Number.isNaN(cutoff)) return { text: 'Cut-off time unknown', tone: 'calm' };
  const left = cutoff - now;
  if (left <= 0) {
    const ago = now - cutoff;
    const text =
      ago < HOUR
        ? 'Cut-off passed just now'
        : ago < DAY
          ? `Cut-off passed ${plural(Math.floor(ago / HOUR), 'hour')} ago`
          : `Cut-off passed ${plural(Math.floor(ago / DAY), 'day')} ago`;
    return { text, tone: 'past' };
  }
  const days = Math.floor(left / DAY);
  const hours = Math.floor((left % DAY) / HOUR);
  const minutes = Math.floor((left % HOUR) / MINUTE);
  const text =
    days > 0
      ? `${plural(days, 'day')} ${plural(hours, 'hour')} left`
      : hours > 0
        ? `${plural(hours, 'hour')} ${plural(minutes, 'minute')} left`
        : `${plural(Math.max(minutes, 0), 'minute')} left`;
  const tone = left < 2 * DAY ? 'urgent' : left < 14 * DAY ? 'soon' : 'calm';
  return { text, tone };
}

/**
 * "Tue 15 Dec 2026, 23:59 EST": the instant in a given IANA zone with that zone's own short name.
 * Built from en-US parts so the zone reads "EST" rather than "GMT-5" and the layout never depends
 * on the operator's locale. Returns null for a zone the browser does not know.
 */
export function formatInstant(iso: string, timeZone: string): string | null {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return null;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    }).formatToParts(at);
  } catch {
    return null;
  }
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}, ${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
}

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
