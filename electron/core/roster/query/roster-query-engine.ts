import type {
  RosterFacets,
  RosterQuery,
  RosterQueryResult,
  RosterRow,
  RosterSortField,
} from '../../../../shared/contract/roster-query.ts';
import { RankedStringColumn } from './ranked-string-column.ts';
import {
  apiCode,
  API_NONE,
  ERROR_NONE,
  ERROR_VALUES,
  errorCode,
  facetMask,
  outcomeCode,
  OUTCOME_NONE,
  PROVIDER_NONE,
  PROVIDER_VALUES,
  providerCode,
  ROLE_VALUES,
  roleCode,
  STATUS_VALUES,
  statusCode,
  SYNC_AGE_VALUES,
  syncAgeCode,
} from './roster-codes.ts';
import { foldForSearch, searchTokens } from './search-folding.ts';
import { MAX_ROWS, sortByIntegerKey, sortByKeyWithComparator } from './sort-window.ts';

export interface RosterQueryEngineOptions {
  /** BCP 47 locale for name collation; the operator's UI locale. */
  locale?: string;
}

/** Facets are checked and counted in this order: role, status, provider, error (codes columns), then sync age (derived from `now`). */
const SYNC_AGE = 4;
const FACETS = 5;

type EnumColumn = 'role' | 'status' | 'provider' | 'error' | 'api' | 'outcome';
type NumericColumn =
  'statusChangedAt' | 'connectedAt' | 'lastSyncAt' | 'lastErrorAt' | 'updatedAt' | 'syncedItemCount';

const timestamp = (value: string | null): number => (value === null ? Number.NaN : Date.parse(value));

/** Compares code units, for identifiers that have no linguistic order. */
export const ordinalCompare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The roster in memory, column by column, for the people table: facet counts, search, sort and a
 * window of rows over up to a million connections in tens of milliseconds.
 *
 * Enums are small integer codes in typed arrays, timestamps are epoch milliseconds (NaN for
 * null), names carry collator ranks computed once, and search runs over one pre-folded string per
 * row. A query is one pass over the columns (filters and every facet count at once: a row that
 * fails exactly one facet still counts for that facet), then one native sort of packed integer
 * keys. Upserts update the columns in place; nothing is rebuilt.
 */
