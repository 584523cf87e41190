import { isConnected, S_DISCONNECTED, S_LEGACY, S_MIGRATED, S_REAUTH } from './model-types.ts';
import { transitionIndexAt, type UserPlan } from './plan.ts';

/** An administrator action recorded against one user (the only per-user state the sandbox keeps). */
export type Override =
  | { kind: 'force-disconnect'; atMin: number; reason: string }
  | { kind: 'resync'; atMin: number; expectedByMin: number }
  /** The user re-authorized to Graph (a test control): migrated from then on, whatever the plan said. */
  | { kind: 'reauthorize'; atMin: number };

/** Statuses from which a user can re-authorize: on the legacy connection, or disconnected from it. */
export function canReauthorize(status: number): boolean {
  return status === S_LEGACY || status === S_REAUTH || status === S_DISCONNECTED;
}

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
  if (!overrides || !overrides.some((o) => o.kind === 'force-disconnect' || o.kind === 'reauthorize'))
    return plan;
  const at: number[] = [];
  const statuses: number[] = [];
  const changes = overrides.filter((o) => o.kind === 'force-disconnect' || o.kind === 'reauthorize');
  let forced = false;
  // After a re-authorization override the plan no longer applies: the user stays on Graph.
  let pinned = false;
  let f = 0;
  const applyForcesUpTo = (limit: number) => {
    while (f < changes.length && (changes[f]?.atMin ?? 0) < limit) {
      const change = changes[f++];
      if (change === undefined) break;
      const last = statuses[statuses.length - 1] ?? -1;
      if (change.kind === 'reauthorize') {
        if (canReauthorize(last)) {
          at.push(change.atMin);
          statuses.push(S_MIGRATED);
          pinned = true;
          forced = false;
        }
      } else if (isConnected(last)) {
        at.push(change.atMin);
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
    if (pinned) continue;
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
