import { hash3, intIn, Salt, unit } from './prng.ts';
import { createdMsOf, type IdSpace } from './user-ids.ts';
import {
  DAY_MIN,
  MINUTE,
  S_DISCONNECTED,
  S_ERROR,
  S_LEGACY,
  S_MIGRATED,
  S_NOT_AFFECTED,
  S_NOT_CONNECTED,
  S_REAUTH,
} from './model-types.ts';

/**
 * The deterministic life of one user: a list of status transitions in whole minutes, drawn from
 * (seed, index). Shares at the sandbox start (documented in docs/sandbox.md): not_affected 7%,
 * not_connected 8%, and of the connected 85%: migrated 35, legacy 40, reauth_pending 5, error 3,
 * disconnected 2 (percent of all users). Re-authorizations cluster after announcement days.
 */
export interface ModelCalendar extends IdSpace {
  startMin: number;
  cutoffMin: number;
  /** History starts here (local midnight 45 days before the start day); transitions before it fold into a baseline. */
  windowStartMin: number;
  /** Nothing is planned after this (cut-off + 14 days). */
  windowEndMin: number;
  pastAnnouncementsMin: number[];
  futureAnnouncementsMin: number[];
}

export interface UserPlan {
  index: number;
  role: number;
  google: boolean;
  createdMin: number;
  /** When the legacy (Outlook REST v2.0) connection was made; null = never connected. */
  legacyConnectMin: number | null;
  /** Transition minutes, ascending; `statuses[i]` holds from `at[i]` on. `at[0]` is the account creation. */
  at: number[];
  statuses: number[];
  errorCode: number;
  syncPeriodMin: number;
  syncPhaseMin: number;
  /** Minutes from a Graph re-authorization to the end of the first Graph sync; null = stuck, never finishes. */
  firstSyncDelayMin: number | null;
  itemCount: number;
}

const TAU_MIN = 2 * DAY_MIN;

function expo(u: number): number {
  return -Math.log(1 - u) * TAU_MIN;
}

/** A minute in [from, to) with bumps after the given announcement minutes. */
function bumped(u1: number, u2: number, from: number, to: number, announcements: number[]): number {
  const span = Math.max(1, to - from);
  const inRange = announcements.filter((a) => a >= from && a < to);
  if (u1 < 0.3 || inRange.length === 0) return from + Math.floor(u2 * span);
  const ann = inRange[Math.min(inRange.length - 1, Math.floor(((u1 - 0.3) / 0.7) * inRange.length))] ?? from;
  const t = ann + Math.floor(expo(u2));
  return t < to ? t : from + Math.floor(u2 * span);
}

function uniform(u: number, from: number, to: number): number {
  return from + Math.floor(u * Math.max(1, to - from));
}

/** Minutes between a user's own disconnect and re-authorization: usually minutes, sometimes days. */
function gapMinutes(u: number): number {
  if (u < 0.6) return 1 + Math.floor(u * 5);
  if (u < 0.9) return 5 + Math.floor(((u - 0.6) / 0.3) * 175);
  return DAY_MIN + Math.floor(((u - 0.9) / 0.1) * 4 * DAY_MIN);
}

const ERROR_CODE_WEIGHTS = [0.3, 0.25, 0.1, 0.1, 0.15, 0.1];

function errorCodeOf(u: number): number {
  let acc = 0;
  for (let i = 0; i < ERROR_CODE_WEIGHTS.length; i++) {
    acc += ERROR_CODE_WEIGHTS[i] ?? 0;
    if (u < acc) return i;
  }
  return ERROR_CODE_WEIGHTS.length - 1;
}

