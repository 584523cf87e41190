/**
 * Scales and paths of the burn-up chart. Dates are calendar days (YYYY-MM-DD), spaced evenly by
 * day number, so a missing snapshot leaves a visible gap in time instead of squeezing the axis.
 */

export interface Point {
  date: string;
  value: number;
}

export interface BandPoint {
  date: string;
  expected: number;
  low: number;
  high: number;
}

export interface Frame {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
}

const DAY_MS = 86_400_000;

/** Day number since the epoch for a calendar date; NaN for a malformed one. */
export function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar date of an instant in an IANA zone ("2026-12-15"), as the platform counts days. */
export function calendarDateIn(iso: string, timeZone: string): string | null {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return null;
  try {
    // en-CA formats dates as YYYY-MM-DD.
    return new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(at);
  } catch {
    return null;
  }
}

/** Round axis maximum and its ticks: 1, 2 or 5 × 10^n steps, about `count` of them. */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(Math.round(v));
  return ticks;
}

export interface Scales {
  x(date: string): number;
  y(value: number): number;
  firstDay: number;
  lastDay: number;
  yTicks: number[];
}

export function makeScales(frame: Frame, firstDate: string, lastDate: string, maxValue: number): Scales {
  const firstDay = dayNumber(firstDate);
  const lastDay = Math.max(dayNumber(lastDate), firstDay + 1);
  const yTicks = niceTicks(maxValue);
  const yMax = yTicks.at(-1) ?? 1;
  const innerW = frame.width - frame.margin.left - frame.margin.right;
  const innerH = frame.height - frame.margin.top - frame.margin.bottom;
  return {
    x: (date) => frame.margin.left + ((dayNumber(date) - firstDay) / (lastDay - firstDay)) * innerW,
    y: (value) => frame.margin.top + innerH - (value / yMax) * innerH,
    firstDay,
    lastDay,
    yTicks,
  };
}

const fmt = (n: number): string => (Math.round(n * 10) / 10).toString();

export function linePath(points: readonly Point[], scales: Scales): string {
  return points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${fmt(scales.x(p.date))},${fmt(scales.y(p.value))}`)
    .join(' ');
}

/** The closed area between the low and high forecast lines. */
export function bandPath(points: readonly BandPoint[], scales: Scales): string {
  if (points.length === 0) return '';
  const upper = points.map(
    (p, i) => `${i === 0 ? 'M' : 'L'}${fmt(scales.x(p.date))},${fmt(scales.y(p.high))}`,
  );
  const lower = [...points].reverse().map((p) => `L${fmt(scales.x(p.date))},${fmt(scales.y(p.low))}`);
  return `${upper.join(' ')} ${lower.join(' ')} Z`;
}

/** About `count` evenly spaced dates between the first and last day, for the x axis labels. */
export function dateTicks(scales: Scales, count = 6): string[] {
  const span = scales.lastDay - scales.firstDay;
  const step = Math.max(1, Math.round(span / count));
  const out: string[] = [];
  for (let d = scales.firstDay; d <= scales.lastDay; d += step) out.push(dateOfDay(d));
  return out;
}
