import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConnectionStatus } from '../../../shared/domain/platform.ts';
import { addDays } from './calendar-dates.ts';
import { computeForecast, dailyGains, type ForecastDay } from './forecast.ts';

const zeros = () =>
  Object.fromEntries(ConnectionStatus.options.map((s) => [s, 0])) as Record<ConnectionStatus, number>;

/** Consecutive days from 2026-10-01 whose users on Graph grow by the given gains. */
function history(gains: readonly number[], start = 1000): ForecastDay[] {
  let migrated = start;
  const days: ForecastDay[] = [{ date: '2026-10-01', byStatus: { ...zeros(), migrated } }];
  gains.forEach((gain, i) => {
    migrated += gain;
    days.push({ date: addDays('2026-10-01', i + 1), byStatus: { ...zeros(), migrated } });
  });
  return days;
}

const gainsArb = fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 20 });
const remainingArb = fc.integer({ min: 0, max: 100_000 });
const daysLeftArb = fc.integer({ min: 0, max: 60 * 24 }).map((hours) => hours * 3_600_000);
const AS_OF = Date.parse('2026-10-21T15:00:00Z');

function forecastFor(gains: readonly number[], remaining: number, msLeft: number) {
  const last = history(gains).at(-1) as ForecastDay;
  return computeForecast({
    days: history(gains),
    now: { ...last.byStatus, legacy: remaining },
    asOf: new Date(AS_OF).toISOString(),
    cutoffAt: new Date(AS_OF + msLeft).toISOString(),
    timeZone: 'America/New_York',
  });
}

describe('forecast', () => {
  it('keeps every band ordered and the disconnected count within 0..remaining', () => {
    fc.assert(
      fc.property(gainsArb, remainingArb, daysLeftArb, (gains, remaining, msLeft) => {
        const forecast = forecastFor(gains, remaining, msLeft);
        expect(forecast).not.toBeNull();
        if (forecast === null) return;
        const { ratePerDay: rate, disconnectedAtCutoff: cut } = forecast;
        expect(rate.low).toBeLessThanOrEqual(rate.expected);
        expect(rate.expected).toBeLessThanOrEqual(rate.high);
        expect(cut.low).toBeLessThanOrEqual(cut.expected);
        expect(cut.expected).toBeLessThanOrEqual(cut.high);
        expect(cut.low).toBeGreaterThanOrEqual(0);
        expect(cut.high).toBeLessThanOrEqual(remaining);
        expect(forecast.remainingNow).toBe(remaining);
      }),
    );
  });

  it('never leaves more users behind when the daily rate is higher', () => {
    fc.assert(
      fc.property(
        gainsArb,
        fc.integer({ min: 1, max: 300 }),
        remainingArb,
        daysLeftArb,
        (gains, extra, remaining, msLeft) => {
          const slow = forecastFor(gains, remaining, msLeft);
          const fast = forecastFor(
            gains.map((g) => g + extra),
            remaining,
            msLeft,
          );
          expect(fast?.disconnectedAtCutoff.expected).toBeLessThanOrEqual(
            slow?.disconnectedAtCutoff.expected ?? Infinity,
          );
        },
      ),
    );
  });

  it('projects non-decreasing points, one per day up to the cut-off date, capped at everyone re-authorizing', () => {
    fc.assert(
      fc.property(gainsArb, remainingArb, daysLeftArb, (gains, remaining, msLeft) => {
        const forecast = forecastFor(gains, remaining, msLeft);
        if (forecast === null) return;
        const graphNow = (history(gains).at(-1) as ForecastDay).byStatus.migrated;
        let previous = graphNow;
        forecast.points.forEach((point, i) => {
          expect(point.low).toBeLessThanOrEqual(point.expected);
          expect(point.expected).toBeLessThanOrEqual(point.high);
          expect(point.expected).toBeGreaterThanOrEqual(previous);
          expect(point.high).toBeLessThanOrEqual(graphNow + remaining);
          if (i > 0) expect(point.date > (forecast.points[i - 1]?.date ?? '')).toBe(true);
          previous = point.expected;
        });
      }),
    );
  });

  it('with no re-authorizations, or a cut-off already passed, everyone remaining is disconnected', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), remainingArb, (days, remaining) => {
        expect(
          forecastFor(Array(days).fill(0), remaining, 5 * 86_400_000)?.disconnectedAtCutoff.expected,
        ).toBe(remaining);
        const passed = forecastFor([10, 20], remaining, 0);
        expect(passed?.disconnectedAtCutoff).toEqual({
          expected: remaining,
          low: remaining,
          high: remaining,
        });
        expect(passed?.points).toEqual([]);
      }),
    );
  });

  it('measures the last 7 consecutive day-to-day gains, skipping gaps and counting drops as zero', () => {
    const days = history([5, 5, 5, 5, 5, 5, 5, 10, -3, 20]);
    expect(dailyGains(days)).toEqual([5, 5, 5, 5, 10, 0, 20]);
    const gap = [days[0] as ForecastDay, { ...(days[3] as ForecastDay) }, days[4] as ForecastDay];
    expect(dailyGains(gap)).toEqual([5]);
    expect(
      computeForecast({
        days: [days[0] as ForecastDay],
        now: zeros(),
        asOf: '2026-10-21T00:00:00Z',
        cutoffAt: '2026-11-21T00:00:00Z',
        timeZone: 'UTC',
      }),
    ).toBeNull();
  });

  it('gives the expected figures for a simple case', () => {
    // 100/day for 10 days left, 1,500 remaining: 1,000 re-authorize, 500 are disconnected.
    const forecast = forecastFor([100, 100, 100], 1_500, 10 * 86_400_000);
    expect(forecast?.ratePerDay).toEqual({ expected: 100, low: 100, high: 100 });
    expect(forecast?.disconnectedAtCutoff.expected).toBe(500);
    expect(forecast?.points[0]).toMatchObject({ date: '2026-10-22', expected: 1_400 });
  });
});
