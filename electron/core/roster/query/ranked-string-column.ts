/**
 * A string column whose values carry a dense sort rank, so sorting a million rows compares
 * integers instead of calling Intl.Collator a million times per query.
 *
 * Values are interned; the distinct values are kept in collation order once (the only full
 * collator sort happens on first use). Values added later are placed by binary search and merged
 * in one linear pass, so an incremental upsert never re-collates the column. Values equal under the
 * collator share a rank, which keeps the engine's ties identical to a stable sort with `compare`.
 *
 * All of it is one preparation, written as steps (a generator) so it can run a few milliseconds at
 * a time between event-loop turns after a sync, or to the end at once when a query needs it first.
 * Its working state is typed arrays (ids, order, equality flags, keys packed into one byte buffer):
 * their contents live outside the JavaScript heap, so preparing a million values adds no work to
 * the garbage collector (million-entry arrays of ids, flags and key strings made scavenges of 60–70
 * ms, measured, which landed inside the slices).
 */
import type { AsciiCollationKey } from './ascii-collation-key.ts';
import { CHUNK_BITS, ChunkedArray, ShardedMap } from './chunked-collections.ts';

const CHUNK_MASK = (1 << CHUNK_BITS) - 1;

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
  /** Distinct value ids in collation order, and whether each equals its predecessor (1); null until first needed. */
  #sorted: Int32Array | null = null;
  #equalsPrevious: Uint8Array = new Uint8Array(0);
  /** Value ids interned since the order was last brought up to date. */
  #pending: number[] = [];
  #rankOfValue = new Int32Array(0);
  #ranksCurrent = false;

  /** An exact stand-in key for `compare` on simple values, or null (see ascii-collation-key.ts). */
  readonly #key: AsciiCollationKey | null;
  /** Whether the current order was built from keys (every value had one). */
  #keyed = false;
  /** The preparation under way, shared by the slices after a sync and a query that cannot wait. */
  #preparing: Generator<void, void, void> | null = null;

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

  /** Whether ranks are up to date with every value set so far. */
  get prepared(): boolean {
    return this.#ranksCurrent;
  }

  /** Brings ranks up to date with every value set so far, at once; cheap when nothing changed. */
  prepareRanks(): void {
    if (this.#ranksCurrent) return;
    // A preparation already under way is finished rather than started again: its work is kept.
    const steps = this.#preparing ?? this.prepareInSteps(Number.POSITIVE_INFINITY);
    while (steps.next().done !== true);
  }

  /**
   * `prepareRanks()` cut into small steps, for preparing a column off the critical path (after a
   * sync, between event-loop turns): each step does at most about `budget` units of work (an
   * ordinal comparison or a copied entry is one; a collator comparison counts as twenty). Values
   * set meanwhile are taken in before it ends. While it runs, `prepareRanks()` finishes it.
   */
  prepareInSteps(budget = STEP_BUDGET): Generator<void, void, void> {
    if (this.#ranksCurrent && this.#preparing === null) return noSteps();
    this.#preparing ??= this.#prepare(budget);
    return this.#preparing;
  }

  *#prepare(budget: number): Generator<void, void, void> {
    try {
      while (!this.#ranksCurrent) {
        if (this.#sorted === null) yield* this.#sortAll(budget);
        else if (this.#pending.length > 0) yield* this.#mergePending(budget);
        else yield* this.#rankPass(budget);
      }
    } finally {
      this.#preparing = null;
    }
  }

  /** The value of an interned id, straight from its chunk (the column keeps values chunked). */
  #valueReader(): (id: number) => string {
    const values = this.#values;
    return (id) => values.chunk(id >>> CHUNK_BITS)?.[id & CHUNK_MASK] as string;
  }

  /** Sorts every value id from scratch: the first order, or after a value the key cannot order. */
  *#sortAll(budget: number): Generator<void, void, void> {
    // Values set from now on are not pending: the ids past `count` join when this order is committed.
    this.#sorted = null;
    this.#pending = [];
    const count = this.#valueCount;
    const valueOf = this.#valueReader();
    const ids = new Int32Array(count);
    for (let id = 0; id < count; id += 1) ids[id] = id;
    const keys = this.#key === null ? null : yield* packKeys(this.#key, count, valueOf, budget);
    const order = this.#orderOf(keys, valueOf);
    const sorted = yield* stepSort(ids, order, budget);
    const equals = yield* equalityFlags(sorted, order, budget);
    this.#sorted = sorted;
    this.#equalsPrevious = equals;
    this.#keyed = keys !== null;
    for (let id = count; id < this.#valueCount; id += 1) this.#pending.push(id);
    this.#ranksCurrent = false;
  }

  /**
   * How to compare two slots (`compare`, `cost` units each): by packed key when there are keys, else
   * by the collator on `valueAt(slot)`; `strict` breaks ties by slot, so a sort by it equals a stable
   * sort of the slots in their order.
   */
  #orderOf(keys: PackedKeys | null, valueAt: (slot: number) => string): Order {
    if (keys !== null) {
      const compare = (a: number, b: number) => keys.compare(a, b);
      return { compare, strict: (a, b) => keys.compare(a, b) || a - b, cost: 1 };
    }
    const collate = this.#compare;
    const compare = (a: number, b: number) => collate(valueAt(a), valueAt(b));
    return { compare, strict: (a, b) => compare(a, b) || a - b, cost: COLLATOR_COST };
  }

  /** Places the values set since the last order into it: sort them, binary-search each, merge. */
  *#mergePending(budget: number): Generator<void, void, void> {
    const old = this.#sorted as Int32Array;
    const oldEquals = this.#equalsPrevious;
    // Pending ids are in increasing order (ids are handed out in order): slot order is id order.
    const pending = this.#pending.slice();
    const n = pending.length;
    const valueOf = this.#valueReader();
    const valueAt = (slot: number) => valueOf(pending[slot] as number);
    let keys: PackedKeys | null = null;
    if (this.#keyed) {
      keys = yield* packKeys(this.#key as AsciiCollationKey, n, valueAt, budget);
      if (keys === null) {
        // A value the key cannot order: the whole column goes back to the collator.
        yield* this.#sortAll(budget);
        return;
      }
    }
    const slots = new Int32Array(n);
    for (let slot = 0; slot < n; slot += 1) slots[slot] = slot;
    const sortedSlots = yield* stepSort(slots, this.#orderOf(keys, valueAt), budget);
    const incoming = sortedSlots.map((slot) => pending[slot] as number);
    // Probes compare an incoming value with an ordered one: by key string, or by the collator.
    const key = this.#key as AsciiCollationKey;
    const probeCost = this.#keyed ? KEY_PROBE_COST : COLLATOR_COST;
    const compareWith = (id: number, other: number) =>
      this.#keyed
        ? ordinal(key(valueOf(id)) as string, key(valueOf(other)) as string)
        : this.#compare(valueOf(id), valueOf(other));
    const merged = new Int32Array(old.length + n);
    const equals = new Uint8Array(merged.length);
    const touched = new Int32Array(n);
    let from = 0;
    let to = 0;
    let work = 0;
    for (let k = 0; k < n; k += 1) {
      const id = incoming[k] as number;
      // Upper bound: after every equal value, as a stable sort places a later id.
      let low = from;
      let high = old.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (compareWith(old[mid] as number, id) <= 0) low = mid + 1;
        else high = mid;
        work += probeCost;
      }
      merged.set(old.subarray(from, low), to);
      equals.set(oldEquals.subarray(from, low), to);
      to += low - from;
      work += low - from;
      from = low;
      merged[to] = id;
      touched[k] = to;
      to += 1;
      if (work >= budget) {
        work = 0;
        yield;
      }
    }
    merged.set(old.subarray(from), to);
    equals.set(oldEquals.subarray(from), to);
    // Only neighbours of inserted values can change their "equal to previous" flag.
    const equalAt = (i: number) =>
      i > 0 && compareWith(merged[i - 1] as number, merged[i] as number) === 0 ? 1 : 0;
    for (let k = 0; k < n; k += 1) {
      const i = touched[k] as number;
      equals[i] = equalAt(i);
      if (i + 1 < merged.length) equals[i + 1] = equalAt(i + 1);
      if ((work += 2 * probeCost) >= budget) {
        work = 0;
        yield;
      }
    }
    this.#sorted = merged;
    this.#equalsPrevious = equals;
    // Values set while this ran stay pending for the next round.
    this.#pending = this.#pending.slice(n);
  }

  /** Dense ranks from the order; committed only if no value arrived meanwhile (else another round). */
  *#rankPass(budget: number): Generator<void, void, void> {
    const sorted = this.#sorted as Int32Array;
    const equals = this.#equalsPrevious;
    const count = this.#valueCount;
    const ranks = new Int32Array(count);
    let rank = -1;
    for (let start = 0; start < sorted.length; start += budget) {
      const end = Math.min(sorted.length, start + budget);
      for (let i = start; i < end; i += 1) {
        if (equals[i] === 0) rank += 1;
        ranks[sorted[i] as number] = rank;
      }
      if (end < sorted.length) yield;
    }
    if (this.#valueCount !== count || this.#pending.length > 0 || this.#sorted !== sorted) return;
    this.#rankOfValue = ranks;
    this.#ranksCurrent = true;
  }
}

