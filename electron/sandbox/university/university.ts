import { buildAggregates, type Aggregates } from './aggregates.ts';
import {
  buildConnection,
  buildConnectionWithJson,
  indexOfEmail,
  profileOf,
  syncStateAt,
  type Connection,
  type SyncState,
} from './connection.ts';
import type { ExchangeIdType } from './event-ids.ts';
import { eventsInWindow, findEvent, mailboxEventsOf, translateId, type MailboxEvent } from './mailbox.ts';
import {
  countsFromMatrix,
  DAY_MIN,
  ERROR_CODES,
  isConnected,
  MINUTE,
  ROLE_COUNT,
  S_ERROR,
  STATUS_COUNT,
  type AnomalyClass,
  type Counts,
  type Role,
  type Status,
} from './model-types.ts';
import { planUser, type ModelCalendar, type UserPlan } from './plan.ts';
import { hashString } from './prng.ts';
import { syncedItemsOf, type SyncedItem } from './synced-items.ts';
import { syncLogOf, type SyncLogEntry } from './sync-log.ts';
import { createZone, type Zone } from './time-zone.ts';
import { canReauthorize, effectiveTimeline, statusAt, type Override, type Timeline } from './timeline.ts';
import { graphUserIdOf, indexOfGraphUserId, indexOfUserId } from './user-ids.ts';

export const MAX_USERS = 1_000_000;
export const TIMEZONE = 'America/New_York';
export const HISTORY_DAYS = 45;
export const CUTOFF_DAYS = 21;

export interface UniversityOptions {
  seed?: string;
  users?: number;
  now?: Date;
}

export interface ConnectionFilter {
  statuses: ReadonlySet<Status> | null;
  roles: ReadonlySet<Role> | null;
  provider: 'office365' | 'google' | null;
  /** Lower-cased prefix. */
  q: string | null;
  /** Exclusive lower bound on updatedAt, in ms. */
  updatedSinceMs: number | null;
}

export interface ConnectionPage {
  items: Connection[];
  /** Index of the last user examined; the next page resumes after it. */
  lastScanned: number;
  /** True when no user after `lastScanned` exists. */
  exhausted: boolean;
}

/** A page as JSON texts, one per connection (each exactly `JSON.stringify` of the connection). */
export interface ConnectionJsonPage {
  items: string[];
  lastScanned: number;
  exhausted: boolean;
}

export interface HistoryDay {
  date: string;
  byStatus: Counts['byStatus'];
  byRole: Counts['byRole'];
}

export interface MailboxRef {
  index: number;
  userId: string;
  /** Graph user id (GUID). */
  id: string;
  upn: string;
  displayName: string;
  givenName: string;
  surname: string;
  /** A soft-deleted / inactive mailbox: it exists but calendar access fails. */
  inactive: boolean;
}

export interface AnomalyTruth {
  userId: string;
  itemId: string;
  class: AnomalyClass;
}

export interface University {
  readonly seed: string;
  readonly users: number;
  readonly timezone: string;
  readonly zone: Zone;
  readonly calendar: ModelCalendar;
  readonly clock: {
    readonly startMs: number;
    nowMs(): number;
    nowMin(): number;
    advanceMinutes(minutes: number): void;
  };
  readonly cutoffMs: number;
  /** Announcement days (10:00 local) that drive the bumps in re-authorizations. */
  readonly announcements: readonly string[];
  indexOf(userId: string): number;
  connection(index: number): Connection;
  statusOf(index: number, minute?: number): Status;
  countsAt(minute?: number): Counts;
  /** Brute-force counts over every user at the current time (the ground truth for tests). */
  truth(): Counts;
  historyBounds(): { first: string; last: string };
  history(from: string, to: string): HistoryDay[];
  page(filter: ConnectionFilter, afterIndex: number, limit: number, scanBudget: number): ConnectionPage;
  /** The same page as `page`, serialised; served from (and filling) a bounded cache of per-user JSON. */
  pageJson(
    filter: ConnectionFilter,
    afterIndex: number,
    limit: number,
    scanBudget: number,
  ): ConnectionJsonPage;
  matches(index: number, filter: ConnectionFilter): boolean;
  syncedItems(index: number): SyncedItem[];
  syncLog(index: number, limit: number): SyncLogEntry[];
  forceDisconnect(index: number, reason: string): { changed: boolean; connection: Connection };
  /** A test control: the user re-authorizes to Graph now (false when their status does not allow it). */
  reauthorize(index: number): { changed: boolean; connection: Connection };
  /** null when the user has no running connection to resync. */
  requestResync(index: number): { expectedByMs: number } | null;
  anomalies(): AnomalyTruth[];
  readonly mailbox: {
    resolve(upnOrId: string): MailboxRef | null;
    events(ref: MailboxRef): MailboxEvent[];
    listEvents(ref: MailboxRef, startMs: number, endMs: number): MailboxEvent[];
    getEvent(ref: MailboxRef, id: string): MailboxEvent | null;
    translateIds(
      ref: MailboxRef,
      ids: readonly string[],
      sourceIdType: ExchangeIdType,
      targetIdType: ExchangeIdType,
    ): Array<{ sourceId: string; targetId: string | null }>;
  };
  /** Drops every override and rewinds the clock to the start. */
  reset(): void;
}

