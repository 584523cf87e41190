/**
 * A string column whose values carry a dense sort rank, so sorting a million rows compares
 * integers instead of calling Intl.Collator a million times per query.
 *
 * Values are interned; the distinct values are kept in collation order once (the only full
 * collator sort happens on first use). Values added later are placed by binary search and merged
 * in one linear pass, so an incremental upsert never re-collates the column. Values equal under the
 * collator share a rank, which keeps the engine's ties identical to a stable sort with `compare`.
 */
import type { AsciiCollationKey } from './ascii-collation-key.ts';
import { ChunkedArray, ShardedMap } from './chunked-collections.ts';

export class RankedStringColumn {
  readonly #compare: (a: string, b: string) => number;
  /**
   * Value → id, for columns whose values repeat (names). Columns of nearly unique values (ids,
   * addresses) skip it: a row's new value simply gets a new id, which saves a million-entry map.
   */
  readonly #ids: ShardedMap<number> | null;
  readonly #values = new ChunkedArray<string>();
  #valueCount = 0;
  /** Value id per row; -1 means null. */
  #rowValue: Int32Array;
  /** Distinct value ids in collation order, and whether each equals its predecessor; null until first needed. */
  #sorted: number[] | null = null;
  #equalsPrevious: boolean[] = [];
  /** Value ids interned since the order was last brought up to date. */
  #pending: number[] = [];
  #rankOfValue = new Int32Array(0);
  #ranksCurrent = false;

  /** An exact stand-in key for `compare` on simple values, or null (see ascii-collation-key.ts). */
  readonly #key: AsciiCollationKey | null;
  /** Whether the current order was built from keys (every value had one). */
  #keyed = false;

  constructor(
    compare: (a: string, b: string) => number,
    capacity = 1024,
    key: AsciiCollationKey | null = null,
    intern = true,
  ) {
    this.#compare = compare;
    this.#key = key;
    this.#ids = intern ? new ShardedMap<number>() : null;
    this.#rowValue = new Int32Array(capacity).fill(-1);
  }