/**
 * Units of work per step by default. Byte-wise comparisons of neighbouring addresses (which share
 * long prefixes) are the slowest unit: 20,000 of them took 7–11 ms of CPU (docs/performance.md),
 * so a step of 8,000 is a few ms and a 12 ms slice overshoots by little.
 */
const STEP_BUDGET = 8_000;
/** A collator comparison costs about twenty ordinal ones (measured on addresses). */
const COLLATOR_COST = 20;
/** Comparing an incoming value with an ordered one by key strings: two keys built, one comparison. */
const KEY_PROBE_COST = 8;

interface Order {
  compare(a: number, b: number): number;
  strict(a: number, b: number): number;
  cost: number;
}

function* noSteps(): Generator<void, void, void> {}

/** Packed keys live in 1 MiB byte chunks: no buffer ever grows by copying (a 24 MB copy was a 100 ms step). */
const KEY_CHUNK_BITS = 20;
const KEY_CHUNK_SIZE = 1 << KEY_CHUNK_BITS;
const KEY_CHUNK_MASK = KEY_CHUNK_SIZE - 1;

/**
 * Collation keys of many values in byte chunks (slot `i`'s key starts at `starts[i]`, a chunk
 * number and a position, and is `lengths[i]` bytes), compared byte by byte: the same order as
 * comparing the key strings, without a million strings on the heap.
 */
