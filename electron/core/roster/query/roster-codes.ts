import { ConnectionStatus, Role } from '../../../../shared/domain/platform.ts';
import {
  ENUM_SORT_ORDERS,
  ErrorFacetValue,
  ProviderFacetValue,
  SyncAgeBucket,
} from '../../../../shared/contract/roster-query.ts';
import type { RosterRow } from '../../../../shared/contract/roster-query.ts';

/**
 * Small-integer codes for the enum columns. Facet codes follow the contract's value order; the
 * "none" code is last, so sorting by code also puts nulls last.
 */
export const ROLE_VALUES = Role.options;
export const STATUS_VALUES = ConnectionStatus.options;
export const PROVIDER_VALUES = ProviderFacetValue.options;
export const ERROR_VALUES = ErrorFacetValue.options;
export const SYNC_AGE_VALUES = SyncAgeBucket.options;
export const API_VALUES = ENUM_SORT_ORDERS.api;
export const OUTCOME_VALUES = ENUM_SORT_ORDERS.lastSyncOutcome;

export const PROVIDER_NONE = PROVIDER_VALUES.indexOf('none');
export const ERROR_NONE = ERROR_VALUES.indexOf('none');
/** For the nullable enums that are not facets (api, lastSyncOutcome). */
export const API_NONE = API_VALUES.length;
export const OUTCOME_NONE = OUTCOME_VALUES.length;

function codeTable<T extends string>(values: readonly T[]): ReadonlyMap<string, number> {
  return new Map(values.map((value, code) => [value, code]));
}
const ROLE_CODE = codeTable(ROLE_VALUES);
const STATUS_CODE = codeTable(STATUS_VALUES);
const PROVIDER_CODE = codeTable(PROVIDER_VALUES);
const ERROR_CODE = codeTable(ERROR_VALUES);
const API_CODE = codeTable(API_VALUES);
const OUTCOME_CODE = codeTable(OUTCOME_VALUES);

function code(table: ReadonlyMap<string, number>, value: string, field: string): number {
  const found = table.get(value);
  if (found === undefined) throw new RangeError(`Unknown ${field} "${value}" in a roster row.`);
  return found;
}

export const roleCode = (row: RosterRow) => code(ROLE_CODE, row.role, 'role');
export const statusCode = (row: RosterRow) => code(STATUS_CODE, row.status, 'status');
export const providerCode = (row: RosterRow) =>
  row.provider === null ? PROVIDER_NONE : code(PROVIDER_CODE, row.provider, 'provider');
export const errorCode = (row: RosterRow) =>
  row.lastError === null ? ERROR_NONE : code(ERROR_CODE, row.lastError.code, 'lastError.code');
export const apiCode = (row: RosterRow) => (row.api === null ? API_NONE : code(API_CODE, row.api, 'api'));
export const outcomeCode = (row: RosterRow) =>
  row.lastSyncOutcome === null ? OUTCOME_NONE : code(OUTCOME_CODE, row.lastSyncOutcome, 'lastSyncOutcome');

/** A bit mask of the codes a facet filter accepts; all bits when the facet is not filtered. */
export function facetMask(table: readonly string[], selected: readonly string[] | undefined): number {
  if (selected === undefined) return -1;
  let mask = 0;
  for (const value of selected) {
    const index = table.indexOf(value);
    if (index >= 0) mask |= 1 << index;
  }
  return mask;
}

const DAY_MS = 86_400_000;

/** Sync-age bucket code for a last-sync instant (NaN = never) seen from `now`. Future syncs count as <1 day. */
export function syncAgeCode(lastSyncMs: number, nowMs: number): number {
  if (Number.isNaN(lastSyncMs)) return 0;
  const age = nowMs - lastSyncMs;
  if (age < DAY_MS) return 1;
  if (age < 7 * DAY_MS) return 2;
  if (age < 30 * DAY_MS) return 3;
  return 4;
}