  grow(capacity: number): void {
    if (capacity <= this.#rowValue.length) return;
    const next = new Int32Array(capacity).fill(-1);
    next.set(this.#rowValue);
    this.#rowValue = next;
  }

  set(row: number, value: string | null): void {
    if (value === null) {
      this.#rowValue[row] = -1;
      return;
    }
    let id: number | undefined;
    if (this.#ids !== null) id = this.#ids.get(value);
    else {
      const current = this.#rowValue[row] ?? -1;
      // The same value again keeps its id; a changed one leaves the old id unused (ranks stay ordered).
      if (current >= 0 && this.#values.get(current) === value) return;
    }
    if (id === undefined) {
      id = this.#valueCount;
      this.#valueCount += 1;
      this.#values.set(id, value);
      this.#ids?.set(value, id);
      if (this.#sorted !== null) this.#pending.push(id);
      this.#ranksCurrent = false;
    }
    this.#rowValue[row] = id;
  }

  /** The row's value, null when it has none. */
  value(row: number): string | null {
    const id = this.#rowValue[row] ?? -1;
    return id < 0 ? null : (this.#values.get(id) as string);
  }

  /** Dense rank (0-based) of each row's value, -1 for null. Call `prepareRanks()` first. */
  rank(row: number): number {
    const id = this.#rowValue[row] ?? -1;
    return id < 0 ? -1 : (this.#rankOfValue[id] ?? -1);
  }

  /** Brings ranks up to date with every value set so far; cheap when nothing changed. */
  prepareRanks(): void {
    if (this.#ranksCurrent) return;
    if (this.#sorted === null) this.#sortAll();
    else if (this.#pending.length > 0) this.#mergePending();
    const sorted = this.#sorted ?? [];
    const ranks = new Int32Array(this.#valueCount);
    let rank = -1;
    for (let i = 0; i < sorted.length; i += 1) {
      if (!this.#equalsPrevious[i]) rank += 1;
      ranks[sorted[i] as number] = rank;
    }
    this.#rankOfValue = ranks;
    this.#ranksCurrent = true;
  }

  /**
   * `prepareRanks()` cut into small steps, for preparing a column off the critical path (after a
   * sync, between event-loop turns): the first full sort becomes sorted runs and a bottom-up merge,
   * yielding every `budget` units of work (a collator comparison counts as many ordinal ones).
   * It builds its order aside and commits it only if nothing prepared the column synchronously in
   * the meantime; values added meanwhile join as pending and are merged by the final prepareRanks().
   */
  *prepareInSteps(budget = 20_000): Generator<void, void, void> {
    if (this.#ranksCurrent) return;
    if (this.#sorted !== null) {
      // Only values added since the last order: a binary-search merge, cheap.
      this.prepareRanks();
      return;
    }
    const count = this.#valueCount;
    let work = 0;
    const values = new Array<string>(count);
    for (let id = 0; id < count; id += 1) {
      values[id] = this.#values.get(id) as string;
      if (++work >= budget) {
        work = 0;
        yield;
      }
    }
    let keys: string[] | null = null;
    if (this.#key !== null) {
      keys = new Array<string>(count);
      for (let i = 0; i < count; i += 1) {
        const k = this.#key(values[i] as string);
        if (k === null) {
          keys = null;
          break;
        }
        keys[i] = k;
        if ((work += 4) >= budget) {
          work = 0;
          yield;
        }
      }
    }
    const keyed = keys;
    const collate = this.#compare;
    const compare =
      keyed !== null
        ? (a: number, b: number) => ordinal(keyed[a] as string, keyed[b] as string)
        : (a: number, b: number) => collate(values[a] as string, values[b] as string);
    // A collator comparison costs about twenty ordinal ones: shorter runs, fewer steps per yield.
    const cost = keyed !== null ? 1 : 20;
    const run = Math.max(64, Math.floor(budget / (cost * 12)));
    let source: number[] = new Array<number>(count);
    for (let i = 0; i < count; i += 1) source[i] = i;
    for (let start = 0; start < count; start += run) {
      const sorted = source.slice(start, start + run).sort(compare);
      for (let k = 0; k < sorted.length; k += 1) source[start + k] = sorted[k] as number;
      yield;
    }
    let target: number[] = new Array<number>(count);
    for (let width = run; width < count; width *= 2) {
      for (let low = 0; low < count; low += 2 * width) {
        const middle = Math.min(low + width, count);
        const high = Math.min(low + 2 * width, count);
        let i = low;
        let j = middle;
        let k = low;
        // Ties take the left run first: stable, like the one-shot sort.
        while (i < middle && j < high) {
          target[k++] =
            compare(source[j] as number, source[i] as number) < 0
              ? (source[j++] as number)
              : (source[i++] as number);
          if ((work += cost) >= budget) {
            work = 0;
            yield;
          }
        }
        while (i < middle) target[k++] = source[i++] as number;
        while (j < high) target[k++] = source[j++] as number;
      }
      [source, target] = [target, source];
      yield;
    }
    const equals = new Array<boolean>(count);
    for (let i = 0; i < count; i += 1) {
      equals[i] = i > 0 && compare(source[i - 1] as number, source[i] as number) === 0;
      if ((work += cost) >= budget) {
        work = 0;
        yield;
      }
    }
    if (this.#sorted !== null) return;
    this.#sorted = source;
    this.#equalsPrevious = equals;
    this.#keyed = keyed !== null;
    this.#pending = [];
    for (let id = count; id < this.#valueCount; id += 1) this.#pending.push(id);
    this.#ranksCurrent = false;
    this.prepareRanks();
  }

  /** The values as one array, for a full sort (a temporary: the column keeps them chunked). */
  #allValues(): string[] {
    const values = new Array<string>(this.#valueCount);
    for (let id = 0; id < this.#valueCount; id += 1) values[id] = this.#values.get(id) as string;
    return values;
  }

  /** Keys for these values when every one has one (see ascii-collation-key.ts), else null. */
  #keysOf(values: readonly string[]): string[] | null {
    const key = this.#key;
    if (key === null) return null;
    const keys = new Array<string>(values.length);
    for (let i = 0; i < values.length; i += 1) {
      const k = key(values[i] as string);
      if (k === null) return null;
      keys[i] = k;
    }
    return keys;
  }

  #sortAll(): void {
    const values = this.#allValues();
    const keys = this.#keysOf(values);
    this.#keyed = keys !== null;
    const ids = values.map((_, id) => id);
    let sorted: number[];
    let equalsPrevious: boolean[];
    if (keys !== null) {
      sorted = ids.sort((a, b) => ordinal(keys[a] as string, keys[b] as string));
      equalsPrevious = sorted.map((id, i) => i > 0 && keys[sorted[i - 1] as number] === keys[id]);
    } else {
      const compare = this.#compare;
      sorted = ids.sort((a, b) => compare(values[a] as string, values[b] as string));
      equalsPrevious = sorted.map(
        (id, i) => i > 0 && compare(values[sorted[i - 1] as number] as string, values[id] as string) === 0,
      );
    }
    this.#sorted = sorted;
    this.#equalsPrevious = equalsPrevious;
    this.#pending = [];
  }

  /** Compares two interned values in the column's current order (keys, or the collator). */
  #compareIds(a: number, b: number): number {
    const x = this.#values.get(a) as string;
    const y = this.#values.get(b) as string;
    if (!this.#keyed) return this.#compare(x, y);
    const key = this.#key as AsciiCollationKey;
    return ordinal(key(x) as string, key(y) as string);
  }

  #mergePending(): void {
    if (this.#keyed && this.#keysOf(this.#pending.map((id) => this.#values.get(id) as string)) === null) {
      // A value the key cannot order: the whole column goes back to the collator.
      this.#sortAll();
      return;
    }
    const old = this.#sorted ?? [];
    const oldEquals = this.#equalsPrevious;
    const incoming = this.#pending.sort((a, b) => this.#compareIds(a, b));
    this.#pending = [];
    const merged: number[] = new Array<number>(old.length + incoming.length);
    const equals: boolean[] = new Array<boolean>(merged.length);
    const touched: number[] = [];
    let from = 0;
    let to = 0;
    for (const id of incoming) {
      const at = this.#upperBound(old, id);
      while (from < at) {
        merged[to] = old[from] as number;
        equals[to] = oldEquals[from] ?? false;
        to += 1;
        from += 1;
      }
      merged[to] = id;
      touched.push(to);
      to += 1;
    }
    while (from < old.length) {
      merged[to] = old[from] as number;
      equals[to] = oldEquals[from] ?? false;
      to += 1;
      from += 1;
    }
    // Only neighbours of inserted values can change their "equal to previous" flag.
    const compareAt = (i: number) =>
      i > 0 && this.#compareIds(merged[i - 1] as number, merged[i] as number) === 0;
    for (const i of touched) {
      equals[i] = compareAt(i);
      if (i + 1 < merged.length) equals[i + 1] = compareAt(i + 1);
    }
    this.#sorted = merged;
    this.#equalsPrevious = equals;
  }

  #upperBound(sorted: readonly number[], id: number): number {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#compareIds(sorted[mid] as number, id) <= 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

const ordinal = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
