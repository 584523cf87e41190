import { civilFromDays } from '../../../../shared/time/civil-date.ts';
import { ConsoleError } from '../../../../shared/contract/errors.ts';
import {
  VERDICT_NEVER_BIT,
  VerdictFacetValue,
  type RosterFacets,
  type RosterQuery,
  type RosterQueryResult,
  type RosterRow,
  type RosterSortField,
  type VerdictLabels,
} from '../../../../shared/contract/roster-query.ts';
import { asciiCollationKey } from './ascii-collation-key.ts';
import { CHUNK_BITS, ChunkedArray, ShardedMap } from './chunked-collections.ts';
import { RankedStringColumn } from './ranked-string-column.ts';
import {
  apiCode,
  API_NONE,
  API_VALUES,
  ERROR_NONE,
  ERROR_VALUES,
  errorCode,
  facetMask,
  outcomeCode,
  OUTCOME_NONE,
  OUTCOME_VALUES,
  PROVIDER_NONE,
  PROVIDER_VALUES,
  providerCode,
  ROLE_VALUES,
  roleCode,
  STATUS_VALUES,
  statusCode,
  SYNC_AGE_VALUES,
} from './roster-codes.ts';
import { foldForSearch, searchTokens } from './search-folding.ts';
import { MAX_ROWS, sortByIntegerKey, sortByKeyWithComparator, topByIntegerKey } from './sort-window.ts';

export interface RosterQueryEngineOptions {
  /** BCP 47 locale for name collation; the operator's UI locale. */
  locale?: string;
}

export interface RosterQueryOptions {
  /**
   * The users' latest verification (the journal's, resolved by the caller): the `verdict` filter
   * and facet. Without it a query with a `verdict` filter is refused, never answered unfiltered.
   */
  verdicts?: VerdictLabels | null;
}

const VERDICT_VALUES = VerdictFacetValue.options;

/** Up to this many leading rows, a query selects them with a bounded heap instead of sorting the match. */
const TOP_K_LIMIT = 10_000;

type EnumColumn = 'role' | 'status' | 'provider' | 'error' | 'api' | 'outcome';
type NumericColumn =
  'statusChangedAt' | 'connectedAt' | 'lastSyncAt' | 'lastErrorAt' | 'updatedAt' | 'syncedItemCount';

type TimestampColumn = Exclude<NumericColumn, 'syncedItemCount'>;

