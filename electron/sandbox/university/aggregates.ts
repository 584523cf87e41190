import { ROLE_COUNT, STATUS_COUNT } from './model-types.ts';
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
}

export function buildAggregates(cal: ModelCalendar): Aggregates {
  const first = cal.windowStartMin;
  const span = cal.windowEndMin - first + 1;
  const cum = new Int32Array(span * CELLS);
  const anomalies: number[] = [];
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
    if (anomalyUser(cal.seed, plan)) anomalies.push(index);
  }
  for (let m = 1; m < span; m++) {
    const row = m * CELLS;
    const prev = row - CELLS;
    for (let c = 0; c < CELLS; c++) cum[row + c]! += cum[prev + c]!;
  }
  return {
    countsAt(minute: number): Int32Array {
      const m = Math.max(0, Math.min(span - 1, minute - first));
      return cum.slice(m * CELLS, m * CELLS + CELLS);
    },
    anomalyUsers: Int32Array.from(anomalies),
  };
}
