import { z } from 'zod';
import { USER_ID_PATTERN } from '../domain/platform-url.ts';
import { Connection, Timestamp } from '../domain/platform.ts';
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
    // A full sync re-reads every user from the platform (its rate budget, minutes of work): shared state.
    permissionFor: ({ mode }) => (mode === 'full' ? 'change-shared' : null),
    input: z
      .object({
        mode: z.enum(['full', 'incremental']),
        /**
         * Answer when the cache is up to date instead of at once (scripts): the first call after
         * start waits for the start-up sync (full the first time, then incremental) rather than adding one.
         */
        wait: z.boolean().optional(),
      })
      .strict(),
    output: RosterSyncState,
  }),
  'roster.rebuildCache': method({
    summary:
      'Sets a damaged (needs-rebuild) or locked roster cache aside (nothing is deleted) and starts an empty one, which a full sync refills from the platform. Refused (precondition_failed) for a sound cache.',
    permission: 'settings',
    input: z.object({}).strict(),
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
    permission: 'export',
    heavy: true,
    input: z.object({ filter: RosterFilter, sort: RosterSort }).strict(),
    output: z.object({
      filename: z.string().max(200),
      rowCount: z.number().int().nonnegative(),
      csv: z.string(),
    }),
  }),
  'roster.exportFile': method({
    summary:
      'The desktop app: asks where to save, then writes the rows matching a filter there as CSV, in bounded pieces (the CSV never crosses to the window).',
    permission: 'export',
    heavy: true,
    input: z.object({ filter: RosterFilter, sort: RosterSort }).strict(),
    output: z.object({
      /** False when the operator closed the save dialog: nothing was written. */
      saved: z.boolean(),
      /** The file's name (not its folder), for the message. */
      filename: z.string().max(260),
      rowCount: z.number().int().nonnegative(),
    }),
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
