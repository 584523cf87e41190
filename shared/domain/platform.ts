import { z } from 'zod';

/**
 * The career platform's Calendar Sync Administration API v1, as zod schemas and types.
 * Source of truth: platform-api.md. Objects strip fields they do not name (a newer platform may
 * add fields without breaking this console); enums are closed, because acting on a status this
 * console does not understand (say, bulk-disconnecting a `paused` user) would be worse than
 * stopping with a clear error. `parsePlatformReply` (validate.ts) turns an unknown enum value
 * into an `UnknownEnumValueError` naming the field and the value.
 */

/** ISO 8601 timestamp with an offset (`Z` or `±hh:mm`), as the contract requires. */
export const Timestamp = z.iso.datetime({ offset: true });
/** Calendar date `YYYY-MM-DD` (migration history). */
export const CalendarDate = z.iso.date();

export const Role = z.enum(['student', 'alumni', 'career_center']);
export type Role = z.infer<typeof Role>;

export const Provider = z.enum(['office365', 'google']);
export type Provider = z.infer<typeof Provider>;

export const CalendarApi = z.enum(['outlook_rest_v2', 'graph']);
export type CalendarApi = z.infer<typeof CalendarApi>;

export const ConnectionStatus = z.enum([
  'legacy',
  'reauth_pending',
  'migrated',
  'disconnected',
  'error',
  'not_connected',
  'not_affected',
]);
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

export const SyncOutcome = z.enum(['ok', 'partial', 'failed']);
export type SyncOutcome = z.infer<typeof SyncOutcome>;

/** Why a Graph connection in status `error` fails. */
export const ConnectionErrorCode = z.enum([
  'consent_revoked',
  'token_expired',
  'mailbox_not_found',
  'mailbox_inactive',
  'throttled',
  'unknown',
]);
export type ConnectionErrorCode = z.infer<typeof ConnectionErrorCode>;

export const SyncDirection = z.enum(['to_calendar', 'from_calendar']);
export type SyncDirection = z.infer<typeof SyncDirection>;

export const SyncedItemKind = z.enum(['event', 'appointment', 'interview']);
export type SyncedItemKind = z.infer<typeof SyncedItemKind>;

export const MagicLinkTarget = z.enum(['calendar-sync-settings']);
export type MagicLinkTarget = z.infer<typeof MagicLinkTarget>;

const Count = z.number().int().nonnegative();

/**
 * Users per status. The platform sends every status (zeros included); a missing one reads as 0
 * so the console's arithmetic never meets `undefined`. An unknown status key is an error.
 */
export const StatusCounts = z
  .partialRecord(ConnectionStatus, Count)
  .transform(
    (counts) =>
      Object.fromEntries(ConnectionStatus.options.map((s) => [s, counts[s] ?? 0])) as Record<
        ConnectionStatus,
        number
      >,
  );
export type StatusCounts = z.infer<typeof StatusCounts>;

/** Users per role, each split by status. Roles with no users may be absent and read as all zeros. */
export const RoleCounts = z.partialRecord(Role, StatusCounts).transform((byRole) => {
  const zeros = Object.fromEntries(ConnectionStatus.options.map((s) => [s, 0])) as Record<
    ConnectionStatus,
    number
  >;
  return Object.fromEntries(Role.options.map((r) => [r, byRole[r] ?? { ...zeros }])) as Record<
    Role,
    StatusCounts
  >;
});
export type RoleCounts = z.infer<typeof RoleCounts>;

export const MigrationCounts = z.object({
  total: Count,
  byStatus: StatusCounts,
  byRole: RoleCounts,
});
export type MigrationCounts = z.infer<typeof MigrationCounts>;

export const Migration = z.object({
  platformName: z.string().min(1),
  legacyApi: z.literal('outlook_rest_v2'),
  targetApi: z.literal('graph'),
  cutoffAt: Timestamp,
  /** IANA zone; every date a user sees is shown in it. */
  timezone: z.string().min(1),
  reauthorizeUrl: z.url(),
  helpArticleUrl: z.url(),
  counts: MigrationCounts,
  asOf: Timestamp,
});
export type Migration = z.infer<typeof Migration>;

export const MigrationHistoryDay = z.object({
  date: CalendarDate,
  byStatus: StatusCounts,
  byRole: RoleCounts,
});
export type MigrationHistoryDay = z.infer<typeof MigrationHistoryDay>;

export const MigrationHistory = z.object({ days: z.array(MigrationHistoryDay) });
export type MigrationHistory = z.infer<typeof MigrationHistory>;

export const ConnectionLastError = z.object({
  code: ConnectionErrorCode,
  message: z.string(),
  at: Timestamp,
});
export type ConnectionLastError = z.infer<typeof ConnectionLastError>;

export const Connection = z.object({
  userId: z.string().min(1),
  firstName: z.string(),
  lastName: z.string(),
  preferredName: z.string().nullable(),
  email: z.string().min(1),
  role: Role,
  provider: Provider.nullable(),
  api: CalendarApi.nullable(),
  status: ConnectionStatus,
  statusChangedAt: Timestamp,
  connectedAt: Timestamp.nullable(),
  lastSyncAt: Timestamp.nullable(),
  lastSyncOutcome: SyncOutcome.nullable(),
  lastError: ConnectionLastError.nullable(),
  syncedItemCount: Count,
  calendarMailbox: z.string().min(1).nullable(),
  updatedAt: Timestamp,
  etag: z.string().min(1),
});
export type Connection = z.infer<typeof Connection>;

