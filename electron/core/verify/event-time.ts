import type { GraphEvent } from '../../../shared/domain/graph.ts';

const UTC_NAMES = new Set(['utc', 'etc/utc', 'coordinated universal time', 'gmt', 'etc/gmt', 'z']);

/**
 * The instant of a Graph `dateTimeTimeZone` in ms, or null when it cannot be known for sure.
 * Without `Prefer: outlook.timezone` Graph answers in UTC; an IANA zone is converted with Intl;
 * anything else (a Windows zone name) is null, so the item is reported as not checked instead of
 * compared against a wrong instant.
 */
export function instantOf(value: { dateTime: string; timeZone: string } | null | undefined): number | null {
  if (!value) return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(
    value.dateTime.trim(),
  );
  if (!match) {
    // Some replies carry an offset already (an ISO instant).
    if (/(?:Z|[+-]\d{2}:\d{2})$/i.test(value.dateTime)) {
      const ms = Date.parse(value.dateTime);
      return Number.isNaN(ms) ? null : ms;
    }
    return null;
  }
  const [, y, mo, d, h, mi, s, frac] = match;
  const wall = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s ?? 0),
    Number((frac ?? '0').padEnd(3, '0').slice(0, 3)),
  );
  if (Number.isNaN(wall)) return null;
  const zone = value.timeZone.trim();
  if (UTC_NAMES.has(zone.toLowerCase())) return wall;
  const offset = ianaOffsetMs(zone, wall);
  return offset === null ? null : wall - offset;
}

/** The zone's UTC offset at (about) that wall time; null for a name Intl does not know. */
function ianaOffsetMs(zone: string, wallMs: number): number | null {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  } catch {
    return null;
  }
  const offsetAt = (utcMs: number): number => {
    const parts = Object.fromEntries(format.formatToParts(new Date(utcMs)).map((p) => [p.type, p.value]));
    const asUtc = Date.UTC(
      Number(parts['year']),
      Number(parts['month']) - 1,
      Number(parts['day']),
      Number(parts['hour']),
      Number(parts['minute']),
      Number(parts['second']),
    );
    return asUtc - Math.floor(utcMs / 1000) * 1000;
  };
  // Two passes settle the offset across a DST change.
  const first = offsetAt(wallMs);
  return offsetAt(wallMs - first);
}

export function eventInstants(event: GraphEvent): { start: number | null; end: number | null } {
  return { start: instantOf(event.start), end: instantOf(event.end) };
}

/** "+1 h", "−30 min", "+1 day 2 h": a signed difference in words. */
export function describeShift(ms: number): string {
  const sign = ms < 0 ? '−' : '+';
  let minutes = Math.round(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  minutes -= days * 1440;
  const hours = Math.floor(minutes / 60);
  minutes -= hours * 60;
  const parts = [
    days > 0 ? `${days} day${days === 1 ? '' : 's'}` : '',
    hours > 0 ? `${hours} h` : '',
    minutes > 0 ? `${minutes} min` : '',
  ].filter((p) => p !== '');
  if (parts.length === 0) {
    const seconds = Math.round(Math.abs(ms) / 1000);
    return `${sign}${seconds} s`;
  }
  return `${sign}${parts.join(' ')}`;
}
