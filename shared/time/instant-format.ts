/**
 * The console's one rule for showing an instant: in the platform's time zone, named, and, when
 * the operator's own zone differs, followed by the operator's time ("Tue 15 Dec 2026, 23:59 EST
 * (your time: Wed 16 Dec 2026, 05:59 CET)"). en-US parts so the zone reads "EST" rather than
 * "GMT-5" and the layout never depends on the machine's locale.
 */
const part = (parts: Intl.DateTimeFormatPart[], type: Intl.DateTimeFormatPartTypes): string =>
  parts.find((p) => p.type === type)?.value ?? '';

type Parts = (type: Intl.DateTimeFormatPartTypes) => string;

/** An instant's parts in a zone (en-US, 24 h), laid out by `layout`; null for a bad instant or an unknown zone. */
function formatParts(
  iso: string,
  timeZone: string,
  options: Intl.DateTimeFormatOptions,
  layout: (p: Parts) => string,
): string | null {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return null;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', ...options }).formatToParts(at);
  } catch {
    return null;
  }
  return layout((type) => part(parts, type));
}

const TIME = { hour: '2-digit', minute: '2-digit' } as const;
const DATE = { day: 'numeric', month: 'short', year: 'numeric' } as const;

/** "Tue 15 Dec 2026, 23:59 EST"; null for a bad instant or a zone this runtime does not know. */
export function formatInstant(iso: string, timeZone: string): string | null {
  return formatParts(
    iso,
    timeZone,
    { weekday: 'short', ...DATE, ...TIME, timeZoneName: 'short' },
    (p) =>
      `${p('weekday')} ${p('day')} ${p('month')} ${p('year')}, ${p('hour')}:${p('minute')} ${p('timeZoneName')}`,
  );
}

/** "10:14 EST": the time of day with the zone, for instants minutes away (a device code's expiry). */
export function formatTimeOfDay(iso: string, timeZone: string): string | null {
  return formatParts(
    iso,
    timeZone,
    { ...TIME, timeZoneName: 'short' },
    (p) => `${p('hour')}:${p('minute')} ${p('timeZoneName')}`,
  );
}

/** "25 Nov 2026, 10:14" in a zone: the compact form for table cells (the zone is named in the header's tooltip). */
export function formatCompactInstant(iso: string, timeZone: string): string | null {
  return formatParts(
    iso,
    timeZone,
    { ...DATE, ...TIME },
    (p) => `${p('day')} ${p('month')} ${p('year')}, ${p('hour')}:${p('minute')}`,
  );
}

/**
 * An instant by the rule above: the platform's zone, then the operator's in parentheses when it
 * differs. `format` picks the long form (default) or the time of day. Falls back to the ISO text.
 */
export function formatInstantForOperator(
  iso: string,
  platformZone: string,
  operatorZone: string | null,
  format: (iso: string, zone: string) => string | null = formatInstant,
): string {
  const platform = format(iso, platformZone) ?? iso;
  if (operatorZone === null || operatorZone === platformZone) return platform;
  const operator = format(iso, operatorZone);
  return operator === null || operator === platform ? platform : `${platform} (your time: ${operator})`;
}

/** Minutes east of UTC of `timeZone` at the instant `ms`. */
function zoneOffsetMinutes(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(ms);
  const n = (type: Intl.DateTimeFormatPartTypes) => Number(part(parts, type));
  const local = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return Math.round((local - Math.floor(ms / 1000) * 1000) / 60_000);
}

/**
 * The instant a calendar date (YYYY-MM-DD) begins in an IANA zone, as UTC ISO: "since yesterday"
 * starts at midnight where the platform is. Two passes settle a day that starts near a DST change.
 */
export function startOfDayInZone(date: string, timeZone: string): string {
  const midnightUtc = Date.parse(`${date}T00:00:00Z`);
  let guess = midnightUtc - zoneOffsetMinutes(midnightUtc, timeZone) * 60_000;
  guess = midnightUtc - zoneOffsetMinutes(guess, timeZone) * 60_000;
  return new Date(guess).toISOString();
}
