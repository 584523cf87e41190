import { z } from 'zod';
import {
  CalendarApi,
  Connection,
  ConnectionErrorCode,
  ConnectionStatus,
  Role,
  SyncOutcome,
  Timestamp,
} from '../domain/platform.ts';

/**
 * Schemas of the roster query: what the people table asks of the in-memory roster (filters,
 * facets, search, sort, a window of rows) and what it gets back. Methods using them are
 * registered by the feature that exposes the roster; this file only fixes the shapes.
 */

/** A row of the roster is the platform's Connection as last fetched. */
export const RosterRow = Connection;
export type RosterRow = z.infer<typeof RosterRow>;

/** Provider facet: `none` stands for users with no calendar provider at all. */
export const ProviderFacetValue = z.enum(['office365', 'google', 'none']);
export type ProviderFacetValue = z.infer<typeof ProviderFacetValue>;

/** Error facet: `lastError.code`, with `none` for users without an error. */
export const ErrorFacetValue = z.enum([...ConnectionErrorCode.options, 'none']);
export type ErrorFacetValue = z.infer<typeof ErrorFacetValue>;

/** How long ago the last sync was, relative to the query's `now`: never, <1 day, 1-7, 7-30, >30 days. */
export const SyncAgeBucket = z.enum(['never', 'lt1d', '1to7d', '7to30d', 'gt30d']);
export type SyncAgeBucket = z.infer<typeof SyncAgeBucket>;

/**
 * The latest verification of a user (kept in the journal, resolved at query time): `ok` (every
 * item as stored, or nothing to check), an anomaly class (at least one item of it), `unverified`
 * (the check could not be completed: no mailbox, platform-only, throttled, failed) or `never`
 * (not verified yet). A user with several anomaly classes carries each of them, so this facet's
 * counts may add up to more than the rows.
 */
export const VerdictFacetValue = z.enum([
  'ok',
  'missing',
  'id_changed',
  'mismatch',
  'duplicate',
  'legacy_id',
  'unverified',
  'never',
]);
export type VerdictFacetValue = z.infer<typeof VerdictFacetValue>;

/**
 * Per user, the bit set of their verdict facet values (bit n = `VerdictFacetValue.options[n]`);
 * users not in the map are `never`. The same map object is handed out while nothing changed, so a
 * query engine may keep what it derived from it.
 */
export type VerdictLabels = ReadonlyMap<string, number>;

/** The verdict facet bits of one latest verification (see VerdictFacetValue). */
export function verdictFacetBits(
  verdict: string,
  counts: Readonly<Record<string, number | undefined>>,
): number {
  let bits = 0;
  const bit = (value: VerdictFacetValue) => 1 << VerdictFacetValue.options.indexOf(value);
  if (verdict === 'ok' || verdict === 'no_items') bits |= bit('ok');
  for (const value of ['missing', 'id_changed', 'mismatch', 'duplicate', 'legacy_id'] as const)
    if ((counts[value] ?? 0) > 0) bits |= bit(value);
  if (
    verdict === 'incomplete' ||
    verdict === 'no_mailbox' ||
    verdict === 'platform_only' ||
    verdict === 'failed' ||
    (counts['unverified'] ?? 0) > 0
  )
    bits |= bit('unverified');
  // A verdict this console does not know still is a verification: never `never`.
  return bits === 0 ? bit('unverified') : bits;
}

export const VERDICT_NEVER_BIT = 1 << VerdictFacetValue.options.indexOf('never');

/**
 * A row's own timestamp a filter can compare another column with: `lastSyncBefore=connectedAt` is
 * "no sync since the connection" (the first Graph sync is still pending).
 */
export const RowTimestampField = z.enum(['connectedAt', 'statusChangedAt', 'updatedAt']);
export type RowTimestampField = z.infer<typeof RowTimestampField>;

/**
 * Facet filters (a row matches when its value is one of those listed, for `verdict` when one of
 * its values is; omit a facet to accept any value) and the plain filters q, updatedSince, statusChangedSince, connectedBefore and lastSyncBefore. All of
 * them are ANDed.
 */
