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
