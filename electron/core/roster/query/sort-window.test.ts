import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortByIntegerKey, sortByKeyWithComparator, topByIntegerKey } from './sort-window.ts';

describe('topByIntegerKey', () => {
  it('gives exactly the first rows of the full stable sort (nulls last, ties in roster order)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 5000 }), { maxLength: 300 }),
        fc.array(fc.oneof(fc.integer({ min: -20, max: 20 }), fc.constant(Number.NaN)), {
          minLength: 5001,
          maxLength: 5001,
        }),
        fc.boolean(),
        fc.integer({ min: 0, max: 320 }),
        (rowList, keys, descending, count) => {
          const selection = Uint32Array.from(rowList.sort((a, b) => a - b));
          const keyOf = (row: number) => keys[row] as number;
          const full = sortByIntegerKey(selection, keyOf, descending) as Uint32Array;
          expect(Array.from(sortByKeyWithComparator(selection, keyOf, descending))).toEqual(Array.from(full));
          expect(Array.from(topByIntegerKey(selection, keyOf, descending, count))).toEqual(
            Array.from(full.subarray(0, count)),
          );
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });

  it('handles wide keys (timestamps) and a selection in reverse key order', () => {
    const selection = Uint32Array.from({ length: 2000 }, (_, i) => i);
    const keyOf = (row: number) => (row % 7 === 0 ? Number.NaN : 1.7e12 - row * 60_000);
    for (const descending of [false, true]) {
      const full = sortByIntegerKey(selection, keyOf, descending) as Uint32Array;
      expect(Array.from(topByIntegerKey(selection, keyOf, descending, 150))).toEqual(
        Array.from(full.subarray(0, 150)),
      );
    }
  });
});