export class RosterQueryEngine {
  readonly #collator: Intl.Collator;
  #capacity = 0;
  #size = 0;
  #version = 0;
  readonly #indexOf = new Map<string, number>();
  #rows: RosterRow[] = [];
  /** Enum columns as small codes (see roster-codes.ts). */
  readonly #codes: Record<EnumColumn, Uint8Array> = {
    role: new Uint8Array(0),
    status: new Uint8Array(0),
    provider: new Uint8Array(0),
    error: new Uint8Array(0),
    api: new Uint8Array(0),
    outcome: new Uint8Array(0),
  };
  /** Timestamps as epoch milliseconds (NaN for null), and the synced-item count. */
  readonly #numbers: Record<NumericColumn, Float64Array> = {
    statusChangedAt: new Float64Array(0),
    connectedAt: new Float64Array(0),
    lastSyncAt: new Float64Array(0),
    lastErrorAt: new Float64Array(0),
    updatedAt: new Float64Array(0),
    syncedItemCount: new Float64Array(0),
  };
  /** Folded first name, last name, preferred name and email, one per line: a search token never holds a newline. */
  #searchText: string[] = [];
  #foldedUserId: string[] = [];
  readonly #text: Record<
    'firstName' | 'lastName' | 'preferredName' | 'email' | 'calendarMailbox' | 'userId',
    RankedStringColumn
  >;
  #searchCache: { q: string; version: number; matches: Uint8Array } | null = null;
  /** Names repeat a lot across a roster (first names especially); folding each distinct one once halves load time. */
  readonly #foldedNames = new Map<string, string>();
  readonly #foldName = (name: string): string => {
    let folded = this.#foldedNames.get(name);
    if (folded === undefined) {
      folded = foldForSearch(name);
      if (this.#foldedNames.size >= 200_000) this.#foldedNames.clear();
      this.#foldedNames.set(name, folded);
    }
    return folded;
  };

  constructor(options: RosterQueryEngineOptions = {}) {
    this.#collator = new Intl.Collator(options.locale ?? 'en', {
      usage: 'sort',
      sensitivity: 'variant',
      numeric: true,
    });
    const names = (a: string, b: string) => this.#collator.compare(a, b);
    this.#text = {
      firstName: new RankedStringColumn(names, 0),
      lastName: new RankedStringColumn(names, 0),
      preferredName: new RankedStringColumn(names, 0),
      email: new RankedStringColumn(names, 0),
      calendarMailbox: new RankedStringColumn(names, 0),
      userId: new RankedStringColumn(ordinalCompare, 0),
    };
  }

  static from(rows: Iterable<RosterRow>, options?: RosterQueryEngineOptions): RosterQueryEngine {
    const engine = new RosterQueryEngine(options);
    engine.upsert(rows);
    return engine;
  }

  get size(): number {
    return this.#size;
  }

  get(userId: string): RosterRow | undefined {
    const index = this.#indexOf.get(userId);
    return index === undefined ? undefined : this.#rows[index];
  }

  /** Adds new rows at the end and replaces existing ones in place (their roster order is kept). */
  upsert(rows: Iterable<RosterRow>): { inserted: number; updated: number } {
    let inserted = 0;
    let updated = 0;
    for (const row of rows) {
      let index = this.#indexOf.get(row.userId);
      if (index === undefined) {
        if (this.#size >= MAX_ROWS) throw new RangeError(`The roster engine holds at most ${MAX_ROWS} rows.`);
        index = this.#size;
        this.#ensureCapacity(index + 1);
        this.#indexOf.set(row.userId, index);
        this.#size += 1;
        inserted += 1;
      } else {
        updated += 1;
      }
      this.#write(index, row);
    }
    if (inserted + updated > 0) this.#version += 1;
    return { inserted, updated };
  }

  query(query: RosterQuery): RosterQueryResult {
    const nowMs = Date.parse(query.now);
    const { filter } = query;
    const masks = [
      facetMask(ROLE_VALUES, filter.role),
      facetMask(STATUS_VALUES, filter.status),
      facetMask(PROVIDER_VALUES, filter.provider),
      facetMask(ERROR_VALUES, filter.error),
      facetMask(SYNC_AGE_VALUES, filter.syncAge),
    ] as const;
    const updatedSince = filter.updatedSince === undefined ? Number.NaN : Date.parse(filter.updatedSince);
    const lastSyncBefore =
      filter.lastSyncBefore === undefined ? Number.NaN : Date.parse(filter.lastSyncBefore);
    const searched = this.#searchMatches(filter.q ?? '');
    const counts = [ROLE_VALUES, STATUS_VALUES, PROVIDER_VALUES, ERROR_VALUES, SYNC_AGE_VALUES].map(
      (values) => new Float64Array(values.length),
    );
    const [roleCounts, statusCounts, providerCounts, errorCounts, ageCounts] = counts as [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
    ];
    const selected = new Uint32Array(this.#size);
    let total = 0;
    const { role, status, provider, error } = this.#codes;
    const { updatedAt, lastSyncAt } = this.#numbers;
    const codes = [role, status, provider, error] as const;

    for (let i = 0; i < this.#size; i += 1) {
      if (searched !== null && searched[i] === 0) continue;
      if (!Number.isNaN(updatedSince) && !((updatedAt[i] as number) > updatedSince)) continue;
      const lastSync = lastSyncAt[i] as number;
      if (!Number.isNaN(lastSyncBefore) && !Number.isNaN(lastSync) && !(lastSync < lastSyncBefore)) continue;
      const age = syncAgeCode(lastSync, nowMs);
      let failed = -1;
      let failures = 0;
      for (let f = 0; f < FACETS && failures < 2; f += 1) {
        const code = f === SYNC_AGE ? age : (codes[f as 0 | 1 | 2 | 3][i] as number);
        if ((masks[f as 0 | 1 | 2 | 3 | 4] & (1 << code)) === 0) {
          failures += 1;
          failed = f;
        }
      }
      if (failures === 0) {
        selected[total] = i;
        total += 1;
        roleCounts[role[i] as number]! += 1;
        statusCounts[status[i] as number]! += 1;
        providerCounts[provider[i] as number]! += 1;
        errorCounts[error[i] as number]! += 1;
        ageCounts[age]! += 1;
      } else if (failures === 1) {
        // Fails only this facet: it is one of the rows that choosing its value would add.
        const facetCounts = counts[failed] as Float64Array;
        const code = failed === SYNC_AGE ? age : (codes[failed as 0 | 1 | 2 | 3][i] as number);
        facetCounts[code]! += 1;
      }
    }

    const sorted = this.#sort(selected.subarray(0, total), query.sort.field, query.sort.direction === 'desc');
    const end = Math.min(total, query.offset + query.limit);
    const rows: RosterRow[] = [];
    for (let k = query.offset; k < end; k += 1) rows.push(this.#rows[sorted[k] as number] as RosterRow);
    const facets: RosterFacets = {
      role: record(ROLE_VALUES, roleCounts),
      status: record(STATUS_VALUES, statusCounts),
      provider: record(PROVIDER_VALUES, providerCounts),
      error: record(ERROR_VALUES, errorCounts),
      syncAge: record(SYNC_AGE_VALUES, ageCounts),
    };
    return { total, offset: query.offset, rows, facets };
  }

  /**
   * Rows matching the search text, or null when there is none. Cached per query text and roster
   * version: an operator who types once and then clicks through facets pays for the search once.
   */
  #searchMatches(q: string): Uint8Array | null {
    const tokens = searchTokens(q);
    if (tokens.length === 0) return null;
    const key = tokens.join(' ');
    if (
      this.#searchCache !== null &&
      this.#searchCache.q === key &&
      this.#searchCache.version === this.#version
    )
      return this.#searchCache.matches;
    const matches = new Uint8Array(this.#size);
    for (let i = 0; i < this.#size; i += 1) {
      const text = this.#searchText[i] as string;
      const id = this.#foldedUserId[i] as string;
      let all = 1;
      for (const token of tokens) {
        if (!text.includes(token) && !id.startsWith(token)) {
          all = 0;
          break;
        }
      }
      matches[i] = all;
    }
    this.#searchCache = { q: key, version: this.#version, matches };
    return matches;
  }

  #sort(selection: Uint32Array, field: RosterSortField, descending: boolean): Uint32Array {
    const keyOf = this.#sortKey(field);
    return (
      sortByIntegerKey(selection, keyOf, descending) ?? sortByKeyWithComparator(selection, keyOf, descending)
    );
  }

  /** The integer sort key of a row for a field: a collator rank, an enum code or a timestamp; NaN for null. */
  #sortKey(field: RosterSortField): (row: number) => number {
    const nullable = (column: Uint8Array, none: number) => (row: number) => {
      const code = column[row] as number;
      return code === none ? Number.NaN : code;
    };
    switch (field) {
      case 'firstName':
      case 'lastName':
      case 'preferredName':
      case 'email':
      case 'calendarMailbox':
      case 'userId': {
        const column = this.#text[field];
        column.prepareRanks();
        return (row) => {
          const rank = column.rank(row);
          return rank < 0 ? Number.NaN : rank;
        };
      }
      case 'role':
      case 'status': {
        const column = this.#codes[field];
        return (row) => column[row] as number;
      }
      case 'provider':
        return nullable(this.#codes.provider, PROVIDER_NONE);
      case 'lastErrorCode':
        return nullable(this.#codes.error, ERROR_NONE);
      case 'api':
        return nullable(this.#codes.api, API_NONE);
      case 'lastSyncOutcome':
        return nullable(this.#codes.outcome, OUTCOME_NONE);
      case 'statusChangedAt':
      case 'connectedAt':
      case 'lastSyncAt':
      case 'lastErrorAt':
      case 'updatedAt':
      case 'syncedItemCount': {
        const column = this.#numbers[field];
        return (row) => column[row] as number;
      }
    }
  }

  #write(i: number, row: RosterRow): void {
    this.#rows[i] = row;
    const codes = this.#codes;
    codes.role[i] = roleCode(row);
    codes.status[i] = statusCode(row);
    codes.provider[i] = providerCode(row);
    codes.error[i] = errorCode(row);
    codes.api[i] = apiCode(row);
    codes.outcome[i] = outcomeCode(row);
    const numbers = this.#numbers;
    numbers.statusChangedAt[i] = timestamp(row.statusChangedAt);
    numbers.connectedAt[i] = timestamp(row.connectedAt);
    numbers.lastSyncAt[i] = timestamp(row.lastSyncAt);
    numbers.lastErrorAt[i] = timestamp(row.lastError?.at ?? null);
    numbers.updatedAt[i] = timestamp(row.updatedAt);
    numbers.syncedItemCount[i] = row.syncedItemCount;
    const fold = this.#foldName;
    this.#searchText[i] =
      `${fold(row.firstName)}\n${fold(row.lastName)}\n${fold(row.preferredName ?? '')}\n${foldForSearch(row.email)}`;
    this.#foldedUserId[i] = foldForSearch(row.userId);
    this.#text.firstName.set(i, row.firstName);
    this.#text.lastName.set(i, row.lastName);
    this.#text.preferredName.set(i, row.preferredName);
    this.#text.email.set(i, row.email);
    this.#text.calendarMailbox.set(i, row.calendarMailbox);
    this.#text.userId.set(i, row.userId);
  }

  #ensureCapacity(needed: number): void {
    if (needed <= this.#capacity) return;
    const capacity = Math.min(MAX_ROWS, Math.max(1024, this.#capacity * 2, needed));
    for (const name of Object.keys(this.#codes) as EnumColumn[]) {
      const next = new Uint8Array(capacity);
      next.set(this.#codes[name]);
      this.#codes[name] = next;
    }
    for (const name of Object.keys(this.#numbers) as NumericColumn[]) {
      const next = new Float64Array(capacity);
      next.set(this.#numbers[name]);
      this.#numbers[name] = next;
    }
    for (const column of Object.values(this.#text)) column.grow(capacity);
    this.#capacity = capacity;
  }
}

function record<T extends string>(values: readonly T[], counts: Float64Array): Record<T, number> {
  const out = {} as Record<T, number>;
  values.forEach((value, code) => {
    out[value] = counts[code] ?? 0;
  });
  return out;
}