const STATUS_NAMES = [
  'legacy',
  'reauth_pending',
  'migrated',
  'disconnected',
  'error',
  'not_connected',
  'not_affected',
] as const;
const ROLE_NAMES = ['student', 'alumni', 'career_center'] as const;

export function createCalendar(seedText: string, users: number, now: Date, zone: Zone): ModelCalendar {
  const startMin = Math.floor(now.getTime() / MINUTE);
  const startDate = zone.localDate(startMin * MINUTE);
  const localMin = (date: string, hh: number, mm: number) => zone.startOfDay(date) / MINUTE + hh * 60 + mm;
  const cutoffDate = zone.addDays(startDate, CUTOFF_DAYS);
  // 23:59 local on the cut-off day, i.e. one minute before the next local midnight (DST-safe).
  const cutoffMin = zone.startOfDay(zone.addDays(cutoffDate, 1)) / MINUTE - 1;
  const windowStartMin = zone.startOfDay(zone.addDays(startDate, -HISTORY_DAYS)) / MINUTE;
  const createdBaseMs = (windowStartMin - 6 * 365 * DAY_MIN) * MINUTE;
  const createdEndMs = (windowStartMin - 10 * DAY_MIN) * MINUTE;
  return {
    seed: hashString(seedText),
    users,
    createdBaseMs,
    createdStepMs: Math.max(1, Math.floor((createdEndMs - createdBaseMs) / users)),
    startMin,
    cutoffMin,
    windowStartMin,
    windowEndMin: cutoffMin + 14 * DAY_MIN,
    pastAnnouncementsMin: [-38, -17, -4].map((d) => localMin(zone.addDays(startDate, d), 10, 0)),
    futureAnnouncementsMin: [7, 17, CUTOFF_DAYS - 1].map((d) => localMin(zone.addDays(startDate, d), 10, 0)),
  };
}

