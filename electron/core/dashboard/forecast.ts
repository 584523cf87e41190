import type { ConnectionStatus } from '../../../shared/domain/platform.ts';
import type { Forecast } from '../../../shared/contract/dashboard.ts';
import { reauthorizedOf, toActOf } from '../../../shared/progress/migration-progress.ts';
import { addDays, dateInZone, daysBetween } from './calendar-dates.ts';

/**
 * The burn-up forecast of the dashboard (method: docs/forecast.md). Pure: the same history and
 * counts always give the same forecast.
 *
 * - Users "on Graph" are `migrated` + `error` (both re-authorized; `error` users are on Graph but
 *   failing, and counting them keeps a migrated user who starts failing from looking like a loss).
 * - The rate is the day-over-day gain of users on Graph over the last RATE_WINDOW_DAYS intervals
 *   of consecutive history days (a gap in the history is skipped, not spread). Negative days count
 *   as 0: nobody un-re-authorizes, a drop is a user force-disconnected, which the remaining count sees.
 * - expected = mean of those daily gains, low/high = their minimum/maximum.
 * - Projected to the cut-off instant in fractional days from `asOf`; remaining users
 *   (`legacy` + `reauth_pending`) not reached by then are the ones force-disconnected.
 */
export const RATE_WINDOW_DAYS = 7;
const DAY_MS = 86_400_000;
const MAX_POINTS = 400;

export interface ForecastDay {
  date: string;
  byStatus: Record<ConnectionStatus, number>;
}

export interface ForecastInput {
  /** Daily snapshots (one per date; any order). */
  days: readonly ForecastDay[];
  /** Counts now. */
  now: Record<ConnectionStatus, number>;
  asOf: string;
  cutoffAt: string;
  /** The platform's IANA time zone: the days of the chart are its calendar days. */
  timeZone: string;
}

export const FORECAST_METHOD =
  'Mean daily gain of re-authorized users (migrated + error, as the progress line counts them) over the last 7 day-to-day intervals of the history, ' +
  'band = slowest and fastest of those days; projected to the cut-off in the platform time zone. See docs/forecast.md.';

// The one definition of progress (shared/progress): the forecast projects exactly what the
// dashboard's line and percentage count, so the two start at the same point.
const onGraph = reauthorizedOf;
const remaining = toActOf;

/** The daily gains of users on Graph over the most recent consecutive-day intervals. */
export function dailyGains(days: readonly ForecastDay[], window = RATE_WINDOW_DAYS): number[] {
  const sorted = [...days].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const gains: number[] = [];
  for (let i = sorted.length - 1; i > 0 && gains.length < window; i -= 1) {
    const day = sorted[i] as ForecastDay;
    const before = sorted[i - 1] as ForecastDay;
    if (daysBetween(before.date, day.date) !== 1) continue;
    gains.push(Math.max(0, onGraph(day.byStatus) - onGraph(before.byStatus)));
  }
  return gains.reverse();
}

/** Null when the history holds no pair of consecutive days to measure a rate from. */
export function computeForecast(input: ForecastInput): Forecast | null {
  const gains = dailyGains(input.days);
  if (gains.length === 0) return null;
  const expectedRate = gains.reduce((sum, g) => sum + g, 0) / gains.length;
  const lowRate = Math.min(...gains);
  const highRate = Math.max(...gains);
  const remainingNow = remaining(input.now);
  const graphNow = onGraph(input.now);
  const asOfMs = Date.parse(input.asOf);
  const daysLeft = Math.max(0, (Date.parse(input.cutoffAt) - asOfMs) / DAY_MS);
  /** Re-authorizations by `days` from now at `rate`, never more than the users still to act. */
  const reached = (rate: number, days: number): number => Math.min(remainingNow, rate * days);
  const disconnected = (rate: number): number =>
    Math.max(0, Math.round(remainingNow - reached(rate, daysLeft)));

  const today = dateInZone(new Date(asOfMs), input.timeZone);
  const cutoffDate = dateInZone(new Date(Date.parse(input.cutoffAt)), input.timeZone);
  const points: Forecast['points'] = [];
  const span = Math.min(MAX_POINTS, daysBetween(today, cutoffDate));
  for (let k = 1; k <= span; k += 1) {
    // The cut-off day's point is the cut-off instant itself, not the end of that day.
    const elapsed = Math.min(k, daysLeft);
    points.push({
      date: addDays(today, k),
      expected: graphNow + reached(expectedRate, elapsed),
      low: graphNow + reached(lowRate, elapsed),
      high: graphNow + reached(highRate, elapsed),
    });
  }
  return {
    method: FORECAST_METHOD,
    ratePerDay: { expected: expectedRate, low: lowRate, high: highRate },
    remainingNow,
    // A faster rate leaves fewer users behind: the low end of the band comes from the high rate.
    disconnectedAtCutoff: {
      expected: disconnected(expectedRate),
      low: disconnected(highRate),
      high: disconnected(lowRate),
    },
    points,
  };
}
