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
import { fmix32, hash3, Salt, stream } from './prng.ts';
import { hashOutcome, transitionIndexAt, type ModelCalendar, type UserPlan } from './plan.ts';
import type { Override, Timeline } from './timeline.ts';
import { userIdOf } from './user-ids.ts';
import type { Zone } from './time-zone.ts';

export const EMAIL_DOMAIN = 'demo-university.edu';

export interface Profile extends PersonName {
  userId: string;
  email: string;
}

/**
 * ASCII folds of name parts. Names are drawn from finite pools, so this stays small; the cap only
 * guards against a caller folding arbitrary text through `profileOf` some day.
 */
const folds = new Map<string, string>();

function foldName(part: string): string {
  let f = folds.get(part);
  if (f === undefined) {
    f = asciiFold(part);
    if (folds.size >= 4096) folds.clear();
    folds.set(part, f);
  }
  return f;
}

export function profileOf(cal: ModelCalendar, index: number): Profile {
  const name = drawName(stream(hash3(cal.seed, index, Salt.name)));
  const first = foldName(name.firstName);
  const last = foldName(name.lastName);
  // The trailing index keeps addresses unique and lets a UPN decode back to its user.
  const local = first === '' ? (last === '' ? 'user' : last) : last === '' ? first : `${first}.${last}`;
  return {
    firstName: name.firstName,
    lastName: name.lastName,
    preferredName: name.preferredName,
    userId: userIdOf(cal, index),
    email: `${local}${index}@${EMAIL_DOMAIN}`,
  };
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

/** The `lastSyncOutcome` values as small numbers for the etag. */
const OUTCOME_CODES = { ok: 1, partial: 2, failed: 3 } as const;

/** One MurmurHash3 (x86, 32-bit) block step. */
function mixStep(h: number, value: number): number {
  let k = Math.imul(value | 0, 0xcc9e2d51);
  k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  const x = h ^ k;
  return (Math.imul((x << 13) | (x >>> 19), 5) + 0xe6546b64) | 0;
}

/** One 32-bit half of the etag: the numbers that decide the body, hashed from `start`. */
function etagHalf(
  start: number,
  cal: ModelCalendar,
  plan: UserPlan,
  state: SyncState,
  shape: number,
): number {
  let h = mixStep(start, cal.seed);
  h = mixStep(h, cal.createdBaseMs / MINUTE);
  h = mixStep(h, cal.createdStepMs);
  h = mixStep(h, plan.index);
  h = mixStep(h, shape);
  h = mixStep(h, state.statusChangedMin);
  h = mixStep(h, state.connectedMin ?? 0);
  h = mixStep(h, state.lastSyncMin ?? 0);
  h = mixStep(h, state.errorMin ?? 0);
  h = mixStep(h, state.updatedMin);
  return fmix32(h ^ 40);
}

const BASE32 = Array.from('0123456789abcdefghjkmnpqrstvwxyz', (c) => c.charCodeAt(0));

/** Seven base-32 digits of a 32-bit value, most significant first. */
function base32(n: number): string {
  const d = (shift: number) => BASE32[(n >>> shift) & 31] ?? 48;
  return String.fromCharCode(d(30), d(25), d(20), d(15), d(10), d(5), d(0));
}

/**
 * The connection's etag without its quotes. The body is a pure function of the university (its
 * seed and calendar), the user's index and the sync state's status, statusChangedMin, connectedMin,
 * lastSyncMin, lastSyncOutcome, errorMin and updatedMin; the tag hashes exactly those numbers
 * (64 bits, nulls told apart from numbers), so it changes whenever the body does and stays the same
 * otherwise, without hashing the body's text.
 */
function etagCode(cal: ModelCalendar, plan: UserPlan, state: SyncState): string {
  const shape =
    (state.connectedMin === null ? 0 : 1) |
    (state.lastSyncMin === null ? 0 : 2) |
    (state.errorMin === null ? 0 : 4) |
    ((state.lastSyncOutcome === null ? 0 : OUTCOME_CODES[state.lastSyncOutcome]) << 3) |
    (state.status << 5);
  return (
    base32(etagHalf(0x2545f491, cal, plan, state, shape)) +
    base32(etagHalf(0x6c8e9cf5, cal, plan, state, shape))
  );
}

/** The connection's etag (a quoted string, as in the `ETag` header). */
export function etagOf(cal: ModelCalendar, plan: UserPlan, state: SyncState): string {
  return `"${etagCode(cal, plan, state)}"`;
}

export function buildConnection(
  cal: ModelCalendar,
  zone: Zone,
  plan: UserPlan,
  state: SyncState,
): Connection {
  const profile = profileOf(cal, plan.index);
  const fmt = (m: number | null) => (m === null ? null : zone.format(m * MINUTE));
  const everConnected = plan.legacyConnectMin !== null;
  const errorCode = ERROR_CODES[plan.errorCode] as SyncErrorCode;
  return {
    userId: profile.userId,
    firstName: profile.firstName,
    lastName: profile.lastName,
    preferredName: profile.preferredName,
    email: profile.email,
    role: ROLES[plan.role] as Role,
    provider: plan.google ? 'google' : 'office365',
    api: apiOf(state.status),
    status: STATUSES[state.status] as Status,
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
    etag: etagOf(cal, plan, state),
  };
}

function apiOf(status: number): Connection['api'] {
  return status === S_LEGACY
    ? 'outlook_rest_v2'
    : status === S_MIGRATED || status === S_ERROR
      ? 'graph'
      : null;
}

/**
 * JSON texts of the fields that need no escaping (fixed words, ids, e-mail addresses and
 * timestamps are ASCII without quotes, backslashes or control characters), keyed like the values.
 */
const ROLE_JSON = ROLES.map((r) => `"${r}"`);
const STATUS_JSON = STATUSES.map((s) => `"${s}"`);
const API_JSON = STATUSES.map((_, s) => JSON.stringify(apiOf(s)));
const ERROR_JSON = ERROR_CODES.map(
  (c) => `{"code":"${c}","message":${JSON.stringify(ERROR_MESSAGES[c])},"at":"`,
);

/**
 * Exactly `JSON.stringify(buildConnection(cal, zone, plan, state))`, written field by field: the
 * list endpoint serves these texts, so no connection object is built or serialised for them.
 */
export function connectionJsonOf(cal: ModelCalendar, zone: Zone, plan: UserPlan, state: SyncState): string {
  const profile = profileOf(cal, plan.index);
  const everConnected = plan.legacyConnectMin !== null;
  const email = profile.email;
  const preferred = profile.preferredName;
  const at = (m: number | null) => (m === null ? 'null' : `"${zone.format(m * MINUTE)}"`);
  // One join builds a flat string: the cached texts stay single objects for the garbage collector.
  return [
    '{"userId":"',
    profile.userId,
    '","firstName":',
    JSON.stringify(profile.firstName),
    ',"lastName":',
    JSON.stringify(profile.lastName),
    ',"preferredName":',
    preferred === null ? 'null' : JSON.stringify(preferred),
    ',"email":"',
    email,
    '","role":',
    ROLE_JSON[plan.role],
    ',"provider":',
    plan.google ? '"google"' : '"office365"',
    ',"api":',
    API_JSON[state.status],
    ',"status":',
    STATUS_JSON[state.status],
    ',"statusChangedAt":"',
    zone.format(state.statusChangedMin * MINUTE),
    '","connectedAt":',
    at(state.connectedMin),
    ',"lastSyncAt":',
    at(state.lastSyncMin),
    ',"lastSyncOutcome":',
    state.lastSyncOutcome === null ? 'null' : `"${state.lastSyncOutcome}"`,
    ',"lastError":',
    state.errorMin === null ? 'null' : ERROR_JSON[plan.errorCode],
    state.errorMin === null ? '' : zone.format(state.errorMin * MINUTE),
    state.errorMin === null ? '' : '"}',
    ',"syncedItemCount":',
    everConnected ? String(plan.itemCount) : '0',
    ',"calendarMailbox":',
    everConnected ? '"' : 'null',
    everConnected ? email : '',
    everConnected ? '"' : '',
    ',"updatedAt":"',
    zone.format(state.updatedMin * MINUTE),
    '","etag":"\\"',
    etagCode(cal, plan, state),
    '\\""}',
  ].join('');
}

/** A connection's JSON text, with the connection itself built only if asked for. */
class BuiltConnection {
  readonly json: string;
  readonly #cal: ModelCalendar;
  readonly #zone: Zone;
  readonly #plan: UserPlan;
  readonly #state: SyncState;

  constructor(cal: ModelCalendar, zone: Zone, plan: UserPlan, state: SyncState) {
    this.#cal = cal;
    this.#zone = zone;
    this.#plan = plan;
    this.#state = state;
    this.json = connectionJsonOf(cal, zone, plan, state);
  }

  get connection(): Connection {
    return buildConnection(this.#cal, this.#zone, this.#plan, this.#state);
  }
}

/**
 * The connection's JSON text (exactly `JSON.stringify(connection)`, what the list endpoint serves)
 * and the connection, built only when read.
 */
export function buildConnectionWithJson(
  cal: ModelCalendar,
  zone: Zone,
  plan: UserPlan,
  state: SyncState,
): { readonly connection: Connection; readonly json: string } {
  return new BuiltConnection(cal, zone, plan, state);
}
