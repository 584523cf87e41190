import {
  ENUM_SORT_ORDERS,
  ErrorFacetValue,
  ProviderFacetValue,
  RowTimestampField,
  SyncAgeBucket,
  VERDICT_NEVER_BIT,
  VerdictFacetValue,
  type RosterFilter,
  type RosterQuery,
  type RosterQueryResult,
  type RosterRow,
  type RosterSortField,
  type VerdictLabels,
} from '../../../../shared/contract/roster-query.ts';
import { ConsoleError } from '../../../../shared/contract/errors.ts';
import { ConnectionStatus, Provider, Role } from '../../../../shared/domain/platform.ts';
import { foldForSearch, searchTokens } from './search-folding.ts';

/**
 * The roster query written the obvious way: Array.filter, Array.sort with a comparator, slice.
 * It is the definition the engine is tested against (property tests compare the two on random
 * rosters) and the baseline the benchmark measures the engine against. Too slow for a million
 * rows in a UI; kept simple on purpose.
 */
const DAY_MS = 86_400_000;

export function syncAgeBucket(lastSyncAt: string | null, nowMs: number): SyncAgeBucket {
  if (lastSyncAt === null) return 'never';
  const age = nowMs - Date.parse(lastSyncAt);
  if (age < DAY_MS) return 'lt1d';
  if (age < 7 * DAY_MS) return '1to7d';
  if (age < 30 * DAY_MS) return '7to30d';
  return 'gt30d';
}

type Facet = 'role' | 'status' | 'provider' | 'error' | 'syncAge';
const FACETS: readonly Facet[] = ['role', 'status', 'provider', 'error', 'syncAge'];

function facetValue(row: RosterRow, facet: Facet, nowMs: number): string {
  switch (facet) {
    case 'role':
      return row.role;
    case 'status':
      return row.status;
    case 'provider':
      return row.provider ?? 'none';
    case 'error':
      return row.lastError?.code ?? 'none';
    case 'syncAge':
      return syncAgeBucket(row.lastSyncAt, nowMs);
  }
}

/** A row's folded search text; precomputed by callers that query many times (as a fair baseline would). */
export function referenceSearchText(row: RosterRow): { text: string; userId: string } {
  return {
    text: [row.firstName, row.lastName, row.preferredName ?? '', row.email].map(foldForSearch).join('\n'),
    userId: foldForSearch(row.userId),
  };
}

function matchesPlainFilters(
  row: RosterRow,
  filter: RosterFilter,
  tokens: readonly string[],
  searchText: (row: RosterRow) => { text: string; userId: string },
): boolean {
  if (filter.updatedSince !== undefined && !(Date.parse(row.updatedAt) > Date.parse(filter.updatedSince)))
    return false;
  if (
    filter.statusChangedSince !== undefined &&
    !(Date.parse(row.statusChangedAt) > Date.parse(filter.statusChangedSince))
  )
    return false;
  if (
    filter.connectedBefore !== undefined &&
    !(row.connectedAt !== null && Date.parse(row.connectedAt) < Date.parse(filter.connectedBefore))
  )
    return false;
  if (filter.lastSyncBefore !== undefined) {
    const named = RowTimestampField.safeParse(filter.lastSyncBefore);
    const bound = named.success ? row[named.data] : filter.lastSyncBefore;
    if (bound === null) return false;
    if (row.lastSyncAt !== null && !(Date.parse(row.lastSyncAt) < Date.parse(bound))) return false;
  }
  if (tokens.length > 0) {
    const { text, userId } = searchText(row);
    if (!tokens.every((token) => text.includes(token) || userId.startsWith(token))) return false;
  }
  return true;
}

function sortValue(row: RosterRow, field: RosterSortField): string | number | null {
  switch (field) {
    case 'firstName':
    case 'lastName':
    case 'preferredName':
    case 'email':
    case 'calendarMailbox':
    case 'userId':
      return row[field];
    case 'role':
      return Role.options.indexOf(row.role);
    case 'status':
      return ConnectionStatus.options.indexOf(row.status);
    case 'provider':
      return row.provider === null ? null : Provider.options.indexOf(row.provider);
    case 'api':
      return row.api === null ? null : ENUM_SORT_ORDERS.api.indexOf(row.api);
    case 'lastSyncOutcome':
      return row.lastSyncOutcome === null
        ? null
        : ENUM_SORT_ORDERS.lastSyncOutcome.indexOf(row.lastSyncOutcome);
    case 'lastErrorCode':
      return row.lastError === null ? null : ENUM_SORT_ORDERS.lastErrorCode.indexOf(row.lastError.code);
    case 'lastErrorAt':
      return row.lastError === null ? null : Date.parse(row.lastError.at);
    case 'syncedItemCount':
      return row.syncedItemCount;
    case 'statusChangedAt':
    case 'connectedAt':
    case 'lastSyncAt':
    case 'updatedAt': {
      const value = row[field];
      return value === null ? null : Date.parse(value);
    }
  }
}

