import { describe, expect, it } from 'vitest';
import { formatFreshness, formatTimestamp } from './freshness.ts';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();

describe('formatFreshness', () => {
  it('says so when the source never refreshed', () => {
    expect(formatFreshness(null, NOW)).toBe('never refreshed');
  });

  it.each([
    [0, 'refreshed just now'],
    [59_999, 'refreshed just now'],
    [60_000, 'refreshed 1 min ago'],
    [3 * 60_000 + 20_000, 'refreshed 3 min ago'],
    [59 * 60_000, 'refreshed 59 min ago'],
    [60 * 60_000, 'refreshed 1 h ago'],
    [23 * 3_600_000, 'refreshed 23 h ago'],
    [24 * 3_600_000, 'refreshed 1 day ago'],
    [3 * 24 * 3_600_000, 'refreshed 3 days ago'],
  ])('%i ms ago reads "%s"', (ms, text) => {
    expect(formatFreshness(ago(ms), NOW)).toBe(text);
  });

  it('reads a host clock slightly ahead of ours as just now, not the future', () => {
    expect(formatFreshness(ago(-90_000), NOW)).toBe('refreshed just now');
  });

  it('does not invent an age for an unreadable timestamp', () => {
    expect(formatFreshness('yesterday-ish', NOW)).toBe('refresh time unknown');
    expect(formatTimestamp('yesterday-ish')).toBeNull();
  });

  it('formats the absolute time for screen readers', () => {
    expect(formatTimestamp('2026-03-10T12:00:00Z', 'en-US')).toMatch(/2026/);
  });
});