/** Every list endpoint's envelope. `nextCursor` is opaque; null on the last page. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().min(1).nullable() });
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const ConnectionPage = pageOf(Connection);
export type ConnectionPage = z.infer<typeof ConnectionPage>;

export const SyncLogEntry = z.object({
  at: Timestamp,
  direction: SyncDirection,
  outcome: SyncOutcome,
  itemsChanged: Count,
  errorCode: z.string().optional(),
  message: z.string().optional(),
});
export type SyncLogEntry = z.infer<typeof SyncLogEntry>;

/** Newest first. Not cursor-paged: `limit` only. */
export const SyncLog = z.object({ items: z.array(SyncLogEntry) });
export type SyncLog = z.infer<typeof SyncLog>;

export const SyncedItem = z.object({
  itemId: z.string().min(1),
  kind: SyncedItemKind,
  title: z.string(),
  start: Timestamp,
  end: Timestamp,
  /** The Windows or IANA zone the event was written in. */
  timeZone: z.string().min(1),
  /** The calendar event id the platform stored when it created the event. */
  externalEventId: z.string().min(1),
  iCalUId: z.string().min(1),
  syncedAt: Timestamp,
  syncedVia: CalendarApi,
});
export type SyncedItem = z.infer<typeof SyncedItem>;

export const SyncedItemPage = pageOf(SyncedItem);
export type SyncedItemPage = z.infer<typeof SyncedItemPage>;

/** RFC 9457 problem details; `code` is the platform's stable machine string. */
export const Problem = z.looseObject({
  type: z.string().default('about:blank'),
  title: z.string(),
  status: z.number().int().min(100).max(599),
  detail: z.string().optional(),
  code: z.string().min(1),
});
export type Problem = z.infer<typeof Problem>;

export const ForceDisconnectRequest = z.object({ reason: z.string().min(1).max(500) });
export type ForceDisconnectRequest = z.infer<typeof ForceDisconnectRequest>;

export const ForceDisconnectResult = z.object({
  connection: Connection,
  /** False when the user was already not connected: nothing happened. */
  changed: z.boolean(),
});
export type ForceDisconnectResult = z.infer<typeof ForceDisconnectResult>;

export const ResyncResult = z.object({
  requestId: z.string().min(1),
  expectedBy: Timestamp,
});
export type ResyncResult = z.infer<typeof ResyncResult>;

export const MAGIC_LINK_TTL_MINUTES = { min: 5, max: 10_080 } as const;
export const MAGIC_LINK_BATCH_MAX = 500;

const TtlMinutes = z.number().int().min(MAGIC_LINK_TTL_MINUTES.min).max(MAGIC_LINK_TTL_MINUTES.max);

export const MagicLinkRequest = z.object({
  userId: z.string().min(1),
  target: MagicLinkTarget,
  ttlMinutes: TtlMinutes,
});
export type MagicLinkRequest = z.infer<typeof MagicLinkRequest>;

export const MagicLink = z.object({ url: z.url(), expiresAt: Timestamp });
export type MagicLink = z.infer<typeof MagicLink>;

export const MagicLinkBatchRequest = z.object({
  userIds: z.array(z.string().min(1)).min(1).max(MAGIC_LINK_BATCH_MAX),
  target: MagicLinkTarget,
  ttlMinutes: TtlMinutes,
});
export type MagicLinkBatchRequest = z.infer<typeof MagicLinkBatchRequest>;

export const MagicLinkBatchSuccess = z.object({
  userId: z.string().min(1),
  url: z.url(),
  expiresAt: Timestamp,
});
export type MagicLinkBatchSuccess = z.infer<typeof MagicLinkBatchSuccess>;
export const MagicLinkBatchFailure = z.object({ userId: z.string().min(1), error: Problem });
export type MagicLinkBatchFailure = z.infer<typeof MagicLinkBatchFailure>;

/** One item per requested user, success or a problem of its own; the batch as a whole succeeded. */
export const MagicLinkBatchItem = z.union([MagicLinkBatchSuccess, MagicLinkBatchFailure]);
export type MagicLinkBatchItem = z.infer<typeof MagicLinkBatchItem>;

export const MagicLinkBatchResult = z.object({ items: z.array(MagicLinkBatchItem) });
export type MagicLinkBatchResult = z.infer<typeof MagicLinkBatchResult>;

export function isMagicLinkFailure(item: MagicLinkBatchItem): item is MagicLinkBatchFailure {
  return 'error' in item;
}

/** Query of `GET /connections`. `status` and `role` are sent as comma lists. */
export interface ConnectionQuery {
  role?: readonly Role[];
  status?: readonly ConnectionStatus[];
  provider?: Provider;
  updatedSince?: string;
  q?: string;
  limit?: number;
}

export const PAGE_LIMIT = { min: 1, max: 1000, default: 200 } as const;