export function planUser(cal: ModelCalendar, index: number): UserPlan {
  const s = cal.seed;
  const u = (salt: number) => unit(s, index, salt);
  const roleDraw = u(Salt.role);
  const role = roleDraw < 0.75 ? 0 : roleDraw < 0.95 ? 1 : 2;
  const createdMin = Math.floor(createdMsOf(cal, index) / MINUTE);
  const kind = u(Salt.kind);
  const syncPeriodMin = intIn(s, index, Salt.syncPeriod, 15, 60);
  const errorCode = errorCodeOf(u(Salt.errorCode));
  const syncPhaseMin = intIn(s, index, Salt.syncPhase, 0, syncPeriodMin - 1);
  const firstSyncDelayMin =
    u(Salt.firstSyncDelay) < 0.015 ? null : intIn(s, index, Salt.firstSyncDelay + 100, 5, 30);
  // One literal (no spread of a shared part) keeps every plan the same shape, cheaply.
  const plan = (
    google: boolean,
    legacyConnectMin: number | null,
    at: number[],
    statuses: number[],
    itemCount: number,
  ): UserPlan => ({
    index,
    role,
    createdMin,
    errorCode,
    syncPeriodMin,
    syncPhaseMin,
    firstSyncDelayMin,
    google,
    legacyConnectMin,
    at,
    statuses,
    itemCount,
  });
  if (kind < 0.07) {
    return plan(true, null, [createdMin], [S_NOT_AFFECTED], 0);
  }
  if (kind < 0.15) {
    return plan(false, null, [createdMin], [S_NOT_CONNECTED], 0);
  }

  const { startMin, cutoffMin, windowStartMin, windowEndMin } = cal;
  // Legacy connections were made between account creation and the start of the history window.
  const legacyConnectMin = uniform(
    u(Salt.legacyConnect),
    createdMin + 1,
    Math.max(createdMin + 2, windowStartMin - 2 * DAY_MIN),
  );
  const events: Array<[number, number]> = [
    [createdMin, S_NOT_CONNECTED],
    [legacyConnectMin, S_LEGACY],
  ];
  const path = u(Salt.path);
  const fate = u(Salt.futureFate);
  const r1 = u(Salt.reauthTime);
  const r2 = u(Salt.reauthTime + 100);
  const gap = gapMinutes(u(Salt.gap));
  const pastReauth = () =>
    u(Salt.reauthTime + 200) < 0.25
      ? uniform(r2, Math.max(legacyConnectMin + 10, windowStartMin - 120 * DAY_MIN), windowStartMin)
      : bumped(r1, r2, windowStartMin, startMin, cal.pastAnnouncementsMin);
  const futureBeforeCutoff = () => bumped(r1, r2, startMin + 1, cutoffMin, cal.futureAnnouncementsMin);
  const afterCutoff = () => uniform(r2, cutoffMin + 1, windowEndMin);
  const reauthAt = (reauthMin: number, earliestDisconnect: number) => {
    const disconnectMin = Math.max(earliestDisconnect, reauthMin - gap);
    if (disconnectMin < reauthMin) events.push([disconnectMin, S_REAUTH]);
    events.push([reauthMin, S_MIGRATED]);
  };

  if (path < 0.4118) {
    // migrated; a few of them start failing later on
    const reauthMin = Math.min(pastReauth(), startMin - 1);
    reauthAt(reauthMin, legacyConnectMin + 1);
    if (u(Salt.futureError) < 0.02)
      events.push([uniform(u(Salt.errorTime), startMin + 1, windowEndMin), S_ERROR]);
  } else if (path < 0.4471) {
    // error: re-authorized, then failing
    const reauthMin = Math.min(pastReauth(), startMin - 120);
    reauthAt(reauthMin, legacyConnectMin + 1);
    events.push([uniform(u(Salt.errorTime), reauthMin + 60, startMin), S_ERROR]);
  } else if (path < 0.5059) {
    // reauth_pending: disconnected in the window, has not re-authorized yet
    events.push([bumped(r1, r2, windowStartMin, startMin, cal.pastAnnouncementsMin), S_REAUTH]);
    if (fate < 0.5) events.push([futureBeforeCutoff(), S_MIGRATED]);
    else if (fate < 0.7) events.push([afterCutoff(), S_MIGRATED]);
  } else if (path < 0.5294) {
    // disconnected by an administrator during the window
    events.push([uniform(u(Salt.errorTime), windowStartMin, startMin), S_DISCONNECTED]);
    if (fate < 0.3) events.push([uniform(r2, startMin + 1, windowEndMin), S_MIGRATED]);
  } else {
    // legacy at the start
    if (fate < 0.45) reauthAt(futureBeforeCutoff(), startMin + 1);
    else if (fate < 0.55) events.push([afterCutoff(), S_MIGRATED]);
    else if (fate < 0.62) events.push([futureBeforeCutoff(), S_REAUTH]);
  }
  // A stable insertion sort by minute (as `sort` would order them): the list has at most six entries.
  for (let k = 1; k < events.length; k++) {
    const e = events[k]!;
    let j = k;
    while (j > 0 && events[j - 1]![0] > e[0]) {
      events[j] = events[j - 1]!;
      j--;
    }
    events[j] = e;
  }

  const at: number[] = [];
  const statuses: number[] = [];
  let cutoffDone = false;
  for (const [t, st] of events) {
    if (!cutoffDone && t >= cutoffMin) {
      cutoffDone = true;
      const before = statuses[statuses.length - 1];
      // At the cut-off the platform disables every connection still on the legacy API or pending.
      if (before === S_LEGACY || before === S_REAUTH) {
        at.push(cutoffMin);
        statuses.push(S_DISCONNECTED);
      }
    }
    at.push(t);
    statuses.push(st);
  }
  if (!cutoffDone) {
    const before = statuses[statuses.length - 1];
    if (before === S_LEGACY || before === S_REAUTH) {
      at.push(cutoffMin);
      statuses.push(S_DISCONNECTED);
    }
  }
  const itemDraw = u(Salt.itemCount);
  const itemCount = itemDraw < 0.1 ? 0 : Math.floor(((itemDraw - 0.1) / 0.9) * 61);
  return plan(false, legacyConnectMin, at, statuses, itemCount);
}

/** Index of the last transition at or before `minute` (never below 0: `at[0]` is the account creation). */
export function transitionIndexAt(at: readonly number[], minute: number): number {
  let i = at.length - 1;
  while (i > 0 && (at[i] ?? 0) > minute) i--;
  return i;
}

export function hashOutcome(seed: number, index: number, tick: number): 'ok' | 'partial' {
  return hash3(seed, index, tick) % 25 === 0 ? 'partial' : 'ok';
}
