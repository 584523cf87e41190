import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { civilFromDays, dayOf, monthOf, yearOf } from './civil-date.ts';

const DAY = 86_400_000;

describe('civilFromDays', () => {
  it('gives the UTC date a Date gives, across the whole range a Date holds', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000_000, max: 100_000_000 }), (days) => {
        const date = new Date(days * DAY);
        const civil = civilFromDays(days);
        expect([yearOf(civil), monthOf(civil), dayOf(civil)]).toEqual([
          date.getUTCFullYear(),
          date.getUTCMonth() + 1,
          date.getUTCDate(),
        ]);
      }),
    );
  });

  it('knows the leap days and the epoch', () => {
    expect(civilFromDays(0)).toBe(1970_01_01);
    expect(civilFromDays(Date.UTC(2024, 1, 29) / DAY)).toBe(2024_02_29);
    expect(civilFromDays(Date.UTC(2000, 1, 29) / DAY)).toBe(2000_02_29);
    expect(civilFromDays(Date.UTC(2100, 2, 1) / DAY - 1)).toBe(2100_02_28);
  });
});
