// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { DashboardSummary } from '../../../../shared/contract/index.ts';
import { chartHistory } from './BurnUpSection.tsx';

const counts = (migrated: number, error: number) => ({
  legacy: 100,
  reauth_pending: 10,
  migrated,
  disconnected: 0,
  error,
  not_connected: 0,
  not_affected: 0,
});

describe('the burn-up line', () => {
  it('counts re-authorized users and ends at today’s counts, where the forecast starts', () => {
    const summary = {
      migration: {
        timezone: 'America/New_York',
        asOf: '2026-12-04T15:00:00Z',
        counts: { byStatus: counts(400, 50) },
      },
      history: [
        { date: '2026-12-02', source: 'platform', byStatus: counts(300, 20) },
        { date: '2026-12-03', source: 'platform', byStatus: counts(350, 40) },
        // Today's local snapshot is older than the platform's counts now: the line uses the counts now.
        { date: '2026-12-04', source: 'local', byStatus: counts(380, 45) },
      ],
    } as unknown as DashboardSummary;
    expect(chartHistory(summary)).toEqual([
      { date: '2026-12-02', value: 320 },
      { date: '2026-12-03', value: 390 },
      { date: '2026-12-04', value: 450 },
    ]);
  });
});
