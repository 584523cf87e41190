import { drawName, asciiFold, type PersonName } from './names.ts';
import {
  ERROR_CODES,
  MINUTE,
  ROLES,
  S_ERROR,
  S_LEGACY,
  S_MIGRATED,
  STATUSES,
  type Role,
  type Status,
  type SyncErrorCode,
} from './model-types.ts';
import { hash3, hashString, Salt, stream } from './prng.ts';
import { hashOutcome, transitionIndexAt, type ModelCalendar, type UserPlan } from './plan.ts';
import type { Override, Timeline } from './timeline.ts';
import { userIdOf } from './user-ids.ts';
import type { Zone } from './time-zone.ts';

export const EMAIL_DOMAIN = 'demo-university.edu';

export interface Profile extends PersonName {
  userId: string;
  email: string;
}

export function profileOf(cal: ModelCalendar, index: number): Profile {
  const name = drawName(stream(hash3(cal.seed, index, Salt.name)));
  const parts = [asciiFold(name.firstName), asciiFold(name.lastName)].filter((p) => p !== '');
  // The trailing index keeps addresses unique and lets a UPN decode back to its user.
  const local = `${parts.length > 0 ? parts.join('.') : 'user'}${index}`;
  return { ...name, userId: userIdOf(cal, index), email: `${local}@${EMAIL_DOMAIN}` };
}

/** Index of a UPN / e-mail address (case-insensitive), or -1. */
export function indexOfEmail(cal: ModelCalendar, email: string): number {
  const match = /^[a-z.]*?(\d+)@(.+)$/.exec(email.toLowerCase());
  if (!match || match[2] !== EMAIL_DOMAIN) return -1;
  const index = Number(match[1]);
  if (!Number.isSafeInteger(index) || index >= cal.users || String(index) !== match[1]) return -1;
  return profileOf(cal, index).email === email.toLowerCase() ? index : -1;
}

export interface Connection {
  userId: string;
  firstName: string;
  lastName: string;
  preferredName: string | null;
  email: string;
  role: Role;
  provider: 'office365' | 'google' | null;
  api: 'outlook_rest_v2' | 'graph' | null;
  status: Status;
  statusChangedAt: string;
  connectedAt: string | null;
  lastSyncAt: string | null;
  lastSyncOutcome: 'ok' | 'partial' | 'failed' | null;
  lastError: { code: SyncErrorCode; message: string; at: string } | null;
  syncedItemCount: number;
  calendarMailbox: string | null;
  updatedAt: string;
  etag: string;
}

const ERROR_MESSAGES: Record<SyncErrorCode, string> = {
  consent_revoked: 'The user or an administrator revoked the consent for calendar access.',
  token_expired: 'The refresh token expired; the user must sign in again.',
  mailbox_not_found: 'No Exchange Online mailbox exists for this user.',
  mailbox_inactive: 'The mailbox is inactive or soft-deleted.',
  throttled: 'Microsoft Graph throttled the sync repeatedly (HTTP 429).',
  unknown: 'The calendar service returned an unexpected error.',
};

export function errorMessageOf(code: SyncErrorCode): string {
  return ERROR_MESSAGES[code];
}

/** The last periodic sync tick at or before `minute`. */
function tickAtOrBefore(plan: UserPlan, minute: number): number {
  return (
    plan.syncPhaseMin + Math.floor((minute - plan.syncPhaseMin) / plan.syncPeriodMin) * plan.syncPeriodMin
  );
}

export interface SyncState {
  status: number;
  statusChangedMin: number;
  connectedMin: number | null;
  lastSyncMin: number | null;
  lastSyncOutcome: 'ok' | 'partial' | 'failed' | null;
  errorMin: number | null;
  /** When the first Graph sync after re-authorization finished (null: not yet, or not migrated). */
  firstGraphSyncMin: number | null;
  updatedMin: number;
}

/**
 * The user's sync-related state at `nowMin`, derived from the (effective) timeline. Routine
 * periodic syncs move lastSyncAt but not updatedAt; a status change or the end of the first Graph
 * sync after re-authorization move updatedAt (what `updatedSince` refreshes on).
 */