export function referenceRosterQuery(
  rows: readonly RosterRow[],
  query: RosterQuery,
  options: {
    locale?: string;
    searchText?: (row: RosterRow) => { text: string; userId: string };
    /** The latest verifications (see RosterQueryEngine.query); without them a verdict filter is refused. */
    verdicts?: VerdictLabels | null;
  } = {},
): RosterQueryResult {
  const labels = options.verdicts ?? null;
  if (query.filter.verdict !== undefined && labels === null)
    throw new ConsoleError(
      'unavailable',
      'The verdict filter needs the latest verifications, which cannot be read here (the journal is not open, or this action does not take a verdict filter): remove verdict from the filter.',
    );
  const verdictsOf = (row: RosterRow): string[] => {
    const bits = labels?.get(row.userId) ?? VERDICT_NEVER_BIT;
    return VerdictFacetValue.options.filter((_, b) => ((bits >>> b) & 1) === 1);
  };
  const acceptsVerdict = (row: RosterRow): boolean =>
    query.filter.verdict === undefined ||
    verdictsOf(row).some((v) => query.filter.verdict?.includes(v as never));
  const collator = new Intl.Collator(options.locale ?? 'en', {
    usage: 'sort',
    sensitivity: 'variant',
    numeric: true,
  });
  const searchText = options.searchText ?? referenceSearchText;
  const nowMs = Date.parse(query.now);
  const { filter } = query;
  const tokens = searchTokens(filter.q ?? '');
  const accepts = (row: RosterRow, facet: Facet) => {
    const selected = filter[facet] as readonly string[] | undefined;
    return selected === undefined || selected.includes(facetValue(row, facet, nowMs));
  };

  const plain = rows.filter((row) => matchesPlainFilters(row, filter, tokens, searchText));
  const matching = plain.filter((row) => FACETS.every((facet) => accepts(row, facet)) && acceptsVerdict(row));

  const zeros = (values: readonly string[]) =>
    Object.fromEntries(values.map((value) => [value, 0])) as Record<string, number>;
  const facetValues: Record<Facet, readonly string[]> = {
    role: Role.options,
    status: ConnectionStatus.options,
    provider: ProviderFacetValue.options,
    error: ErrorFacetValue.options,
    syncAge: SyncAgeBucket.options,
  };
  const facets = Object.fromEntries(
    FACETS.map((facet) => {
      const counts = zeros(facetValues[facet]);
      for (const row of plain) {
        if (FACETS.every((other) => other === facet || accepts(row, other)) && acceptsVerdict(row)) {
          const value = facetValue(row, facet, nowMs);
          counts[value] = (counts[value] ?? 0) + 1;
        }
      }
      return [facet, counts];
    }),
  ) as RosterQueryResult['facets'];
  if (labels !== null) {
    const counts = zeros(VerdictFacetValue.options);
    for (const row of plain)
      if (FACETS.every((facet) => accepts(row, facet)))
        for (const value of verdictsOf(row)) counts[value] = (counts[value] ?? 0) + 1;
    facets.verdict = counts as NonNullable<RosterQueryResult['facets']['verdict']>;
  }

  const { field, direction } = query.sort;
  const sign = direction === 'asc' ? 1 : -1;
  const textCompare =
    field === 'userId' ? (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0) : collator.compare;
  const sorted = [...matching].sort((a, b) => {
    const va = sortValue(a, field);
    const vb = sortValue(b, field);
    if (va === null || vb === null) return va === vb ? 0 : va === null ? 1 : -1;
    const order = typeof va === 'string' ? textCompare(va, vb as string) : va - (vb as number);
    return sign * order;
  });
  return {
    total: matching.length,
    offset: query.offset,
    rows: sorted.slice(query.offset, query.offset + query.limit),
    facets,
  };
}
