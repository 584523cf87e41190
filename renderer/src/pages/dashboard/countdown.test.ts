// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import {
  formatCalendarDate,
  formatCompactInstant,
  formatCountdown,
  formatInstant,
  otherTimeZone,
} from './countdown.ts';

const CUTOFF = '2026-12-15T23:59:00-05:00';

describe('countdown', () => {
  it('says days and hours, then hours and minutes, rounding down', () => {
    const cutoff = Date.parse(CUTOFF);
    const h = 3_600_000;
    expect(formatCountdown(CUTOFF, cutoff - (20 * 24 + 4) * h - 59 * 60_000)).toEqual({
      text: '20 days 4 hours left',
      tone: 'calm',
    });
    expect(formatCountdown(CUTOFF, cutoff - 24 * h - 1).text).toBe('1 day 0 hours left');
    expect(formatCountdown(CUTOFF, cutoff - 5 * h - 12 * 60_000)).toEqual({
      text: '5 hours 12 minutes left',
      tone: 'urgent',
    });
    expect(formatCountdown(CUTOFF, cutoff - 10 * 24 * h).tone).toBe('soon');
    expect(formatCountdown(CUTOFF, cutoff - 59_000).text).toBe('0 minutes left');
    expect(formatCountdown(CUTOFF, cutoff + 3 * 24 * h)).toEqual({
      text: 'Cut-off passed 3 days ago',
      tone: 'past',
    });
    expect(formatCountdown('not a time', cutoff).text).toBe('Cut-off time unknown');
  });

  it('shows the cut-off in the platform zone and in others, with their own names', () => {
    expect(formatInstant(CUTOFF, 'America/New_York')).toBe('Tue 15 Dec 2026, 23:59 EST');
    // The same instant is already the next day in Europe and Asia.
    expect(formatInstant(CUTOFF, 'Europe/Paris')).toMatch(/^Wed 16 Dec 2026, 05:59 (GMT\+1|CET)$/);
    expect(formatInstant(CUTOFF, 'Asia/Kolkata')).toMatch(/^Wed 16 Dec 2026, 10:29 (GMT\+5:30|IST)$/);
    expect(formatInstant(CUTOFF, 'America/Los_Angeles')).toBe('Tue 15 Dec 2026, 20:59 PST');
    // Summer time is the zone's own business.
    expect(formatInstant('2026-07-01T12:00:00Z', 'America/New_York')).toBe('Wed 1 Jul 2026, 08:00 EDT');
    expect(formatInstant(CUTOFF, 'Mars/Olympus_Mons')).toBeNull();
    expect(formatCompactInstant(CUTOFF, 'UTC')).toBe('16 Dec 2026, 04:59');
  });

  it('names a calendar date without drifting across zones', () => {
    expect(formatCalendarDate('2026-12-15')).toBe('Tue 15 Dec 2026');
  });

  it('shows the operator zone only when it differs', () => {
    expect(otherTimeZone('America/New_York', 'America/New_York')).toBeNull();
    expect(otherTimeZone('America/New_York', null)).toBeNull();
    expect(otherTimeZone('America/New_York', 'Europe/Berlin')).toBe('Europe/Berlin');
  });
});
