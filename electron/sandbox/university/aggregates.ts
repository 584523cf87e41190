import { ROLE_COUNT, S_MIGRATED, STATUS_COUNT } from './model-types.ts';
import { planUser, type ModelCalendar, type UserPlan } from './plan.ts';
import { anomalyUser } from './synced-items.ts';

const CELLS = ROLE_COUNT * STATUS_COUNT;

/**
 * One pass over every user's planned timeline, done at start: cumulative role×status counts for
 * every minute of the model window, so the counts at any instant cost O(1) and a history of N
 * days O(N), whatever the number of users. Also collects the (few) users with planted anomalies.
 * Memory: window minutes × 21 Int32 (about 10 MB for the 82-day window), independent of users.
 */
export interface Aggregates {
  /** The planned (override-free) role×status counts at `minute`. */
  countsAt(minute: number): Int32Array;
  anomalyUsers: Int32Array;
  /** The planned (override-free) times at which users' `updatedAt` moves, indexed by minute. */
  updates: UpdateIndex;
}

/**
 * Every planned change of a user's `updatedAt` after `floorMin` (a status transition, or the end of
 * the first Graph sync after a re-authorization while still migrated), as user indices bucketed by
 * minute (counting sort: an offset per minute plus one Int32 per change, ~1.3 changes per user after
 * the sandbox start, so ≈ 5 MB at 1M users). Without overrides, a user's `updatedAt` at `nowMin` is
 * later than T exactly when one of its changes falls in (T, nowMin].
 */
export interface UpdateIndex {
  /** Changes at or before this minute are not indexed. */
  readonly floorMin: number;
  /** Number of indexed changes in minutes (fromMin, toMin]; fromMin ≥ floorMin. */
  countIn(fromMin: number, toMin: number): number;
  /** Users with a change in minutes (fromMin, toMin], ascending and unique; fromMin ≥ floorMin. */
  usersIn(fromMin: number, toMin: number): Int32Array;
}

/** The minutes at which the planned `updatedAt` of `plan` changes (what `syncStateAt` derives). */
export function plannedUpdateMinutes(
  plan: { at: readonly number[]; statuses: readonly number[] },
  firstSyncDelayMin: number | null,
): number[] {
  const out: number[] = [];
  const { at, statuses } = plan;
  for (let k = 0; k < at.length; k++) {
    const t = at[k]!;
    out.push(t);
    if (statuses[k] === S_MIGRATED && firstSyncDelayMin !== null) {
      const done = t + firstSyncDelayMin;
      if (k + 1 >= at.length || done < at[k + 1]!) out.push(done);
    }
  }
  return out;
}

export function buildAggregates(cal: ModelCalendar): Aggregates {
  const first = cal.windowStartMin;
  const span = cal.windowEndMin - first + 1;
  const cum = new Int32Array(span * CELLS);
  const anomalies: number[] = [];
  // Indexed from a day before the sandbox start: an incremental refresh asks for recent changes.
  const floorMin = cal.startMin - 24 * 60;
  let evMin = new Int32Array(1 << 16);
  let evUser = new Int32Array(1 << 16);
  let evCount = 0;
  let maxMin = floorMin;
  const addUpdates = (plan: UserPlan) => {
    for (const t of plannedUpdateMinutes(plan, plan.firstSyncDelayMin)) {
      if (t <= floorMin) continue;
      if (evCount === evMin.length) {
        const grownMin = new Int32Array(evCount * 2);
        grownMin.set(evMin);
        evMin = grownMin;
        const grownUser = new Int32Array(evCount * 2);
        grownUser.set(evUser);
        evUser = grownUser;
      }
      evMin[evCount] = t;
      evUser[evCount++] = plan.index;
      if (t > maxMin) maxMin = t;
    }
  };
  const add = (plan: UserPlan) => {
    const cellBase = plan.role * STATUS_COUNT;
    let i = 0;
    while (i + 1 < plan.at.length && (plan.at[i + 1] ?? 0) <= first) i++;
    cum[cellBase + (plan.statuses[i] ?? 0)]! += 1;
    for (let k = i + 1; k < plan.at.length; k++) {
      const t = plan.at[k] ?? 0;
      if (t > cal.windowEndMin) break;
      const offset = (t - first) * CELLS + cellBase;
      cum[offset + (plan.statuses[k - 1] ?? 0)]! -= 1;
      cum[offset + (plan.statuses[k] ?? 0)]! += 1;
    }
  };
  for (let index = 0; index < cal.users; index++) {
    const plan = planUser(cal, index);
    add(plan);
    addUpdates(plan);
    if (anomalyUser(cal.seed, plan)) anomalies.push(index);
  }
  for (let m = 1; m < span; m++) {
    const row = m * CELLS;
    const prev = row - CELLS;
    for (let c = 0; c < CELLS; c++) cum[row + c]! += cum[prev + c]!;
  }
  // Counting sort by minute; users within a minute stay ascending (they were added in index order).
  const minutes = maxMin - floorMin;
  const offsets = new Int32Array(minutes + 1);
  for (let e = 0; e < evCount; e++) offsets[evMin[e]! - floorMin]! += 1;
  for (let m = 1; m <= minutes; m++) offsets[m]! += offsets[m - 1]!;
  // offsets[m] = changes at minutes ≤ floorMin + m; bucket m spans [offsets[m - 1], offsets[m]).
  const byMinute = new Int32Array(evCount);
  const fill = offsets.slice();
  for (let e = evCount - 1; e >= 0; e--) byMinute[--fill[evMin[e]! - floorMin]!] = evUser[e]!;
  evMin = new Int32Array(0);
  evUser = new Int32Array(0);
  const endOf = (minute: number) => offsets[Math.max(0, Math.min(minutes, minute - floorMin))]!;
  const updates: UpdateIndex = {
    floorMin,
    countIn(fromMin, toMin) {
      return toMin <= fromMin ? 0 : endOf(toMin) - endOf(fromMin);
    },
    usersIn(fromMin, toMin) {
      if (toMin <= fromMin) return new Int32Array(0);
      const found = byMinute.slice(endOf(fromMin), endOf(toMin)).sort();
      let n = 0;
      for (let k = 0; k < found.length; k++) if (n === 0 || found[k] !== found[n - 1]) found[n++] = found[k]!;
      return found.subarray(0, n);
    },
  };
  return {
    updates,
    countsAt(minute: number): Int32Array {
      const m = Math.max(0, Math.min(span - 1, minute - first));
      return cum.slice(m * CELLS, m * CELLS + CELLS);
    },
    anomalyUsers: Int32Array.from(anomalies),
  };
}
