import { z } from 'zod';
import { CalendarDate, ConnectionStatus, Migration, Role } from '../domain/platform.ts';
import { method } from './define.ts';

export const HistoryDay = z.object({
  date: CalendarDate,
  source: z.enum(['platform', 'local']),
  byStatus: z.record(ConnectionStatus, z.number().int().nonnegative()),
  byRole: z.record(Role, z.record(ConnectionStatus, z.number().int().nonnegative())),
});
export type HistoryDay = z.infer<typeof HistoryDay>;

/** The burn-up forecast; the method is documented in docs/forecast.md. */
export const Forecast = z.object({
  method: z.string().max(500),
  /** Re-authorizations per day over the recent window, with a low/high band. */
  ratePerDay: z.object({
    expected: z.number().nonnegative(),
    low: z.number().nonnegative(),
    high: z.number().nonnegative(),
  }),
  /** Users still to act (legacy + reauth_pending) now. */
  remainingNow: z.number().int().nonnegative(),
  /** Users projected to be force-disconnected at the cut-off. */
  disconnectedAtCutoff: z.object({
    expected: z.number().int().nonnegative(),
    low: z.number().int().nonnegative(),
    high: z.number().int().nonnegative(),
  }),
  /** Projected migrated totals per future day up to the cut-off, for the chart. */
  points: z
    .array(
      z.object({
        date: CalendarDate,
        expected: z.number().nonnegative(),
        low: z.number().nonnegative(),
        high: z.number().nonnegative(),
      }),
    )
    .max(400),
});
export type Forecast = z.infer<typeof Forecast>;

export const DashboardSummary = z.object({
  migration: Migration,
  history: z.array(HistoryDay).max(400),
  forecast: Forecast.nullable(),
  /** Days an announcement went out (markers on the chart). */
  announcementDays: z.array(CalendarDate).max(400),
  /** Days a scheduled reminder will go out (markers on the chart's future part). */
  reminderDays: z.array(CalendarDate).max(100),
  /** The operator's own time zone (IANA) when it differs from the platform's, else null. */
  operatorTimeZone: z.string().max(100).nullable(),
});
export type DashboardSummary = z.infer<typeof DashboardSummary>;

export const dashboardMethods = {
  'dashboard.summary': method({
    summary: 'Everything the dashboard shows: migration counts, history, forecast, announcement markers.',
    permission: 'read',
    input: z.object({}).strict(),
    output: DashboardSummary,
  }),
} as const;
