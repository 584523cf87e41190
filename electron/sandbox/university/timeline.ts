import { isConnected, S_DISCONNECTED, S_MIGRATED } from './model-types.ts';
import { transitionIndexAt, type UserPlan } from './plan.ts';

/** An administrator action recorded against one user (the only per-user state the sandbox keeps). */
export type Override =
  | { kind: 'force-disconnect'; atMin: number; reason: string }
  | { kind: 'resync'; atMin: number; expectedByMin: number };

export interface Timeline {
  at: number[];
  statuses: number[];
}

/**
 * Merges force-disconnects into the planned timeline. A force-disconnected user stays
 * disconnected until their planned re-authorization (a transition to `migrated`); planned
 * transitions to anything else meanwhile (their own disconnect, the cut-off) no longer apply.
 */
export function effectiveTimeline(plan: UserPlan, overrides: readonly Override[] | undefined): Timeline {
  if (!overrides || !overrides.some((o) => o.kind === 'force-disconnect')) return plan;
  const at: number[] = [];
  const statuses: number[] = [];
  const forces = overrides.filter((o) => o.kind === 'force-disconnect').map((o) => o.atMin);
  let forced = false;
  let f = 0;
  const applyForcesUpTo = (limit: number) => {
    while (f < forces.length && (forces[f] ?? 0) < limit) {
      const t = forces[f++] ?? 0;
      if (isConnected(statuses[statuses.length - 1] ?? -1)) {
        at.push(t);
        statuses.push(S_DISCONNECTED);
        forced = true;
      }
    }
  };
  for (let i = 0; i < plan.at.length; i++) {
    const t = plan.at[i] ?? 0;
    const st = plan.statuses[i] ?? 0;
    // An override at the same minute as a planned transition happens after it.
    applyForcesUpTo(t);
    if (forced && st !== S_MIGRATED) continue;
    forced = false;
    at.push(t);
    statuses.push(st);
  }
  applyForcesUpTo(Number.POSITIVE_INFINITY);
  return { at, statuses };
}

export function statusAt(timeline: Timeline, minute: number): number {
  return timeline.statuses[transitionIndexAt(timeline.at, minute)] ?? 0;
}