export const RosterFilter = z
  .object({
    status: z.array(ConnectionStatus).min(1).optional(),
    role: z.array(Role).min(1).optional(),
    provider: z.array(ProviderFacetValue).min(1).optional(),
    error: z.array(ErrorFacetValue).min(1).optional(),
    syncAge: z.array(SyncAgeBucket).min(1).optional(),
    /** The latest verification's verdict facet (resolved against the journal's results at query time). */
    verdict: z.array(VerdictFacetValue).min(1).optional(),
    /** Whitespace-separated words; each must occur in a name or the email, or start the user id. Case- and accent-insensitive. */
    q: z.string().max(200).optional(),
    /** Only rows whose `updatedAt` is later than this. */
    updatedSince: Timestamp.optional(),
    /** Only rows whose status changed later than this (`statusChangedAt`): "re-authorized since yesterday" with status=migrated. */
    statusChangedSince: Timestamp.optional(),
    /**
     * Only rows connected before this instant (`connectedAt` earlier; never connected does not match).
     * With `status=migrated lastSyncBefore=connectedAt` and now − 30 min: the first Graph sync is overdue.
     */
    connectedBefore: Timestamp.optional(),
    /**
     * Only rows that have not synced since this instant, or since the row's own timestamp of that
     * name: `lastSyncAt` earlier, or never synced. A row whose named timestamp is null never matches.
     */
    lastSyncBefore: z.union([Timestamp, RowTimestampField]).optional(),
  })
  .strict();
export type RosterFilter = z.infer<typeof RosterFilter>;

export const RosterSortField = z.enum([
  'lastName',
  'firstName',
  'preferredName',
  'email',
  'calendarMailbox',
  'userId',
  'role',
  'status',
  'provider',
  'api',
  'statusChangedAt',
  'connectedAt',
  'lastSyncAt',
  'lastSyncOutcome',
  'lastErrorCode',
  'lastErrorAt',
  'syncedItemCount',
  'updatedAt',
]);
export type RosterSortField = z.infer<typeof RosterSortField>;

/** Names sort by the locale's collation, enums in their declared order, nulls always last; ties keep roster order. */
export const RosterSort = z.object({ field: RosterSortField, direction: z.enum(['asc', 'desc']) }).strict();
export type RosterSort = z.infer<typeof RosterSort>;

export const MAX_ROSTER_WINDOW = 1000;

export const RosterQuery = z
  .object({
    filter: RosterFilter,
    sort: RosterSort,
    offset: z.number().int().min(0),
    limit: z.number().int().min(1).max(MAX_ROSTER_WINDOW),
    /** The instant sync-age buckets are measured from; passed in so results are reproducible. */
    now: Timestamp,
  })
  .strict();
export type RosterQuery = z.infer<typeof RosterQuery>;

const counts = <T extends z.ZodEnum>(values: T) => z.record(values, z.number().int().nonnegative());

/**
 * Each facet's counts apply every filter except that facet's own, so a facet shows what choosing
 * another of its values would give (the usual faceted-search rule).
 */
export const RosterFacets = z.object({
  role: counts(Role),
  status: counts(ConnectionStatus),
  provider: counts(ProviderFacetValue),
  error: counts(ErrorFacetValue),
  syncAge: counts(SyncAgeBucket),
  /** Present when the verification results could be read (multi-valued: see VerdictFacetValue). */
  verdict: counts(VerdictFacetValue).optional(),
});
export type RosterFacets = z.infer<typeof RosterFacets>;

export const RosterQueryResult = z.object({
  /** Rows matching every filter. */
  total: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  rows: z.array(RosterRow).max(MAX_ROSTER_WINDOW),
  facets: RosterFacets,
});
export type RosterQueryResult = z.infer<typeof RosterQueryResult>;

/** Declared orders used when sorting by an enum column. */
export const ENUM_SORT_ORDERS = {
  role: Role.options,
  status: ConnectionStatus.options,
  api: CalendarApi.options,
  lastSyncOutcome: SyncOutcome.options,
  lastErrorCode: ConnectionErrorCode.options,
} as const;
