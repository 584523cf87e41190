import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiCollationKey } from './ascii-collation-key.ts';
import { RankedStringColumn } from './ranked-string-column.ts';

const collator = new Intl.Collator('en', { usage: 'sort', sensitivity: 'variant', numeric: true });
const compare = (a: string, b: string) => collator.compare(a, b);
const value = fc.oneof(
  fc.constantFrom('Ann', 'ann', 'Ånn', 'Zoë', 'zoe', 'item 10', 'item 9', 'a@x.edu', 'A@x.edu', 'b@y.edu'),
  fc.string({ maxLength: 6 }),
);

function ranks(column: RankedStringColumn, rows: number): number[] {
  return Array.from({ length: rows }, (_, row) => column.rank(row));
}

describe('RankedStringColumn.prepareInSteps', () => {
  it('gives exactly the ranks of the one-shot prepare, keyed or collated, with values added mid-way', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(value, { nil: null }), { maxLength: 300 }),
        fc.array(value, { maxLength: 20 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 50 }),
        (first, later, keyed, budget) => {
          const make = () =>
            new RankedStringColumn(
              compare,
              0,
              keyed ? asciiCollationKey(collator) : null,
              keyed ? false : true,
            );
          const oneShot = make();
          const stepped = make();
          const all = [...first, ...later];
          for (const column of [oneShot, stepped]) {
            column.grow(all.length);
            first.forEach((v, row) => column.set(row, v));
          }
          // The stepped one gets the later values half-way through its preparation.
          const steps = stepped.prepareInSteps(budget);
          let n = 0;
          while (!steps.next().done) {
            n += 1;
            if (n === 3) later.forEach((v, k) => stepped.set(first.length + k, v));
          }
          if (n < 3) later.forEach((v, k) => stepped.set(first.length + k, v));
          stepped.prepareRanks();
          later.forEach((v, k) => oneShot.set(first.length + k, v));
          oneShot.prepareRanks();
          expect(ranks(stepped, all.length)).toEqual(ranks(oneShot, all.length));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('leaves a column alone that a query prepared in the meantime', () => {
    const column = new RankedStringColumn(compare, 0);
    column.grow(3);
    ['b', 'a', 'c'].forEach((v, row) => column.set(row, v));
    const steps = column.prepareInSteps(1);
    steps.next();
    column.prepareRanks();
    while (!steps.next().done);
    expect(ranks(column, 3)).toEqual([1, 0, 2]);
  });
});
