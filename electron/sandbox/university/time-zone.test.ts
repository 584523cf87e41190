import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createZone } from './time-zone.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** The formatter as it was: the offset straight from Intl (no cache), the fields from a Date. */
function referenceZone(name: string): { offsetMinutes(ms: number): number; format(ms: number): string } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: name,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  function offsetMinutes(ms: number): number {
    const at = Math.floor(ms / HOUR) * HOUR;
    const f: Record<string, number> = {};
    for (const p of parts.formatToParts(new Date(at))) if (p.type !== 'literal') f[p.type] = Number(p.value);
    const asUtc = Date.UTC(f.year ?? 1970, (f.month ?? 1) - 1, f.day ?? 1, f.hour ?? 0, f.minute ?? 0);
    return Math.round((asUtc - at) / 60_000);
  }
  function format(ms: number): string {
    const off = offsetMinutes(ms);
    const w = new Date(ms + off * 60_000);
    const abs = Math.abs(off);
    return `${w.getUTCFullYear()}-${pad(w.getUTCMonth() + 1)}-${pad(w.getUTCDate())}T${pad(w.getUTCHours())}:${pad(w.getUTCMinutes())}:${pad(w.getUTCSeconds())}${off < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  }
  return { offsetMinutes, format };
}

/** Every offset change between the two years, to the minute (found by a daily scan and bisection). */
function transitions(name: string, fromYear: number, toYear: number): number[] {
  const ref = referenceZone(name);
  const out: number[] = [];
  let t = Date.UTC(fromYear, 0, 1);
  const end = Date.UTC(toYear, 0, 1);
  let off = ref.offsetMinutes(t);
  for (; t < end; t += DAY) {
    const next = ref.offsetMinutes(t + DAY);
    if (next === off) continue;
    let lo = t;
    let hi = t + DAY;
    while (hi - lo > HOUR) {
      const mid = lo + Math.floor((hi - lo) / 2 / HOUR) * HOUR;
      if (ref.offsetMinutes(mid) === off) lo = mid;
      else hi = mid;
    }
    out.push(Math.floor(hi / HOUR) * HOUR);
    off = next;
  }
  return out;
}

/** Zones and the years whose offset changes get checked (Kolkata's :30 zone changed only in the 1940s). */
const ZONES: Array<[string, number, number]> = [
  ['America/New_York', 1990, 2040],
  ['Asia/Kolkata', 1900, 1960],
  ['Australia/Sydney', 1990, 2040],
  ['UTC', 1990, 2040],
];

describe('zone.format', () => {
  for (const [name, fromYear, toYear] of ZONES) {
    const zone = createZone(name);
    const ref = referenceZone(name);

    it(`${name}: equals the Intl/Date formatting from 1850 to 2250`, () => {
      fc.assert(
        fc.property(fc.integer({ min: Date.UTC(1850, 0, 1), max: Date.UTC(2250, 0, 1) }), (ms) => {
          expect(zone.format(ms)).toBe(ref.format(ms));
        }),
        { numRuns: 3000 },
      );
    });

    it(`${name}: equals it for fractional and pre-1970 instants`, () => {
      fc.assert(
        fc.property(
          fc.double({ min: -5e12, max: 5e12, noNaN: true }),
          fc.integer({ min: -3, max: 3 }),
          (ms, shift) => {
            const t = shift === 0 ? ms : Math.trunc(ms / 1000) * 1000 + shift * 0.25;
            expect(zone.format(t)).toBe(ref.format(t));
          },
        ),
        { numRuns: 2000 },
      );
    });

    it(`${name}: equals it around every offset change from ${fromYear} to ${toYear}`, () => {
      const changes = transitions(name, fromYear, toYear);
      if (name === 'UTC') expect(changes).toEqual([]);
      else expect(changes.length).toBeGreaterThan(name === 'Asia/Kolkata' ? 2 : 90);
      if (changes.length === 0) return;
      // Every change, a few minutes either side, then random instants within three hours of one.
      for (const c of changes)
        for (const d of [-HOUR - 60_000, -60_000, -1, 0, 1, 59_999, 60_000, HOUR])
          expect(zone.format(c + d)).toBe(ref.format(c + d));
      fc.assert(
        fc.property(fc.constantFrom(...changes), fc.integer({ min: -3 * HOUR, max: 3 * HOUR }), (c, d) => {
          expect(zone.format(c + d)).toBe(ref.format(c + d));
        }),
        { numRuns: 3000 },
      );
    });
  }

  it('equals it far from the first instant asked about and for years outside 1000..9999', () => {
    for (const [name] of ZONES) {
      const ref = referenceZone(name);
      const zone = createZone(name);
      zone.format(Date.UTC(2026, 10, 24, 15, 0, 0));
      fc.assert(
        fc.property(fc.integer({ min: -62_000_000_000_000, max: 250_000_000_000_000 }), (ms) => {
          expect(zone.format(ms)).toBe(ref.format(ms));
          expect(zone.offsetMinutes(ms)).toBe(ref.offsetMinutes(ms));
        }),
        { numRuns: 1500 },
      );
    }
  });

  it('Asia/Kolkata keeps its :30 offset and Sydney its southern summer', () => {
    expect(createZone('Asia/Kolkata').format(Date.UTC(2026, 0, 1, 12, 0, 0))).toBe(
      '2026-01-01T17:30:00+05:30',
    );
    const sydney = createZone('Australia/Sydney');
    expect(sydney.format(Date.UTC(2026, 0, 1, 0, 0, 0))).toBe('2026-01-01T11:00:00+11:00');
    expect(sydney.format(Date.UTC(2026, 6, 1, 0, 0, 0))).toBe('2026-07-01T10:00:00+10:00');
    expect(createZone('America/New_York').format(Date.UTC(2024, 1, 29, 4, 59, 59))).toBe(
      '2024-02-28T23:59:59-05:00',
    );
  });
});