export function syncStateAt(
  seed: number,
  plan: UserPlan,
  timeline: Timeline,
  overrides: readonly Override[] | undefined,
  nowMin: number,
): SyncState {
  const i = transitionIndexAt(timeline.at, nowMin);
  const status = timeline.statuses[i] ?? 0;
  const statusChangedMin = timeline.at[i] ?? plan.createdMin;
  let connectedMin: number | null = null;
  let lastSyncMin: number | null = null;
  let outcome: SyncState['lastSyncOutcome'] = null;
  let errorMin: number | null = null;
  let firstGraphSyncMin: number | null = null;
  let updatedMin = statusChangedMin;
  const legacyTickBefore = (minute: number) => {
    if (plan.legacyConnectMin === null) return null;
    const t = tickAtOrBefore(plan, minute);
    return t > plan.legacyConnectMin ? t : null;
  };

  if (status === S_LEGACY) {
    connectedMin = plan.legacyConnectMin;
    lastSyncMin = legacyTickBefore(nowMin);
  } else if (status === S_MIGRATED || status === S_ERROR) {
    // connectedAt is the latest re-authorization (the last `migrated` transition up to now).
    let j = i;
    while (j > 0 && timeline.statuses[j] !== S_MIGRATED) j--;
    connectedMin = timeline.at[j] ?? statusChangedMin;
    const firstDone = plan.firstSyncDelayMin === null ? null : connectedMin + plan.firstSyncDelayMin;
    if (status === S_ERROR) {
      errorMin = statusChangedMin;
      lastSyncMin = Math.max(tickAtOrBefore(plan, nowMin), statusChangedMin);
      outcome = 'failed';
      if (firstDone !== null && firstDone <= statusChangedMin) firstGraphSyncMin = firstDone;
    } else if (firstDone !== null && firstDone <= nowMin) {
      firstGraphSyncMin = firstDone;
      lastSyncMin = Math.max(tickAtOrBefore(plan, nowMin), firstDone);
      updatedMin = Math.max(updatedMin, firstDone);
    } else {
      // First Graph sync still running (or stuck): the last sync is the legacy one before re-authorization.
      lastSyncMin = legacyTickBefore(connectedMin - 1);
    }
  } else if (plan.legacyConnectMin !== null && statusChangedMin > plan.legacyConnectMin) {
    lastSyncMin = legacyTickBefore(statusChangedMin - 1);
  }
  if (lastSyncMin !== null && outcome === null) outcome = hashOutcome(seed, plan.index, lastSyncMin);

  // A requested resync that has completed by now counts as the latest sync of a connected user.
  if (overrides && connectedMin !== null) {
    for (const o of overrides) {
      if (o.kind !== 'resync' || o.expectedByMin > nowMin || o.atMin < connectedMin) continue;
      if (lastSyncMin === null || o.expectedByMin > lastSyncMin) {
        lastSyncMin = o.expectedByMin;
        outcome = status === S_ERROR ? 'failed' : hashOutcome(seed, plan.index, o.expectedByMin);
      }
    }
  }
  return {
    status,
    statusChangedMin,
    connectedMin,
    lastSyncMin,
    lastSyncOutcome: outcome,
    errorMin,
    firstGraphSyncMin,
    updatedMin,
  };
}

export function buildConnection(
  cal: ModelCalendar,
  zone: Zone,
  plan: UserPlan,
  state: SyncState,
): Connection {
  return buildConnectionWithJson(cal, zone, plan, state).connection;
}

/**
 * The connection and its JSON text, exactly `JSON.stringify(connection)`: the etag already hashes
 * the body's JSON, so the list endpoint reuses that text instead of serialising every row again.
 */
export function buildConnectionWithJson(
  cal: ModelCalendar,
  zone: Zone,
  plan: UserPlan,
  state: SyncState,
): { connection: Connection; json: string } {
  const profile = profileOf(cal, plan.index);
  const fmt = (m: number | null) => (m === null ? null : zone.format(m * MINUTE));
  const status = STATUSES[state.status] as Status;
  const everConnected = plan.legacyConnectMin !== null;
  const api =
    state.status === S_LEGACY
      ? 'outlook_rest_v2'
      : state.status === S_MIGRATED || state.status === S_ERROR
        ? 'graph'
        : null;
  const errorCode = ERROR_CODES[plan.errorCode] as SyncErrorCode;
  const body: Omit<Connection, 'etag'> = {
    userId: profile.userId,
    firstName: profile.firstName,
    lastName: profile.lastName,
    preferredName: profile.preferredName,
    email: profile.email,
    role: ROLES[plan.role] as Role,
    provider: plan.google ? 'google' : 'office365',
    api,
    status,
    statusChangedAt: zone.format(state.statusChangedMin * MINUTE),
    connectedAt: fmt(state.connectedMin),
    lastSyncAt: fmt(state.lastSyncMin),
    lastSyncOutcome: state.lastSyncOutcome,
    lastError:
      state.errorMin === null
        ? null
        : { code: errorCode, message: ERROR_MESSAGES[errorCode], at: zone.format(state.errorMin * MINUTE) },
    syncedItemCount: everConnected ? plan.itemCount : 0,
    calendarMailbox: everConnected ? profile.email : null,
    updatedAt: zone.format(state.updatedMin * MINUTE),
  };
  const bodyJson = JSON.stringify(body);
  const etag = `"${hashString(bodyJson).toString(36)}${hash3(plan.index, state.updatedMin, state.lastSyncMin ?? 0).toString(36)}"`;
  return { connection: { ...body, etag }, json: `${bodyJson.slice(0, -1)},"etag":${JSON.stringify(etag)}}` };
}