/** Timestamp forms: null, `toISOString()` exactly, the same without milliseconds, anything else (kept as text). */
const TIMESTAMP_NULL = 0;
const TIMESTAMP_ISO_MS = 1;
const TIMESTAMP_ISO_S = 2;
const TIMESTAMP_TEXT = 3;
/** `2026-11-02T10:00:00-05:00`: whole seconds with an offset, the offset kept in #timestampOffset. */
const TIMESTAMP_OFFSET_S = 4;

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
  readonly #indexOf = new ShardedMap<number>();
  /**
   * Rows are not kept as objects (a million of them made a 1.4 GB heap whose young generation
   * promoted ~50 MB per scavenge, pausing the main thread for 100-600 ms): every field lives in a
   * column and a row object is built only for the rows a query returns (see #row).
   */
  readonly #etag = new ChunkedArray<string>();
  readonly #errorMessage = new ChunkedArray<string>();
  /** How each timestamp column's value was written (see TIMESTAMP_*), so it comes back verbatim. */
  readonly #timestampForms: Record<TimestampColumn, Uint8Array> = {
    statusChangedAt: new Uint8Array(0),
    connectedAt: new Uint8Array(0),
    lastSyncAt: new Uint8Array(0),
    lastErrorAt: new Uint8Array(0),
    updatedAt: new Uint8Array(0),
  };
  /** Minutes east of UTC for TIMESTAMP_OFFSET_S values. */
  readonly #timestampOffset: Record<TimestampColumn, Int16Array> = {
    statusChangedAt: new Int16Array(0),
    connectedAt: new Int16Array(0),
    lastSyncAt: new Int16Array(0),
    lastErrorAt: new Int16Array(0),
    updatedAt: new Int16Array(0),
  };
  /**
   * Timestamps in any other form (fractions with an offset, other spellings), by column and row. Chunked, not one
   * big Map: a platform that writes every timestamp with an offset fills it for every row, and a
   * million-entry Map rehashes in one long pause as it grows.
   */
  readonly #timestampText: Record<TimestampColumn, ChunkedArray<string | undefined>> = {
    statusChangedAt: new ChunkedArray(),
    connectedAt: new ChunkedArray(),
    lastSyncAt: new ChunkedArray(),
    lastErrorAt: new ChunkedArray(),
    updatedAt: new ChunkedArray(),
  };
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
  readonly #searchText = new ChunkedArray<string>();
  readonly #foldedUserId = new ChunkedArray<string>();
  readonly #text: Record<
    'firstName' | 'lastName' | 'preferredName' | 'email' | 'calendarMailbox' | 'userId',
    RankedStringColumn
  >;
  #searchCache: { q: string; version: number; matches: Uint32Array } | null = null;
  /** The selection buffer, reused by every query (a query's result never keeps it). */
  #selected = new Uint32Array(0);
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
    // Addresses are ASCII-folded: a key with the collator's exact order is far cheaper to sort by.
    const addressKey = asciiCollationKey(this.#collator);
    this.#text = {
      firstName: new RankedStringColumn(names, 0),
      lastName: new RankedStringColumn(names, 0),
      preferredName: new RankedStringColumn(names, 0),
      email: new RankedStringColumn(names, 0, addressKey, false),
      calendarMailbox: new RankedStringColumn(names, 0, addressKey, false),
      userId: new RankedStringColumn(ordinalCompare, 0, null, false),
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
    return index === undefined ? undefined : this.#row(index);
  }

  /**
   * Makes room for `rows` rows at once. A full sync knows the platform's total up front: growing
   * to it in one step avoids the last doublings, each a pause that copies every column.
   */
  reserve(rows: number): void {
    if (Number.isFinite(rows) && rows > 0) this.#ensureCapacity(Math.min(MAX_ROWS, Math.ceil(rows * 1.02)));
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

  query(query: RosterQuery, options: RosterQueryOptions = {}): RosterQueryResult {
    const nowMs = Date.parse(query.now);
    const { filter } = query;
    const verdictCodes = options.verdicts ? this.#verdictCodesFor(options.verdicts) : null;
    if (filter.verdict !== undefined && verdictCodes === null)
      throw new ConsoleError(
        'unavailable',
        'The verdict filter needs the latest verifications, which cannot be read here (the journal is not open, or this action does not take a verdict filter): remove verdict from the filter.',
      );
    const verdictMask = facetMask(VERDICT_VALUES, filter.verdict);
    // Counted per bit pattern in the pass (one add per row), spread over the values after it.
    const verdictByCode = new Float64Array(256);
    const masks = [
      facetMask(ROLE_VALUES, filter.role),
      facetMask(STATUS_VALUES, filter.status),
      facetMask(PROVIDER_VALUES, filter.provider),
      facetMask(ERROR_VALUES, filter.error),
      facetMask(SYNC_AGE_VALUES, filter.syncAge),
    ] as const;
    const updatedSince = filter.updatedSince === undefined ? Number.NaN : Date.parse(filter.updatedSince);
    const statusChangedSince =
      filter.statusChangedSince === undefined ? Number.NaN : Date.parse(filter.statusChangedSince);
    const connectedBefore =
      filter.connectedBefore === undefined ? Number.NaN : Date.parse(filter.connectedBefore);
    // lastSyncBefore is an instant, or the name of the row's own timestamp to compare with.
    const syncBound = filter.lastSyncBefore;
    const lastSyncColumn =
      syncBound === 'connectedAt' || syncBound === 'statusChangedAt' || syncBound === 'updatedAt'
        ? this.#numbers[syncBound]
        : null;
    const lastSyncBefore =
      syncBound === undefined || lastSyncColumn !== null ? Number.NaN : Date.parse(syncBound);
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
    const size = this.#size;
    if (this.#selected.length < size)
      this.#selected = new Uint32Array(Math.max(size, this.#selected.length * 2));
    const selected = this.#selected;
    let total = 0;
    const { role, status, provider, error } = this.#codes;
    const { updatedAt, lastSyncAt, statusChangedAt } = this.#numbers;
    const [roleMask, statusMask, providerMask, errorMask, ageMask] = masks;
    const bySince = !Number.isNaN(updatedSince);
    const byChange = !Number.isNaN(statusChangedSince);
    const byConnected = !Number.isNaN(connectedBefore);
    const { connectedAt } = this.#numbers;
    const byLastSync = !Number.isNaN(lastSyncBefore);
    const dayMs = 86_400_000;

    // One pass over the rows the search left (all rows without one): filters and every facet count.
    const count = searched === null ? size : searched.length;
    for (let n = 0; n < count; n += 1) {
      const i = searched === null ? n : (searched[n] as number);
      if (bySince && !((updatedAt[i] as number) > updatedSince)) continue;
      if (byChange && !((statusChangedAt[i] as number) > statusChangedSince)) continue;
      if (byConnected && !((connectedAt[i] as number) < connectedBefore)) continue;
      const lastSync = lastSyncAt[i] as number;
      if (byLastSync && !Number.isNaN(lastSync) && !(lastSync < lastSyncBefore)) continue;
      if (lastSyncColumn !== null) {
        // NaN (no such timestamp on this row) fails both comparisons: the row does not match.
        const bound = lastSyncColumn[i] as number;
        if (bound !== bound || (!Number.isNaN(lastSync) && !(lastSync < bound))) continue;
      }
      // syncAgeCode, inlined: 0 never, 1 < 1 day (or future), 2 < 7 days, 3 < 30 days, 4 older.
      const ageMs = nowMs - lastSync;
      const age =
        lastSync !== lastSync ? 0 : ageMs < dayMs ? 1 : ageMs < 7 * dayMs ? 2 : ageMs < 30 * dayMs ? 3 : 4;
      const r = role[i] as number;
      const st = status[i] as number;
      const p = provider[i] as number;
      const e = error[i] as number;
      // Bit f set: the row fails facet f (in the order role, status, provider, error, sync age).
      // A row carries several verdict values; it passes when one of them is chosen.
      const v = verdictCodes === null ? 0 : (verdictCodes[i] as number);
      const fails =
        (((roleMask >>> r) & 1) ^ 1) |
        ((((statusMask >>> st) & 1) ^ 1) << 1) |
        ((((providerMask >>> p) & 1) ^ 1) << 2) |
        ((((errorMask >>> e) & 1) ^ 1) << 3) |
        ((((ageMask >>> age) & 1) ^ 1) << 4) |
        (verdictMask !== -1 && (v & verdictMask) === 0 ? 32 : 0);
      if (fails === 0) {
        verdictByCode[v]! += 1;
        selected[total] = i;
        total += 1;
        roleCounts[r]! += 1;
        statusCounts[st]! += 1;
        providerCounts[p]! += 1;
        errorCounts[e]! += 1;
        ageCounts[age]! += 1;
      } else if ((fails & (fails - 1)) === 0) {
        // Fails only this facet: it is one of the rows that choosing its value would add.
        if (fails === 1) roleCounts[r]! += 1;
        else if (fails === 2) statusCounts[st]! += 1;
        else if (fails === 4) providerCounts[p]! += 1;
        else if (fails === 8) errorCounts[e]! += 1;
        else if (fails === 16) ageCounts[age]! += 1;
        else verdictByCode[v]! += 1;
      }
    }

    const end = Math.min(total, query.offset + query.limit);
    const descending = query.sort.direction === 'desc';
    // A page deep in a small window needs only its first `end` rows in order, not the whole match.
    const sorted =
      end <= TOP_K_LIMIT && end * 4 <= total
        ? topByIntegerKey(selected.subarray(0, total), this.#sortKey(query.sort.field), descending, end)
        : this.#sort(selected.subarray(0, total), query.sort.field, descending);
    const rows: RosterRow[] = [];
    for (let k = query.offset; k < end; k += 1) rows.push(this.#row(sorted[k] as number));
    const facets: RosterFacets = {
      role: record(ROLE_VALUES, roleCounts),
      status: record(STATUS_VALUES, statusCounts),
      provider: record(PROVIDER_VALUES, providerCounts),
      error: record(ERROR_VALUES, errorCounts),
      syncAge: record(SYNC_AGE_VALUES, ageCounts),
      ...(verdictCodes === null ? {} : { verdict: record(VERDICT_VALUES, spreadBits(verdictByCode)) }),
    };
    return { total, offset: query.offset, rows, facets };
  }

  #verdictCache: { labels: VerdictLabels; version: number; size: number; codes: Uint8Array } | null = null;

  /** Each row's verdict bits (`never` when the user has no result), kept while rows and results stay. */
  #verdictCodesFor(labels: VerdictLabels): Uint8Array {
    const cached = this.#verdictCache;
    if (
      cached !== null &&
      cached.labels === labels &&
      cached.version === this.#version &&
      cached.size === this.#size
    )
      return cached.codes;
    const codes = new Uint8Array(this.#size).fill(VERDICT_NEVER_BIT);
    for (const [userId, bits] of labels) {
      const index = this.#indexOf.get(userId);
      if (index !== undefined) codes[index] = bits & 0xff;
    }
    this.#verdictCache = { labels, version: this.#version, size: this.#size, codes };
    return codes;
  }

  /**
   * Rows matching the search text (indices, ascending), or null when there is none. Cached per query text and roster
   * version: an operator who types once and then clicks through facets pays for the search once.
   */
  #searchMatches(q: string): Uint32Array | null {
    const tokens = searchTokens(q);
    if (tokens.length === 0) return null;
    const key = tokens.join(' ');
    if (
      this.#searchCache !== null &&
      this.#searchCache.q === key &&
      this.#searchCache.version === this.#version
    )
      return this.#searchCache.matches;
    let matches = new Uint32Array(1024);
    let found = 0;
    const chunkSize = 1 << CHUNK_BITS;
    let texts: readonly string[] = [];
    let ids: readonly string[] = [];
    for (let i = 0; i < this.#size; i += 1) {
      const at = i & (chunkSize - 1);
      if (at === 0) {
        texts = this.#searchText.chunk(i >>> CHUNK_BITS) ?? [];
        ids = this.#foldedUserId.chunk(i >>> CHUNK_BITS) ?? [];
      }
      const text = texts[at] as string;
      const id = ids[at] as string;
      let all = true;
      for (const token of tokens) {
        if (!text.includes(token) && !id.startsWith(token)) {
          all = false;
          break;
        }
      }
      if (!all) continue;
      if (found === matches.length) {
        const grown = new Uint32Array(found * 2);
        grown.set(matches);
        matches = grown;
      }
      matches[found++] = i;
    }
    matches = matches.slice(0, found);
    this.#searchCache = { q: key, version: this.#version, matches };
    return matches;
  }

  /** Whether every text column's sort order is prepared (the first sort on any column answers at once). */
  get sortOrdersPrepared(): boolean {
    return Object.values(this.#text).every((column) => column.prepared);
  }

  /**
   * Prepares every text column's sort order in small steps (see RankedStringColumn.prepareInSteps),
   * the default sort's column first, so the first sort on any column after a sync answers at once
   * instead of collating a million values while the table waits. Drive it between event-loop turns.
   */
  *prepareSortOrders(): Generator<void, void, void> {
    const order = ['lastName', 'firstName', 'email', 'preferredName', 'calendarMailbox', 'userId'] as const;
    for (const name of order) yield* this.#text[name].prepareInSteps();
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
    const codes = this.#codes;
    codes.role[i] = roleCode(row);
    codes.status[i] = statusCode(row);
    codes.provider[i] = providerCode(row);
    codes.error[i] = errorCode(row);
    codes.api[i] = apiCode(row);
    codes.outcome[i] = outcomeCode(row);
    const numbers = this.#numbers;
    this.#setTimestamp('statusChangedAt', i, row.statusChangedAt);
    this.#setTimestamp('connectedAt', i, row.connectedAt);
    this.#setTimestamp('lastSyncAt', i, row.lastSyncAt);
    this.#setTimestamp('lastErrorAt', i, row.lastError?.at ?? null);
    this.#setTimestamp('updatedAt', i, row.updatedAt);
    this.#etag.set(i, row.etag);
    if (row.lastError !== null || this.#errorMessage.get(i) !== undefined)
      this.#errorMessage.set(i, row.lastError?.message as string);
    numbers.syncedItemCount[i] = row.syncedItemCount;
    const fold = this.#foldName;
    // join builds one flat string; concatenation keeps a tree of cons strings per row, each one more
    // object for the scavenger to copy while a sync feeds the engine (about 30 bytes a row more heap).
    this.#searchText.set(
      i,
      [fold(row.firstName), fold(row.lastName), fold(row.preferredName ?? ''), foldForSearch(row.email)].join(
        '\n',
      ),
    );
    const foldedId = foldForSearch(row.userId);
    // Most ids fold to themselves: then the id's own string is kept (no second copy).
    this.#foldedUserId.set(i, foldedId === row.userId ? row.userId : foldedId);
    this.#text.firstName.set(i, row.firstName);
    this.#text.lastName.set(i, row.lastName);
    this.#text.preferredName.set(i, row.preferredName);
    this.#text.email.set(i, row.email);
    this.#text.calendarMailbox.set(i, row.calendarMailbox);
    this.#text.userId.set(i, row.userId);
  }

  #setTimestamp(column: TimestampColumn, i: number, value: string | null): void {
    const forms = this.#timestampForms[column];
    const numbers = this.#numbers[column];
    if (forms[i] === TIMESTAMP_TEXT) this.#timestampText[column].set(i, undefined);
    if (value === null) {
      numbers[i] = Number.NaN;
      forms[i] = TIMESTAMP_NULL;
      return;
    }
    const ms = Date.parse(value);
    numbers[i] = ms;
    let form = Number.isNaN(ms) ? TIMESTAMP_TEXT : utcForm(value, ms);
    if (form === TIMESTAMP_TEXT && !Number.isNaN(ms)) {
      // The contract's usual spelling (the platform's zone offset). Kept as two numbers instead of
      // the text: a million rows × five columns of retained strings made the young-generation
      // scavenges during a sync copy them all (pauses up to ~75 ms).
      const offset = offsetMinutes(value, ms);
      if (offset !== null) {
        form = TIMESTAMP_OFFSET_S;
        this.#timestampOffset[column][i] = offset;
      }
    }
    forms[i] = form;
    if (form === TIMESTAMP_TEXT) this.#timestampText[column].set(i, value);
  }

  #timestamp(column: TimestampColumn, i: number): string | null {
    switch (this.#timestampForms[column][i]) {
      case TIMESTAMP_NULL:
        return null;
      case TIMESTAMP_ISO_MS:
        return new Date(this.#numbers[column][i] as number).toISOString();
      case TIMESTAMP_ISO_S:
        return isoSeconds(this.#numbers[column][i] as number);
      case TIMESTAMP_OFFSET_S:
        return withOffset(this.#numbers[column][i] as number, this.#timestampOffset[column][i] as number);
      default:
        return this.#timestampText[column].get(i) as string;
    }
  }

  /** The row object for row index i, rebuilt from the columns (fields in the contract's order). */
  #row(i: number): RosterRow {
    const codes = this.#codes;
    const text = this.#text;
    const provider = codes.provider[i] as number;
    const api = codes.api[i] as number;
    const outcome = codes.outcome[i] as number;
    const error = codes.error[i] as number;
    return {
      userId: text.userId.value(i) as string,
      firstName: text.firstName.value(i) as string,
      lastName: text.lastName.value(i) as string,
      preferredName: text.preferredName.value(i),
      email: text.email.value(i) as string,
      role: ROLE_VALUES[codes.role[i] as number] as RosterRow['role'],
      provider: provider === PROVIDER_NONE ? null : (PROVIDER_VALUES[provider] as RosterRow['provider']),
      api: api === API_NONE ? null : (API_VALUES[api] as RosterRow['api']),
      status: STATUS_VALUES[codes.status[i] as number] as RosterRow['status'],
      statusChangedAt: this.#timestamp('statusChangedAt', i) as string,
      connectedAt: this.#timestamp('connectedAt', i),
      lastSyncAt: this.#timestamp('lastSyncAt', i),
      lastSyncOutcome:
        outcome === OUTCOME_NONE ? null : (OUTCOME_VALUES[outcome] as RosterRow['lastSyncOutcome']),
      lastError:
        error === ERROR_NONE
          ? null
          : {
              code: ERROR_VALUES[error] as NonNullable<RosterRow['lastError']>['code'],
              message: this.#errorMessage.get(i) as string,
              at: this.#timestamp('lastErrorAt', i) as string,
            },
      syncedItemCount: this.#numbers.syncedItemCount[i] as number,
      calendarMailbox: text.calendarMailbox.value(i),
      updatedAt: this.#timestamp('updatedAt', i) as string,
      etag: this.#etag.get(i) as string,
    };
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
    for (const name of Object.keys(this.#timestampForms) as TimestampColumn[]) {
      const next = new Uint8Array(capacity);
      next.set(this.#timestampForms[name]);
      this.#timestampForms[name] = next;
      const offsets = new Int16Array(capacity);
      offsets.set(this.#timestampOffset[name]);
      this.#timestampOffset[name] = offsets;
    }
    for (const column of Object.values(this.#text)) column.grow(capacity);
    this.#capacity = capacity;
  }
}

const digit = (value: string, at: number): number => value.charCodeAt(at) - 48;
const isDigit = (value: string, at: number): boolean => {
  const d = value.charCodeAt(at) - 48;
  return d >= 0 && d <= 9;
};
const twoDigits = (value: string, at: number): number => digit(value, at) * 10 + digit(value, at + 1);

/**
 * Whether `value` (which Date.parse read as `ms`) is exactly `toISOString()` of it (TIMESTAMP_ISO_MS),
 * that without the milliseconds (TIMESTAMP_ISO_S), or neither (TIMESTAMP_TEXT, kept verbatim).
 */
function utcForm(value: string, ms: number): number {
  const length = value.length;
  let form: number;
  if (length === 20 && value.charCodeAt(19) === 90) form = TIMESTAMP_ISO_S;
  else if (length === 24 && value.charCodeAt(23) === 90 && value.charCodeAt(19) === 46)
    form = TIMESTAMP_ISO_MS;
  else return TIMESTAMP_TEXT;
  if (!sameCivilDateAndHour(value, ms)) return TIMESTAMP_TEXT;
  if (form === TIMESTAMP_ISO_S && ms % 1000 !== 0) return TIMESTAMP_TEXT;
  return form;
}

/**
 * For `YYYY-MM-DDTHH:MM:SS±HH:MM` (which Date.parse read as `ms`) that `withOffset` gives back
 * exactly, its offset in minutes east of UTC; otherwise null (the text is kept verbatim).
 */
function offsetMinutes(value: string, ms: number): number | null {
  if (value.length !== 25 || value.charCodeAt(22) !== 58 || ms % 1000 !== 0) return null;
  const sign = value.charCodeAt(19);
  if (sign !== 43 && sign !== 45) return null;
  if (!isDigit(value, 20) || !isDigit(value, 21) || !isDigit(value, 23) || !isDigit(value, 24)) return null;
  const hours = twoDigits(value, 20);
  const minutes = twoDigits(value, 23);
  if (hours > 23 || minutes > 59) return null;
  const offset = (sign === 45 ? -1 : 1) * (hours * 60 + minutes);
  // "-00:00" reads as UTC but would come back as "+00:00".
  if (offset === 0 && sign === 45) return null;
  return sameCivilDateAndHour(value, ms + offset * 60_000) ? offset : null;
}

/**
 * Whether the date and hour written at the start of `value` are those of `ms` (as UTC) and the
 * separators are where ISO 8601 puts them. Date.parse rolls over a 30 February or a 24:00, so the
 * calendar day and hour are recomputed from `ms` and compared; minutes and seconds over 59 it refuses.
 * Cheaper than formatting every value (~0.5 µs).
 */
function sameCivilDateAndHour(value: string, ms: number): boolean {
  if (
    value.charCodeAt(4) !== 45 ||
    value.charCodeAt(7) !== 45 ||
    value.charCodeAt(10) !== 84 ||
    value.charCodeAt(13) !== 58 ||
    value.charCodeAt(16) !== 58
  )
    return false;
  if (
    !isDigit(value, 0) ||
    !isDigit(value, 1) ||
    !isDigit(value, 2) ||
    !isDigit(value, 3) ||
    !isDigit(value, 5) ||
    !isDigit(value, 6) ||
    !isDigit(value, 8) ||
    !isDigit(value, 9) ||
    !isDigit(value, 11) ||
    !isDigit(value, 12)
  )
    return false;
  const days = Math.floor(ms / 86_400_000);
  const written =
    (twoDigits(value, 0) * 100 + twoDigits(value, 2)) * 10_000 +
    twoDigits(value, 5) * 100 +
    twoDigits(value, 8);
  if (civilFromDays(days) !== written) return false;
  return Math.floor((ms - days * 86_400_000) / 3_600_000) === twoDigits(value, 11);
}

/** `2026-11-02T10:00:00-05:00` for an instant on a whole second and an offset in minutes. */
function withOffset(ms: number, offset: number): string {
  const local = new Date(ms + offset * 60_000).toISOString();
  const abs = Math.abs(offset);
  const hours = Math.floor(abs / 60);
  const minutes = abs % 60;
  return `${local.slice(0, 19)}${offset < 0 ? '-' : '+'}${hours < 10 ? '0' : ''}${hours}:${minutes < 10 ? '0' : ''}${minutes}`;
}

/** `toISOString()` without the milliseconds, for instants on whole seconds. */
function isoSeconds(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 19)}Z`;
}

/** Per-value counts from counts per bit pattern (a row with several values counts for each). */
function spreadBits(byCode: Float64Array): Float64Array {
  const counts = new Float64Array(VERDICT_VALUES.length);
  for (let code = 1; code < byCode.length; code += 1) {
    const n = byCode[code] as number;
    if (n === 0) continue;
    for (let b = 0, bits = code; bits !== 0; b += 1, bits >>>= 1) if ((bits & 1) === 1) counts[b]! += n;
  }
  return counts;
}

function record<T extends string>(values: readonly T[], counts: Float64Array): Record<T, number> {
  const out = {} as Record<T, number>;
  values.forEach((value, code) => {
    out[value] = counts[code] ?? 0;
  });
  return out;
}
