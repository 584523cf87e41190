/** The demo university model: everything engineer B's Graph and the platform API serve. */
export {
  createUniversity,
  MAX_USERS,
  TIMEZONE,
  type University,
  type UniversityOptions,
  type ConnectionFilter,
  type MailboxRef,
  type AnomalyTruth,
  type HistoryDay,
} from './university.ts';
export type { Connection } from './connection.ts';
export type { MailboxEvent } from './mailbox.ts';
export type { SyncedItem } from './synced-items.ts';
export type { SyncLogEntry } from './sync-log.ts';
export { ID_TYPES, type ExchangeIdType, decodeEventId, encodeEventId } from './event-ids.ts';
export {
  STATUSES,
  ROLES,
  ERROR_CODES,
  ANOMALY_CLASSES,
  type Status,
  type Role,
  type Counts,
  type AnomalyClass,
} from './model-types.ts';