class PackedKeys {
  readonly chunks: Uint8Array[];
  readonly starts: Int32Array;
  readonly lengths: Uint16Array;

  constructor(chunks: Uint8Array[], starts: Int32Array, lengths: Uint16Array) {
    this.chunks = chunks;
    this.starts = starts;
    this.lengths = lengths;
  }

  compare(x: number, y: number): number {
    const startX = this.starts[x] as number;
    const startY = this.starts[y] as number;
    const a = this.chunks[startX >>> KEY_CHUNK_BITS] as Uint8Array;
    const b = this.chunks[startY >>> KEY_CHUNK_BITS] as Uint8Array;
    let i = startX & KEY_CHUNK_MASK;
    let j = startY & KEY_CHUNK_MASK;
    const lengthX = this.lengths[x] as number;
    const lengthY = this.lengths[y] as number;
    const iEnd = i + Math.min(lengthX, lengthY);
    while (i < iEnd) {
      const d = (a[i] as number) - (b[j] as number);
      if (d !== 0) return d;
      i += 1;
      j += 1;
    }
    return lengthX - lengthY;
  }
}

/** Keys of the values of slots 0…n-1 packed into byte chunks, or null when one of them has no key. */
function* packKeys(
  key: AsciiCollationKey,
  n: number,
  valueAt: (slot: number) => string,
  budget: number,
): Generator<void, PackedKeys | null, void> {
  const starts = new Int32Array(n);
  const lengths = new Uint16Array(n);
  const chunks: Uint8Array[] = [];
  let chunk = new Uint8Array(0);
  let at = 0;
  let work = 0;
  for (let i = 0; i < n; i += 1) {
    const value = valueAt(i);
    const room = 2 * value.length + 2;
    // A key longer than a chunk (or its length field) is no e-mail address: the collator orders the column.
    if (room > 0xffff) return null;
    if (at + room > chunk.length) {
      chunk = new Uint8Array(KEY_CHUNK_SIZE);
      chunks.push(chunk);
      at = 0;
    }
    const end = key.write(value, chunk, at);
    if (end < 0) return null;
    starts[i] = ((chunks.length - 1) << KEY_CHUNK_BITS) | at;
    lengths[i] = end - at;
    at = end;
    if ((work += 4) >= budget) {
      work = 0;
      yield;
    }
  }
  return new PackedKeys(chunks, starts, lengths);
}

