/**
 * Sorting a selection of rows by one integer key per row, stable and nulls last, with the
 * engine's native typed-array sort instead of a JavaScript comparator.
 *
 * Each row becomes one unsigned 64-bit number: the key in the high 43 bits, the row index in the
 * low 21. Sorting those numbers sorts by key, and ties fall back to the row index (roster order):
 * exactly a stable sort. Descending order flips the key, not the index, so ties stay in roster
 * order; null gets the largest key in both directions, so nulls always come last.
 */
export const ROW_INDEX_BITS = 21;
export const MAX_ROWS = 2 ** ROW_INDEX_BITS;
const KEY_LIMIT = 2 ** 43;
const NULL_KEY = KEY_LIMIT - 1;
const LOW_KEY_BITS = 32 - ROW_INDEX_BITS;
const LOW_KEY_RANGE = 2 ** LOW_KEY_BITS;
const ROW_INDEX_MASK = MAX_ROWS - 1;

if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
  // Packing writes the two 32-bit halves through a Uint32Array view, which assumes little-endian.
  throw new Error('The roster query engine needs a little-endian machine.');
}

/**
 * Returns the selected row indices sorted by `keyOf` (an integer, or NaN for null), or null when
 * the keys' spread is too wide to pack (then the caller uses a comparator sort).
 */
export function sortByIntegerKey(
  selection: Uint32Array,
  keyOf: (row: number) => number,
  descending: boolean,
): Uint32Array | null {
  const count = selection.length;
  const keys = new Float64Array(count);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < count; i += 1) {
    const key = keyOf(selection[i] as number);
    keys[i] = key;
    if (key < min) min = key;
    if (key > max) max = key;
  }
  if (max - min >= NULL_KEY) return null;
  const packed = new BigUint64Array(count);
  const halves = new Uint32Array(packed.buffer);
  for (let i = 0; i < count; i += 1) {
    const key = keys[i] as number;
    const shifted = Number.isNaN(key) ? NULL_KEY : descending ? max - key : key - min;
    const row = selection[i] as number;
    halves[2 * i] = ((shifted % LOW_KEY_RANGE) * MAX_ROWS + row) >>> 0;
    halves[2 * i + 1] = Math.floor(shifted / LOW_KEY_RANGE);
  }
  packed.sort();
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i += 1) out[i] = (halves[2 * i] as number) & ROW_INDEX_MASK;
  return out;
}

/** The fallback for key spreads too wide to pack: a stable comparator sort on the same keys. */
export function sortByKeyWithComparator(
  selection: Uint32Array,
  keyOf: (row: number) => number,
  descending: boolean,
): Uint32Array {
  const rows = Array.from(selection);
  const keys = new Map(rows.map((row) => [row, keyOf(row)]));
  rows.sort((a, b) => {
    const ka = keys.get(a) as number;
    const kb = keys.get(b) as number;
    const na = Number.isNaN(ka);
    const nb = Number.isNaN(kb);
    if (na || nb) return na === nb ? a - b : na ? 1 : -1;
    const order = descending ? kb - ka : ka - kb;
    return order !== 0 ? order : a - b;
  });
  return Uint32Array.from(rows);
}

/**
 * The first `count` rows of the order `sortByIntegerKey` gives (key, nulls last, ties in roster
 * order), without sorting the whole selection: one pass keeps the best `count` rows in a bounded
 * max-heap (most rows cost one comparison against the heap's worst), then only those are sorted.
 * `selection` must be ascending (roster order), as the engine's filter pass produces it.
 */
export function topByIntegerKey(
  selection: Uint32Array,
  keyOf: (row: number) => number,
  descending: boolean,
  count: number,
): Uint32Array {
  const k = Math.min(count, selection.length);
  if (k <= 0) return new Uint32Array(0);
  const values = new Float64Array(k);
  const rows = new Uint32Array(k);
  let size = 0;
  // (value, row) pairs: lower value first, then lower row; the heap's root is its worst pair.
  const worse = (va: number, ra: number, vb: number, rb: number) => va > vb || (va === vb && ra > rb);
  const siftDown = (from: number) => {
    let i = from;
    const v = values[i] as number;
    const r = rows[i] as number;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) break;
      let child = left;
      const right = left + 1;
      if (
        right < size &&
        worse(values[right] as number, rows[right] as number, values[left] as number, rows[left] as number)
      )
        child = right;
      if (!worse(values[child] as number, rows[child] as number, v, r)) break;
      values[i] = values[child] as number;
      rows[i] = rows[child] as number;
      i = child;
    }
    values[i] = v;
    rows[i] = r;
  };
  for (let s = 0; s < selection.length; s += 1) {
    const row = selection[s] as number;
    const key = keyOf(row);
    const value = Number.isNaN(key) ? Number.POSITIVE_INFINITY : descending ? -key : key;
    if (size < k) {
      // Sift up.
      let i = size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(value, row, values[parent] as number, rows[parent] as number)) break;
        values[i] = values[parent] as number;
        rows[i] = rows[parent] as number;
        i = parent;
      }
      values[i] = value;
      rows[i] = row;
    } else if (worse(values[0] as number, rows[0] as number, value, row)) {
      values[0] = value;
      rows[0] = row;
      siftDown(0);
    }
  }
  // Pop the worst repeatedly into the back: ascending order.
  const out = new Uint32Array(k);
  for (let n = k - 1; n >= 0; n -= 1) {
    out[n] = rows[0] as number;
    size -= 1;
    values[0] = values[size] as number;
    rows[0] = rows[size] as number;
    siftDown(0);
  }
  return out;
}
