import { ERROR_CODES, MINUTE, type SyncErrorCode } from './model-types.ts';
import { hash3 } from './prng.ts';
import { hashOutcome, type UserPlan } from './plan.ts';
import { errorMessageOf, type SyncState } from './connection.ts';
import type { Zone } from './time-zone.ts';

export interface SyncLogEntry {
  at: string;
  direction: 'to_calendar' | 'from_calendar';
  outcome: 'ok' | 'partial' | 'failed';
  itemsChanged: number;
  errorCode?: SyncErrorCode;
  message?: string;
}

/**
 * The newest `limit` sync runs, newest first, walking the user's periodic sync ticks back from
 * the last sync. Runs alternate between pushing platform items (`to_calendar`) and importing the
 * user's personal events as busy times (`from_calendar`). Runs after an error began fail.
 */
export function syncLogOf(
  seed: number,
  zone: Zone,
  plan: UserPlan,
  state: SyncState,
  limit: number,
): SyncLogEntry[] {
  const out: SyncLogEntry[] = [];
  if (state.lastSyncMin === null || plan.legacyConnectMin === null) return out;
  const errorCode = ERROR_CODES[plan.errorCode] as SyncErrorCode;
  let t = state.lastSyncMin;
  while (out.length < limit && t > plan.legacyConnectMin) {
    const h = hash3(seed, plan.index, t);
    const direction = (Math.floor(t / plan.syncPeriodMin) & 1) === 0 ? 'to_calendar' : 'from_calendar';
    const failing = state.errorMin !== null && t >= state.errorMin;
    const entry: SyncLogEntry = {
      at: zone.format(t * MINUTE),
      direction,
      outcome: failing ? 'failed' : hashOutcome(seed, plan.index, t),
      itemsChanged: failing ? 0 : h % (direction === 'to_calendar' ? 6 : 21),
    };
    if (failing) {
      entry.errorCode = errorCode;
      entry.message = errorMessageOf(errorCode);
    } else if (entry.outcome === 'partial') {
      entry.errorCode = 'throttled';
      entry.message = 'Some items were skipped after repeated throttling; they will be retried.';
    }
    out.push(entry);
    const previous =
      plan.syncPhaseMin + Math.floor((t - 1 - plan.syncPhaseMin) / plan.syncPeriodMin) * plan.syncPeriodMin;
    t = previous;
  }
  return out;
}
