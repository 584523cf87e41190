import { z } from 'zod';
import { USER_ID_PATTERN } from '../domain/platform-url.ts';
import {
  CalendarDate,
  Connection,
  ConnectionStatus,
  Migration,
  Role,
  Timestamp,
} from '../domain/platform.ts';
import { event, method } from './define.ts';
import { RosterFilter, RosterQuery, RosterQueryResult, RosterSort } from './roster-query.ts';

/** Where the local roster cache stands: the store's state, the last syncs, and a running sync's progress. */
export const RosterSyncState = z.object({
  /** `memory-only`: personal data cannot be sealed on this machine, so nothing is persisted (storeDetail says why). */
  storeState: z.enum(['starting', 'ready', 'memory-only', 'locked', 'needs-rebuild']),
  storeDetail: z.string().max(1000).nullable(),
  rowCount: z.number().int().nonnegative(),
  lastFullSyncAt: Timestamp.nullable(),
  lastIncrementalSyncAt: Timestamp.nullable(),
  /** True when the rows shown come from the cache because the platform could not be reached. */
  offline: z.boolean(),
  running: z
    .object({
      mode: z.enum(['full', 'incremental']),
      startedAt: Timestamp,
      fetched: z.number().int().nonnegative(),
      /** From /migration's total for a full sync; null when unknown. */
      expected: z.number().int().nonnegative().nullable(),
    })
    .nullable(),
  /** The last sync's failure, written for a support person (names the user and field on a schema violation). */
  lastError: z.string().max(2000).nullable(),
});
export type RosterSyncState = z.infer<typeof RosterSyncState>;

export const SavedView = z.object({
  id: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(80),
  filter: RosterFilter,
  sort: RosterSort,
  /** Built-in views ship with the console and cannot be deleted. */
  builtIn: z.boolean(),
});
export type SavedView = z.infer<typeof SavedView>;

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
  /** The operator's own time zone (IANA) when it differs from the platform's, else null. */
  operatorTimeZone: z.string().max(100).nullable(),
});
export type DashboardSummary = z.infer<typeof DashboardSummary>;

export const rosterMethods = {
  'roster.status': method({
    summary: 'The local roster cache: store state, last syncs, a running sync.',
    permission: 'read',
    input: z.object({}).strict(),
    output: RosterSyncState,
  }),
  'roster.sync': method({
    summary:
      'Starts a full or incremental sync from the platform (answers at once; progress arrives as events).',
    permission: 'read',
    input: z.object({ mode: z.enum(['full', 'incremental']) }).strict(),
    output: RosterSyncState,
  }),
  'roster.query': method({
    summary: 'A window of the roster with total and facet counts.',
    permission: 'read',
    input: RosterQuery,
    output: RosterQueryResult,
  }),
  'roster.get': method({
    summary: "One user's connection, fresh from the platform when it can be reached, else from the cache.",
    permission: 'read',
    input: z
      .object({
        userId: z
          .string()
          .regex(
            USER_ID_PATTERN,
            'A user id is letters, digits and _ . ~ - (starting with a letter or digit).',
          ),
      })
      .strict(),
    output: z.object({ connection: Connection, fromCache: z.boolean() }),
  }),
  'roster.export': method({
    summary: 'The rows matching a filter as CSV (the whole match, not only the visible window).',
    permission: 'read',
    input: z.object({ filter: RosterFilter, sort: RosterSort }).strict(),
    output: z.object({
      filename: z.string().max(200),
      rowCount: z.number().int().nonnegative(),
      csv: z.string(),
    }),
  }),
  'views.list': method({
    summary: 'Saved views of the Users table, built-in ones first.',
    permission: 'read',
    input: z.object({}).strict(),
    output: z.array(SavedView).max(200),
  }),
  'views.save': method({
    summary: 'Saves (creates or replaces by id) a view of the Users table.',
    permission: 'read',
    input: SavedView.omit({ builtIn: true, id: true })
      .extend({ id: z.string().min(1).max(64).optional() })
      .strict(),
    output: SavedView,
  }),
  'views.delete': method({
    summary: 'Deletes a saved view (built-in views cannot be deleted).',
    permission: 'read',
    input: z.object({ id: z.string().min(1).max(64) }).strict(),
    output: z.object({ deleted: z.boolean() }),
  }),
  'dashboard.summary': method({
    summary: 'Everything the dashboard shows: migration counts, history, forecast, announcement markers.',
    permission: 'read',
    input: z.object({}).strict(),
    output: DashboardSummary,
  }),
} as const;

export const rosterEvents = {
  'roster.syncState': event({
    summary: 'The roster sync state changed (progress, finish, failure).',
    payload: RosterSyncState,
  }),
  'roster.changed': event({
    summary: 'Rows in the roster cache changed; windows on screen should be asked for again.',
    payload: z.object({ rowCount: z.number().int().nonnegative(), at: Timestamp }),
  }),
} as const;
