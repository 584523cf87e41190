import { describe, expect, it } from 'vitest';
import {
  formatInstant,
  formatInstantForOperator,
  formatTimeOfDay,
  startOfDayInZone,
} from './instant-format.ts';

describe('the one rule for times', () => {
  it('shows the platform zone, then the operator’s when it differs', () => {
    const at = '2026-12-16T04:59:00Z';
    expect(formatInstant(at, 'America/New_York')).toBe('Tue 15 Dec 2026, 23:59 EST');
    expect(formatInstantForOperator(at, 'America/New_York', null)).toBe('Tue 15 Dec 2026, 23:59 EST');
    expect(formatInstantForOperator(at, 'America/New_York', 'America/New_York')).toBe(
      'Tue 15 Dec 2026, 23:59 EST',
    );
    expect(formatInstantForOperator(at, 'America/New_York', 'UTC')).toBe(
      'Tue 15 Dec 2026, 23:59 EST (your time: Wed 16 Dec 2026, 04:59 UTC)',
    );
    expect(formatInstantForOperator(at, 'America/New_York', 'UTC', formatTimeOfDay)).toBe(
      '23:59 EST (your time: 04:59 UTC)',
    );
    expect(formatInstantForOperator('not a time', 'America/New_York', null)).toBe('not a time');
  });

  it('finds midnight in a zone, across DST changes too', () => {
    expect(startOfDayInZone('2026-12-03', 'America/New_York')).toBe('2026-12-03T05:00:00.000Z');
    expect(startOfDayInZone('2026-07-03', 'America/New_York')).toBe('2026-07-03T04:00:00.000Z');
    expect(startOfDayInZone('2026-03-08', 'America/New_York')).toBe('2026-03-08T05:00:00.000Z');
    expect(startOfDayInZone('2026-11-01', 'America/New_York')).toBe('2026-11-01T04:00:00.000Z');
    expect(startOfDayInZone('2026-12-03', 'Asia/Kolkata')).toBe('2026-12-02T18:30:00.000Z');
    expect(startOfDayInZone('2026-12-03', 'UTC')).toBe('2026-12-03T00:00:00.000Z');
  });
});
