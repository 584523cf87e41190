/**
 * Wall-clock arithmetic for one IANA time zone (the migration's `timezone`). Offsets come from
 * Intl once per UTC hour and are cached, so formatting thousands of timestamps per page stays cheap.
 */
import { civilFromDays, dayOf, monthOf, yearOf } from '../../../shared/time/civil-date.ts';

export interface Zone {
  readonly name: string;
  /** Minutes east of UTC at the instant (America/New_York in winter: -300). */
  offsetMinutes(ms: number): number;
  /** `2026-12-15T23:59:00-05:00` */
  format(ms: number): string;
  /** Local calendar date `YYYY-MM-DD` of the instant. */
  localDate(ms: number): string;
  /** The instant of local midnight starting the given local date. */
  startOfDay(date: string): number;
  /** The local date `days` after `date` (pure calendar arithmetic). */
  addDays(date: string, days: number): string;
}

const HOUR = 3_600_000;

const DAY = 86_400_000;
/** The largest time value a Date holds (±100,000,000 days around the epoch). */
const MAX_DATE_MS = 8.64e15;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => pad(n));

/**
 * `YYYY-MM-DD` of a day count since 1970-01-01, printed as a Date's UTC fields would be: the year
 * unpadded.
 */
function dateOfDays(days: number): string {
  const civil = civilFromDays(days);
  return `${yearOf(civil)}-${TWO_DIGITS[monthOf(civil)]}-${TWO_DIGITS[dayOf(civil)]}`;
}

/** The original field-by-field formatting through a Date (kept for wall times a Date cannot hold). */
function formatViaDate(wall: number, off: number): string {
  const w = new Date(wall);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${w.getUTCFullYear()}-${pad(w.getUTCMonth() + 1)}-${pad(w.getUTCDate())}T${pad(w.getUTCHours())}:${pad(w.getUTCMinutes())}:${pad(w.getUTCSeconds())}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

export function createZone(name: string): Zone {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: name,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  /** `M/D/YYYY, HH:MM` as `parts.format` writes it for 4-digit years (other texts take formatToParts). */
  const FIELDS = /^(\d{1,2})\/(\d{1,2})\/([1-9]\d{3}), (\d{2}):(\d{2})$/;

  /** The offset in the UTC hour `bucket`, from the wall-clock fields Intl gives for its first instant. */
  function intlOffset(bucket: number): number {
    const at = bucket * HOUR;
    let asUtc: number;
    const m = FIELDS.exec(parts.format(at));
    if (m !== null) {
      asUtc = Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]), Number(m[4]), Number(m[5]));
    } else {
      const fields: Record<string, number> = {};
      for (const p of parts.formatToParts(new Date(at)))
        if (p.type !== 'literal') fields[p.type] = Number(p.value);
      asUtc = Date.UTC(
        fields.year ?? 1970,
        (fields.month ?? 1) - 1,
        fields.day ?? 1,
        fields.hour ?? 0,
        fields.minute ?? 0,
      );
    }
    return Math.round((asUtc - at) / 60_000);
  }

  /**
   * Offsets by UTC hour: a flat table for a window of about 15 years (placed around the first
   * instant asked about: mostly the past, some future), a map beyond it.
   */
  const WINDOW = 1 << 17;
  const UNKNOWN = -32_768;
  let windowStart = 0;
  let window: Int16Array | null = null;
  const cache = new Map<number, number>();

  function offsetMinutes(ms: number): number {
    const bucket = Math.floor(ms / HOUR);
    if (window === null && Number.isFinite(bucket)) {
      window = new Int16Array(WINDOW).fill(UNKNOWN);
      windowStart = bucket - (WINDOW >> 1) - (WINDOW >> 2);
    }
    const k = bucket - windowStart;
    if (window !== null && k >= 0 && k < WINDOW) {
      const known = window[k] ?? UNKNOWN;
      if (known !== UNKNOWN) return known;
      const offset = intlOffset(bucket);
      if (offset > UNKNOWN && offset < 32_768) window[k] = offset;
      return offset;
    }
    const hit = cache.get(bucket);
    if (hit !== undefined) return hit;
    const offset = intlOffset(bucket);
    if (cache.size > 50_000) cache.clear();
    cache.set(bucket, offset);
    return offset;
  }

  function wall(ms: number): Date {
    return new Date(ms + offsetMinutes(ms) * 60_000);
  }

  /** `+hh:mm` / `-hh:mm` by offset in minutes (a zone has only a handful). */
  const suffixes = new Map<number, string>();
  function suffixOf(off: number): string {
    let s = suffixes.get(off);
    if (s === undefined) {
      const abs = Math.abs(off);
      s = `${off < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
      suffixes.set(off, s);
    }
    return s;
  }

  /** The same text as formatting `new Date(ms + offset)` field by field, without the Date. */
  function format(ms: number): string {
    const off = offsetMinutes(ms);
    // A Date truncates its time value towards zero; the fields then follow from it by floor division.
    const wall = Math.trunc(ms + off * 60_000);
    if (!(Math.abs(wall) <= MAX_DATE_MS)) return formatViaDate(wall, off);
    const days = Math.floor(wall / DAY);
    const seconds = Math.floor((wall - days * DAY) / 1000);
    const minutes = Math.floor(seconds / 60);
    const hour = Math.floor(minutes / 60);
    return `${dateOfDays(days)}T${TWO_DIGITS[hour]}:${TWO_DIGITS[minutes - hour * 60]}:${TWO_DIGITS[seconds - minutes * 60]}${suffixOf(off)}`;
  }

  function localDate(ms: number): string {
    const w = wall(ms);
    return `${w.getUTCFullYear()}-${pad(w.getUTCMonth() + 1)}-${pad(w.getUTCDate())}`;
  }

  function startOfDay(date: string): number {
    const [y, m, d] = date.split('-').map(Number);
    const naive = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1);
    // Two refinements settle the offset even on DST transition days.
    let guess = naive - offsetMinutes(naive) * 60_000;
    guess = naive - offsetMinutes(guess) * 60_000;
    return guess;
  }

  function addDays(date: string, days: number): string {
    const [y, m, d] = date.split('-').map(Number);
    const t = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days));
    return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  }

  return { name, offsetMinutes, format, localDate, startOfDay, addDays };
}

export const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