export function createUniversity(options: UniversityOptions = {}): University {
  const seed = options.seed ?? 'demo-university';
  const users = options.users ?? 12_000;
  if (!Number.isInteger(users) || users < 1 || users > MAX_USERS)
    throw new RangeError(`users must be an integer in 1..${MAX_USERS}`);
  const zone = createZone(TIMEZONE);
  const cal = createCalendar(seed, users, options.now ?? new Date(), zone);
  const aggregates: Aggregates = buildAggregates(cal);
  const overrides = new Map<number, Override[]>();
  let offsetMin = 0;
  const nowMin = () => cal.startMin + offsetMin;

  const mailboxCache = new Map<number, MailboxEvent[]>();
  const MAILBOX_CACHE = 256;
  /**
   * Serialised connections by user index, least recently used first. An entry is valid for the
   * simulated minute it was made at, the user's override count (overrides only ever append) and the
   * reset generation, so a cached text is always what generating it again would give.
   */
  const jsonCache = new Map<
    number,
    { minute: number; overrides: number; generation: number; json: string }
  >();
  const JSON_CACHE = 16_384;
  let evictFrom = jsonCache.keys();
  let generation = 0;
  /** Bumped on every override and reset: keys the `updatedSince` candidate cache. */
  let overrideVersion = 0;
  let candidateCache: { key: string; users: Int32Array } | null = null;

  /**
   * For an `updatedSince` listing: every user whose `updatedAt` may be later than the bound, ascending
   * (planned changes in (since, now] from the aggregates' index, plus every user with an override,
   * whose effective timeline differs from the plan); `matches` then decides exactly. null when the
   * bound is older than the index or matches so many changes that a plain scan is as cheap.
   */
  function updatedCandidates(sinceMs: number): Int32Array | null {
    const fromMin = Math.floor(sinceMs / MINUTE);
    const now = nowMin();
    const index = aggregates.updates;
    if (!(fromMin >= index.floorMin)) return null;
    const key = `${fromMin}/${now}/${overrideVersion}/${generation}`;
    if (candidateCache !== null && candidateCache.key === key) return candidateCache.users;
    if (index.countIn(fromMin, now) > users / 8) return null;
    const planned = index.usersIn(fromMin, now);
    let result = planned;
    if (overrides.size > 0) {
      const merged = new Int32Array(planned.length + overrides.size);
      merged.set(planned);
      let n = planned.length;
      for (const i of overrides.keys()) merged[n++] = i;
      merged.sort();
      let m = 0;
      for (let k = 0; k < n; k++) if (m === 0 || merged[k] !== merged[m - 1]) merged[m++] = merged[k]!;
      result = merged.subarray(0, m);
    }
    candidateCache = { key, users: result };
    return result;
  }

  /**
   * Walks users afterIndex+1 … (at most scanBudget of them) like a scan, but for an `updatedSince`
   * filter visits only the candidates: the same items, lastScanned and exhausted as a full scan.
   */
  function walk(
    filter: ConnectionFilter,
    afterIndex: number,
    limit: number,
    scanBudget: number,
    take: (index: number) => void,
  ): { lastScanned: number; exhausted: boolean } {
    const begin = afterIndex + 1;
    const end = Math.min(users, begin + Math.max(0, scanBudget));
    const candidates = filter.updatedSinceMs === null ? null : updatedCandidates(filter.updatedSinceMs);
    let taken = 0;
    if (candidates !== null && limit > 0) {
      let lo = 0;
      let hi = candidates.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (candidates[mid]! < begin) lo = mid + 1;
        else hi = mid;
      }
      for (let p = lo; p < candidates.length; p++) {
        const i = candidates[p]!;
        if (i >= end) break;
        if (!matches(i, filter)) continue;
        take(i);
        if (++taken >= limit) return { lastScanned: i, exhausted: i + 1 >= users };
      }
      return { lastScanned: end - 1, exhausted: end >= users };
    }
    let i = begin;
    for (; i < end && taken < limit; i++) {
      if (matches(i, filter)) {
        take(i);
        taken++;
      }
    }
    return { lastScanned: i - 1, exhausted: i >= users };
  }

  const timelineOf = (plan: UserPlan): Timeline => effectiveTimeline(plan, overrides.get(plan.index));
  const stateOf = (index: number, minute = nowMin()): { plan: UserPlan; state: SyncState } => {
    const plan = planUser(cal, index);
    const ov = overrides.get(index);
    return { plan, state: syncStateAt(cal.seed, plan, effectiveTimeline(plan, ov), ov, minute) };
  };
  const connection = (index: number): Connection => {
    const { plan, state } = stateOf(index);
    return buildConnection(cal, zone, plan, state);
  };

  function connectionJson(index: number): string {
    const minute = nowMin();
    const overrideCount = overrides.get(index)?.length ?? 0;
    const hit = jsonCache.get(index);
    if (hit !== undefined) {
      jsonCache.delete(index);
      if (hit.minute === minute && hit.overrides === overrideCount && hit.generation === generation) {
        jsonCache.set(index, hit);
        return hit.json;
      }
    }
    const { plan, state } = stateOf(index, minute);
    const { json } = buildConnectionWithJson(cal, zone, plan, state);
    if (jsonCache.size >= JSON_CACHE) {
      // One live iterator walks the map's insertion order: a fresh keys() would first skip every
      // deleted slot still at the front of the table (V8 compacts it only on a rehash).
      let next = evictFrom.next();
      if (next.done === true) {
        evictFrom = jsonCache.keys();
        next = evictFrom.next();
      }
      if (next.done !== true) jsonCache.delete(next.value);
    }
    jsonCache.set(index, { minute, overrides: overrideCount, generation, json });
    return json;
  }

  function matrixAt(minute: number): Int32Array {
    const m = aggregates.countsAt(minute);
    // Overridden users: swap their planned status for their effective one.
    for (const [index, ov] of overrides) {
      const plan = planUser(cal, index);
      const planned = statusAt(plan, minute);
      const actual = statusAt(effectiveTimeline(plan, ov), minute);
      if (planned === actual) continue;
      m[plan.role * STATUS_COUNT + planned]! -= 1;
      m[plan.role * STATUS_COUNT + actual]! += 1;
    }
    return m;
  }

  function matches(index: number, filter: ConnectionFilter): boolean {
    if (
      filter.roles === null &&
      filter.provider === null &&
      filter.statuses === null &&
      filter.q === null &&
      filter.updatedSinceMs === null
    )
      return true;
    const plan = planUser(cal, index);
    if (filter.roles && !filter.roles.has(ROLE_NAMES[plan.role] as Role)) return false;
    if (filter.provider && filter.provider !== (plan.google ? 'google' : 'office365')) return false;
    const ov = overrides.get(index);
    const timeline = effectiveTimeline(plan, ov);
    const now = nowMin();
    if (filter.updatedSinceMs !== null) {
      const state = syncStateAt(cal.seed, plan, timeline, ov, now);
      if (state.updatedMin * MINUTE <= filter.updatedSinceMs) return false;
      if (filter.statuses) {
        // Incremental refresh must also return connections that left the filter since then.
        const sinceMin = Math.floor(filter.updatedSinceMs / MINUTE);
        const nowStatus = STATUS_NAMES[state.status] as Status;
        const thenStatus = STATUS_NAMES[statusAt(timeline, sinceMin)] as Status;
        if (!filter.statuses.has(nowStatus) && !filter.statuses.has(thenStatus)) return false;
      }
    } else if (filter.statuses && !filter.statuses.has(STATUS_NAMES[statusAt(timeline, now)] as Status)) {
      return false;
    }
    if (filter.q !== null) {
      const p = profileOf(cal, index);
      const q = filter.q;
      const fields = [
        p.firstName,
        p.lastName,
        p.preferredName ?? '',
        `${p.firstName} ${p.lastName}`,
        p.email,
        p.userId,
      ];
      const tokens = `${p.firstName} ${p.lastName}`.split(/[\s-]+/u);
      if (![...fields, ...tokens].some((f) => f.toLowerCase().startsWith(q))) return false;
    }
    return true;
  }

  function mailboxEvents(ref: MailboxRef): MailboxEvent[] {
    const hit = mailboxCache.get(ref.index);
    if (hit) return hit;
    const events = mailboxEventsOf(cal, planUser(cal, ref.index), {
      upn: ref.upn,
      displayName: ref.displayName,
    });
    if (mailboxCache.size >= MAILBOX_CACHE) {
      const oldest = mailboxCache.keys().next().value;
      if (oldest !== undefined) mailboxCache.delete(oldest);
    }
    mailboxCache.set(ref.index, events);
    return events;
  }

  const historyFirst = zone.addDays(zone.localDate(cal.startMin * MINUTE), -HISTORY_DAYS);

  return {
    seed,
    users,
    timezone: TIMEZONE,
    zone,
    calendar: cal,
    cutoffMs: cal.cutoffMin * MINUTE,
    announcements: [...cal.pastAnnouncementsMin, ...cal.futureAnnouncementsMin].map((m) =>
      zone.localDate(m * MINUTE),
    ),
    clock: {
      startMs: cal.startMin * MINUTE,
      nowMs: () => nowMin() * MINUTE,
      nowMin,
      advanceMinutes(minutes: number) {
        if (!Number.isInteger(minutes) || minutes < 0)
          throw new RangeError('minutes must be a non-negative integer');
        offsetMin += minutes;
      },
    },
    indexOf(userId: string) {
      return indexOfUserId(cal, userId);
    },
    connection,
    statusOf(index, minute = nowMin()) {
      return STATUS_NAMES[statusAt(timelineOf(planUser(cal, index)), minute)] as Status;
    },
    countsAt(minute = nowMin()) {
      return countsFromMatrix(matrixAt(minute));
    },
    truth() {
      const m = new Int32Array(ROLE_COUNT * STATUS_COUNT);
      const now = nowMin();
      for (let i = 0; i < users; i++) {
        const plan = planUser(cal, i);
        m[plan.role * STATUS_COUNT + statusAt(timelineOf(plan), now)]! += 1;
      }
      return countsFromMatrix(m);
    },
    historyBounds() {
      // The last complete day: the local day before the one containing "now".
      return { first: historyFirst, last: zone.addDays(zone.localDate(nowMin() * MINUTE), -1) };
    },
    history(from: string, to: string) {
      const { first, last } = this.historyBounds();
      const days: HistoryDay[] = [];
      let date = from < first ? first : from;
      const end = to > last ? last : to;
      while (date <= end) {
        // End-of-day snapshot: the last minute before the next local midnight.
        const counts = countsFromMatrix(matrixAt(zone.startOfDay(zone.addDays(date, 1)) / MINUTE - 1));
        days.push({ date, byStatus: counts.byStatus, byRole: counts.byRole });
        date = zone.addDays(date, 1);
      }
      return days;
    },
    page(filter, afterIndex, limit, scanBudget) {
      const items: Connection[] = [];
      const end = walk(filter, afterIndex, limit, scanBudget, (i) => items.push(connection(i)));
      return { items, ...end };
    },
    pageJson(filter, afterIndex, limit, scanBudget) {
      const items: string[] = [];
      const end = walk(filter, afterIndex, limit, scanBudget, (i) => items.push(connectionJson(i)));
      return { items, ...end };
    },
    matches,
    syncedItems(index) {
      return syncedItemsOf(cal, planUser(cal, index));
    },
    syncLog(index, limit) {
      const { plan, state } = stateOf(index);
      return syncLogOf(cal.seed, zone, plan, state, limit);
    },
    forceDisconnect(index, reason) {
      const now = nowMin();
      const before = statusAt(timelineOf(planUser(cal, index)), now);
      if (!isConnected(before)) return { changed: false, connection: connection(index) };
      const list = overrides.get(index) ?? [];
      list.push({ kind: 'force-disconnect', atMin: now, reason });
      overrides.set(index, list);
      overrideVersion += 1;
      return { changed: true, connection: connection(index) };
    },
    reauthorize(index) {
      const now = nowMin();
      const before = statusAt(timelineOf(planUser(cal, index)), now);
      if (!canReauthorize(before)) return { changed: false, connection: connection(index) };
      const list = overrides.get(index) ?? [];
      list.push({ kind: 'reauthorize', atMin: now });
      overrides.set(index, list);
      overrideVersion += 1;
      return { changed: true, connection: connection(index) };
    },
    requestResync(index) {
      const now = nowMin();
      const { plan, state } = stateOf(index, now);
      if (!isConnected(state.status)) return null;
      // A user whose first Graph sync is still running gets it within 30 minutes; others in 5.
      const firstPending =
        state.status !== S_ERROR &&
        state.connectedMin !== null &&
        plan.legacyConnectMin !== state.connectedMin &&
        state.firstGraphSyncMin === null;
      const expectedByMin = now + (firstPending ? 30 : 5);
      const list = overrides.get(index) ?? [];
      list.push({ kind: 'resync', atMin: now, expectedByMin });
      overrides.set(index, list);
      overrideVersion += 1;
      return { expectedByMs: expectedByMin * MINUTE };
    },
    anomalies() {
      const out: AnomalyTruth[] = [];
      for (const index of aggregates.anomalyUsers) {
        const userId = profileOf(cal, index).userId;
        for (const item of syncedItemsOf(cal, planUser(cal, index))) {
          if (item.anomaly) out.push({ userId, itemId: item.itemId, class: item.anomaly });
        }
      }
      return out;
    },
    mailbox: {
      resolve(upnOrId: string) {
        let index = indexOfGraphUserId(cal, upnOrId);
        if (index < 0) index = indexOfEmail(cal, upnOrId);
        if (index < 0) index = indexOfUserId(cal, upnOrId);
        if (index < 0) return null;
        const plan = planUser(cal, index);
        if (plan.legacyConnectMin === null) return null;
        const failsWith = plan.statuses.includes(S_ERROR) ? ERROR_CODES[plan.errorCode] : null;
        if (failsWith === 'mailbox_not_found') return null;
        const p = profileOf(cal, index);
        const displayName = [p.preferredName ?? p.firstName, p.lastName].filter((s) => s !== '').join(' ');
        return {
          index,
          userId: p.userId,
          id: graphUserIdOf(cal, index),
          upn: p.email,
          displayName,
          givenName: p.firstName,
          surname: p.lastName,
          inactive: failsWith === 'mailbox_inactive',
        };
      },
      events: mailboxEvents,
      listEvents(ref, startMs, endMs) {
        return eventsInWindow(mailboxEvents(ref), startMs, endMs);
      },
      getEvent(ref, id) {
        return findEvent(cal.seed, ref.index, mailboxEvents(ref), id);
      },
      translateIds(ref, ids, sourceIdType, targetIdType) {
        const events = mailboxEvents(ref);
        return ids.map((sourceId) => ({
          sourceId,
          targetId: translateId(cal.seed, ref.index, events, sourceId, sourceIdType, targetIdType),
        }));
      },
    },
    reset() {
      generation += 1;
      jsonCache.clear();
      overrides.clear();
      overrideVersion += 1;
      candidateCache = null;
      offsetMin = 0;
    },
  };
}
