import {
  ErrorFacetValue,
  ProviderFacetValue,
  RosterSortField,
  RowTimestampField,
  SyncAgeBucket,
  VerdictFacetValue,
  type RosterFilter,
  type RosterSort,
} from '../../../shared/contract/index.ts';
import { ConnectionStatus, Role, Timestamp } from '../../../shared/domain/platform.ts';

/**
 * The Users view's filter and sort live in the hash route's query (`#/users?status=legacy&role=student`),
 * so a Dashboard number is a link, a reload keeps the view, and an operator can paste a view into a
 * ticket. Lists are comma-separated in the contract's declared order, so one view has one address.
 */

export const DEFAULT_SORT: RosterSort = { field: 'lastName', direction: 'asc' };

/** The URL keys of the facet filters (`age` is shorter to type than `syncAge`). */
const FACETS = [
  { key: 'status', field: 'status', values: ConnectionStatus.options },
  { key: 'role', field: 'role', values: Role.options },
  { key: 'provider', field: 'provider', values: ProviderFacetValue.options },
  { key: 'error', field: 'error', values: ErrorFacetValue.options },
  { key: 'age', field: 'syncAge', values: SyncAgeBucket.options },
  { key: 'verdict', field: 'verdict', values: VerdictFacetValue.options },
] as const;

type FacetField = (typeof FACETS)[number]['field'];

const KNOWN_KEYS = new Set([
  'q',
  'sort',
  'dir',
  'updatedSince',
  'statusChangedSince',
  'connectedBefore',
  'lastSyncBefore',
  ...FACETS.map((f) => f.key),
]);

export interface UsersViewState {
  filter: RosterFilter;
  sort: RosterSort;
}

export interface ParsedUsersView extends UsersViewState {
  /** What was ignored in the address and why, for a notice; the rest of the view still applies. */
  problems: string[];
}

/** The query part of a hash (`#/users?status=legacy` → `status=legacy`), '' when there is none. */
export function queryFromHash(hash: string): string {
  const at = hash.indexOf('?');
  return at === -1 ? '' : hash.slice(at + 1);
}

export function parseUsersQuery(query: string): ParsedUsersView {
  const params = new URLSearchParams(query);
  const problems: string[] = [];
  const filter: RosterFilter = {};

  for (const facet of FACETS) {
    const raw = params.getAll(facet.key).flatMap((v) => v.split(','));
    const words = raw.map((v) => v.trim()).filter((v) => v !== '');
    if (words.length === 0) continue;
    const allowed = facet.values as readonly string[];
    const unknown = words.filter((w) => !allowed.includes(w));
    if (unknown.length > 0) {
      problems.push(
        `Ignored ${facet.key} ${unknown.map((u) => `“${u}”`).join(', ')}: not one of ${allowed.join(', ')}.`,
      );
    }
    // Canonical order and no repeats, whatever order the address listed them in.
    const picked = allowed.filter((v) => words.includes(v));
    if (picked.length > 0) setFacet(filter, facet.field, picked);
  }

  const q = params.get('q');
  if (q !== null && q.trim() !== '') {
    if (q.length > 200) problems.push('The search text was cut to 200 characters.');
    filter.q = q.slice(0, 200);
  }

  for (const key of ['updatedSince', 'statusChangedSince', 'connectedBefore'] as const) {
    const value = params.get(key);
    if (value === null) continue;
    if (Timestamp.safeParse(value).success) filter[key] = value;
    else problems.push(`Ignored ${key} “${value}”: not an ISO 8601 time with an offset.`);
  }
  const syncBound = params.get('lastSyncBefore');
  if (syncBound !== null) {
    const named = RowTimestampField.safeParse(syncBound);
    if (named.success) filter.lastSyncBefore = named.data;
    else if (Timestamp.safeParse(syncBound).success) filter.lastSyncBefore = syncBound;
    else
      problems.push(
        `Ignored lastSyncBefore “${syncBound}”: not an ISO 8601 time with an offset nor one of ${RowTimestampField.options.join(', ')}.`,
      );
  }

  let sort = DEFAULT_SORT;
  const field = params.get('sort');
  const dir = params.get('dir');
  if (field !== null) {
    const parsed = RosterSortField.safeParse(field);
    if (parsed.success) sort = { field: parsed.data, direction: 'asc' };
    else problems.push(`Ignored sort “${field}”: not a column of the Users table.`);
  }
  if (dir !== null) {
    if (dir === 'asc' || dir === 'desc') sort = { ...sort, direction: dir };
    else problems.push(`Ignored dir “${dir}”: use asc or desc.`);
  }

  for (const key of new Set(params.keys())) {
    if (!KNOWN_KEYS.has(key)) problems.push(`Ignored “${key}”: the Users view has no such filter.`);
  }
  return { filter, sort, problems };
}

function setFacet(filter: RosterFilter, field: FacetField, values: string[]): void {
  // The values were checked against the facet's own enum above.
  (filter as Record<FacetField, string[]>)[field] = values;
}

const encode = (value: string): string => encodeURIComponent(value).replace(/%2C/gi, ',');

/** The canonical query for a view: defaults left out, lists in declared order. '' for the whole roster. */
export function formatUsersQuery({ filter, sort }: UsersViewState): string {
  const parts: string[] = [];
  for (const facet of FACETS) {
    const chosen = filter[facet.field] as readonly string[] | undefined;
    if (!chosen || chosen.length === 0) continue;
    const ordered = (facet.values as readonly string[]).filter((v) => chosen.includes(v));
    parts.push(`${facet.key}=${ordered.join(',')}`);
  }
  if (filter.q !== undefined && filter.q.trim() !== '') parts.push(`q=${encode(filter.q)}`);
  if (filter.updatedSince !== undefined) parts.push(`updatedSince=${encode(filter.updatedSince)}`);
  if (filter.statusChangedSince !== undefined)
    parts.push(`statusChangedSince=${encode(filter.statusChangedSince)}`);
  if (filter.connectedBefore !== undefined) parts.push(`connectedBefore=${encode(filter.connectedBefore)}`);
  if (filter.lastSyncBefore !== undefined) parts.push(`lastSyncBefore=${encode(filter.lastSyncBefore)}`);
  if (sort.field !== DEFAULT_SORT.field || sort.direction !== DEFAULT_SORT.direction) {
    parts.push(`sort=${sort.field}`);
    if (sort.direction !== 'asc') parts.push(`dir=${sort.direction}`);
  }
  return parts.join('&');
}

/** `#/users?…` for a view; what every Dashboard number links to. */
export function usersHref(filter: RosterFilter, sort: RosterSort = DEFAULT_SORT): string {
  const query = formatUsersQuery({ filter, sort });
  return query === '' ? '#/users' : `#/users?${query}`;
}

/** Two filters select the same users (list order and empty values do not matter). */
export function sameFilter(a: RosterFilter, b: RosterFilter): boolean {
  return (
    formatUsersQuery({ filter: a, sort: DEFAULT_SORT }) ===
    formatUsersQuery({ filter: b, sort: DEFAULT_SORT })
  );
}