/**
 * Sorts `ids` by `order.strict` in steps: sorted runs, then a bottom-up merge that yields every
 * `budget` units of work. Returns the sorted ids: `ids` itself (sorted in place) or a new array.
 * An unlimited budget is one native sort.
 */
function* stepSort(ids: Int32Array, order: Order, budget: number): Generator<void, Int32Array, void> {
  const count = ids.length;
  const { strict, cost } = order;
  // Runs whose sort (about log2(run) ≈ 11 comparisons a value) costs at most about one budget.
  const run = Math.max(16, Math.min(2048, Math.floor(budget / (cost * 12))));
  let work = 0;
  for (let start = 0; start < count; start += run) {
    const end = Math.min(count, start + run);
    // Runs already in order (user ids are often handed out in order) are only checked.
    let i = start + 1;
    while (i < end && strict(ids[i - 1] as number, ids[i] as number) < 0) i += 1;
    work += (i - start) * cost;
    if (i < end) {
      ids.subarray(start, end).sort(strict);
      work += (end - start) * cost * 11;
    }
    if (work >= budget) {
      work = 0;
      yield;
    }
  }
  let source: Int32Array = ids;
  let target: Int32Array = new Int32Array(count);
  for (let width = run; width < count; width *= 2) {
    for (let low = 0; low < count; low += 2 * width) {
      const middle = Math.min(low + width, count);
      const high = Math.min(low + 2 * width, count);
      if (middle >= high || strict(source[middle - 1] as number, source[middle] as number) < 0) {
        // The two runs are already in order: one copy.
        target.set(source.subarray(low, high), low);
        work += cost + ((high - low) >>> 4);
        continue;
      }
      let i = low;
      let j = middle;
      let k = low;
      while (i < middle && j < high) {
        target[k++] =
          strict(source[j] as number, source[i] as number) < 0
            ? (source[j++] as number)
            : (source[i++] as number);
        if ((work += cost) >= budget) {
          work = 0;
          yield;
        }
      }
      if (i < middle) target.set(source.subarray(i, middle), k);
      else if (j < high) target.set(source.subarray(j, high), k);
      work += high - k;
    }
    [source, target] = [target, source];
    if (work >= budget) {
      work = 0;
      yield;
    }
  }
  return source;
}

/** Whether each sorted id equals its predecessor under `order.compare` (1) or not (0). */
function* equalityFlags(sorted: Int32Array, order: Order, budget: number): Generator<void, Uint8Array, void> {
  const equals = new Uint8Array(sorted.length);
  let work = 0;
  for (let i = 1; i < sorted.length; i += 1) {
    if (order.compare(sorted[i - 1] as number, sorted[i] as number) === 0) equals[i] = 1;
    if ((work += order.cost) >= budget) {
      work = 0;
      yield;
    }
  }
  return equals;
}

const ordinal = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
