/**
 * A string column whose values carry a dense sort rank, so sorting a million rows compares
 * integers instead of calling Intl.Collator a million times per query.
 *
 * Values are interned; the distinct values are kept in collation order once (the only full
 * collator sort happens on first use). Values added later are placed by binary search and merged
 * in one linear pass, so an incremental upsert never re-collates the column. Values equal under the
 * collator share a rank, which keeps the engine's ties identical to a stable sort with `compare`.
 */
export class RankedStringColumn {
  readonly #compare: (a: string, b: string) => number;
  readonly #ids = new Map<string, number>();
  readonly #values: string[] = [];
  /** Value id per row; -1 means null. */
  #rowValue: Int32Array;
  /** Distinct value ids in collation order, and whether each equals its predecessor; null until first needed. */
  #sorted: number[] | null = null;
  #equalsPrevious: boolean[] = [];
  /** Value ids interned since the order was last brought up to date. */
  #pending: number[] = [];
  #rankOfValue = new Int32Array(0);
  #ranksCurrent = false;

  constructor(compare: (a: string, b: string) => number, capacity = 1024) {
    this.#compare = compare;
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
    let id = this.#ids.get(value);
    if (id === undefined) {
      id = this.#values.length;
      this.#values.push(value);
      this.#ids.set(value, id);
      if (this.#sorted !== null) this.#pending.push(id);
      this.#ranksCurrent = false;
    }
    this.#rowValue[row] = id;
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
    const ranks = new Int32Array(this.#values.length);
    let rank = -1;
    for (let i = 0; i < sorted.length; i += 1) {
      if (!this.#equalsPrevious[i]) rank += 1;
      ranks[sorted[i] as number] = rank;
    }
    this.#rankOfValue = ranks;
    this.#ranksCurrent = true;
  }

  #sortAll(): void {
    const values = this.#values;
    const sorted = values
      .map((_, id) => id)
      .sort((a, b) => this.#compare(values[a] as string, values[b] as string));
    this.#sorted = sorted;
    this.#equalsPrevious = sorted.map(
      (id, i) =>
        i > 0 && this.#compare(values[sorted[i - 1] as number] as string, values[id] as string) === 0,
    );
    this.#pending = [];
  }

  #mergePending(): void {
    const values = this.#values;
    const old = this.#sorted ?? [];
    const oldEquals = this.#equalsPrevious;
    const incoming = this.#pending.sort((a, b) => this.#compare(values[a] as string, values[b] as string));
    this.#pending = [];
    const merged: number[] = new Array<number>(old.length + incoming.length);
    const equals: boolean[] = new Array<boolean>(merged.length);
    const touched: number[] = [];
    let from = 0;
    let to = 0;
    for (const id of incoming) {
      const at = this.#upperBound(old, values[id] as string);
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
      i > 0 &&
      this.#compare(values[merged[i - 1] as number] as string, values[merged[i] as number] as string) === 0;
    for (const i of touched) {
      equals[i] = compareAt(i);
      if (i + 1 < merged.length) equals[i + 1] = compareAt(i + 1);
    }
    this.#sorted = merged;
    this.#equalsPrevious = equals;
  }

  #upperBound(sorted: readonly number[], value: string): number {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#compare(this.#values[sorted[mid] as number] as string, value) <= 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
