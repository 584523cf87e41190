/** Numeric codes used inside the model; the API layer maps them to the contract's strings. */
export const STATUSES = [
  'legacy',
  'reauth_pending',
  'migrated',
  'disconnected',
  'error',
  'not_connected',
  'not_affected',
] as const;
export type Status = (typeof STATUSES)[number];
export const ROLES = ['student', 'alumni', 'career_center'] as const;
export type Role = (typeof ROLES)[number];
export const ERROR_CODES = [
  'consent_revoked',
  'token_expired',
  'mailbox_not_found',
  'mailbox_inactive',
  'throttled',
  'unknown',
] as const;
export type SyncErrorCode = (typeof ERROR_CODES)[number];
/** The verification classes a planted anomaly shows as (the console's own names; `ok` is no anomaly). */
export const ANOMALY_CLASSES = ['missing', 'id_changed', 'mismatch', 'duplicate', 'legacy_id'] as const;
export type AnomalyClass = (typeof ANOMALY_CLASSES)[number];

export const S_LEGACY = 0;
export const S_REAUTH = 1;
export const S_MIGRATED = 2;
export const S_DISCONNECTED = 3;
export const S_ERROR = 4;
export const S_NOT_CONNECTED = 5;
export const S_NOT_AFFECTED = 6;
export const STATUS_COUNT = 7;
export const ROLE_COUNT = 3;

/** A connection is "connected" (sync running) in these states; force-disconnect only changes these. */
export function isConnected(status: number): boolean {
  return status === S_LEGACY || status === S_MIGRATED || status === S_ERROR;
}

export interface Counts {
  total: number;
  byStatus: Record<Status, number>;
  byRole: Record<Role, Record<Status, number>>;
}

export function emptyStatusRecord(): Record<Status, number> {
  return {
    legacy: 0,
    reauth_pending: 0,
    migrated: 0,
    disconnected: 0,
    error: 0,
    not_connected: 0,
    not_affected: 0,
  };
}

/** Turns a role×status matrix (index role*7+status) into the contract's counts object. */
export function countsFromMatrix(matrix: ArrayLike<number>): Counts {
  const byStatus = emptyStatusRecord();
  const byRole = {
    student: emptyStatusRecord(),
    alumni: emptyStatusRecord(),
    career_center: emptyStatusRecord(),
  };
  let total = 0;
  for (let r = 0; r < ROLE_COUNT; r++) {
    for (let s = 0; s < STATUS_COUNT; s++) {
      const n = matrix[r * STATUS_COUNT + s] ?? 0;
      const role = ROLES[r] as Role;
      const status = STATUSES[s] as Status;
      byRole[role][status] += n;
      byStatus[status] += n;
      total += n;
    }
  }
  return { total, byStatus, byRole };
}

export const MINUTE = 60_000;
export const DAY_MIN = 1440;
