import { describe, expect, it } from 'vitest';
import type { Migration } from '../../../shared/domain/platform.ts';
import { formatCountdown, progressOf, formatShare } from '../../../shared/progress/migration-progress.ts';
import { summarizeMigration } from './migration.ts';

const byStatus = {
  legacy: 300,
  reauth_pending: 100,
  migrated: 520,
  disconnected: 10,
  error: 80,
  not_connected: 40,
  not_affected: 50,
};
const zero = {
  legacy: 0,
  reauth_pending: 0,
  migrated: 0,
  disconnected: 0,
  error: 0,
  not_connected: 0,
  not_affected: 0,
};
const migration: Migration = {
  platformName: 'Demo University',
  timezone: 'America/New_York',
  cutoffAt: '2026-12-15T23:59:00-05:00',
  asOf: '2026-11-20T10:00:00-05:00',
  counts: {
    total: 1100,
    byStatus,
    byRole: { student: byStatus, alumni: zero, career_center: zero },
  },
} as unknown as Migration;

describe('migration summary', () => {
  it('states the dashboard’s progress and countdown, in words', () => {
    const now = Date.parse('2026-11-24T02:00:00Z');
    const text = summarizeMigration(migration, now);
    // (520 + 80) / (520 + 80 + 300 + 100) = 60%
    expect(formatShare(progressOf(byStatus).share)).toBe('60%');
    expect(text).toContain('Progress: 60% re-authorized (600 of 1,000 who must; 400 still to act)');
    expect(text).toContain(formatCountdown(migration.cutoffAt, now).text);
    expect(text).toContain('22 days 2 hours left');
    expect(text).toContain('Tue 15 Dec 2026, 23:59 EST (America/New_York)');
    expect(text).toMatch(/Disconnected, re-authorization pending\s+100/);
    expect(text).not.toMatch(/reauth_pending|not_connected|\blegacy\b/);
  });
});
