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

/** Row order by rank (nulls last, ties by row): what the engine's sort does with these ranks. */
function orderByRank(column: RankedStringColumn, rows: number): number[] {
  const rank = (row: number) => {
    const r = column.rank(row);
    return r < 0 ? Number.POSITIVE_INFINITY : r;
  };
  return Array.from({ length: rows }, (_, row) => row).sort((a, b) => rank(a) - rank(b) || a - b);
}

describe('RankedStringColumn order', () => {
  // Ties under the collator ('a1' / 'a01'), empty values, case, accents, other scripts, digit runs.
  const anyValue = fc.oneof(
    fc.constantFrom('', 'a', 'A', 'á', 'Å', 'a1', 'a01', 'a10', 'a9', 'ß', 'ss', 'Ünal', 'unal', '李', 'Ω'),
    fc.string({ maxLength: 5 }),
    fc.stringMatching(/^[a-z0-9._@+'-]{0,10}$/),
  );
  const addressLike = fc.oneof(
    fc.stringMatching(/^[a-z0-9._@+'-]{0,10}$/),
    fc.constantFrom('', 'a1@x', 'a01@x', 'a.b@x', 'a_b@x', 'ab@x'),
  );

  it('equals a plain stable collator sort, with equal ranks exactly for collator ties (stepped or at once, keyed or not)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({
            keyed: fc.constant(true),
            values: fc.array(fc.option(addressLike, { nil: null }), { maxLength: 200 }),
          }),
          fc.record({
            keyed: fc.boolean(),
            values: fc.array(fc.option(anyValue, { nil: null }), { maxLength: 200 }),
          }),
        ),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 400 }),
        ({ keyed, values }, intern, stepped, budget) => {
          const column = new RankedStringColumn(
            compare,
            0,
            keyed ? asciiCollationKey(collator) : null,
            intern,
          );
          column.grow(values.length);
          values.forEach((v, row) => column.set(row, v));
          if (stepped) for (const _ of column.prepareInSteps(budget));
          else column.prepareRanks();
          expect(column.prepared).toBe(true);
          const rows = values.map((_, row) => row);
          const nonNull = rows.filter((row) => values[row] !== null);
          const reference = [
            ...nonNull.sort((a, b) => compare(values[a] as string, values[b] as string)),
            ...rows.filter((row) => values[row] === null),
          ];
          expect(orderByRank(column, values.length)).toEqual(reference);
          for (let i = 1; i < nonNull.length; i += 1) {
            const [a, b] = [reference[i - 1] as number, reference[i] as number];
            const tie = compare(values[a] as string, values[b] as string) === 0;
            expect(column.rank(a) === column.rank(b)).toBe(tie);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('RankedStringColumn.prepareInSteps work per step', () => {
  const random = (() => {
    let state = 7;
    return () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 2 ** 32;
    };
  })();
  const word = (length: number) =>
    Array.from({ length }, () => 'abcdefghijklmnopqrstuvwxyz0123456789.'[Math.floor(random() * 37)]).join('');

  it('bounds the collator comparisons of every step by the budget (a collator call counts as twenty units)', () => {
    let calls = 0;
    const counting = (a: string, b: string) => {
      calls += 1;
      return compare(a, b);
    };
    const column = new RankedStringColumn(counting, 0, null, false);
    const rows = 6_000;
    column.grow(rows);
    // Ties included: every value appears about twice.
    for (let row = 0; row < rows; row += 1) column.set(row, `${word(3)}${row % 3_000}`);
    const budget = 2_000;
    const perStep: number[] = [];
    const steps = column.prepareInSteps(budget);
    for (;;) {
      calls = 0;
      const done = steps.next().done === true;
      perStep.push(calls);
      if (done) break;
    }
    const total = perStep.reduce((sum, n) => sum + n, 0);
    // A sort of 6,000 values needs tens of thousands of comparisons: many steps, none over ~2× its share.
    expect(total).toBeGreaterThan(rows * 8);
    expect(Math.max(...perStep)).toBeLessThanOrEqual((2 * budget) / 20);
    expect(perStep.length).toBeGreaterThan(total / ((2 * budget) / 20));
    expect(column.prepared).toBe(true);
  });

  it('bounds the keys packed per step, and yields through the sort, merge and rank passes of a keyed column', () => {
    const key = asciiCollationKey(collator);
    if (key === null) throw new Error('the en collator has an address key');
    let writes = 0;
    const countingKey = Object.assign((value: string) => key(value), {
      write: (value: string, out: Uint8Array, at: number) => {
        writes += 1;
        return key.write(value, out, at);
      },
    });
    const column = new RankedStringColumn(compare, 0, countingKey, false);
    const rows = 40_000;
    column.grow(rows);
    for (let row = 0; row < rows; row += 1) column.set(row, `${word(6)}.${row}@x.edu`);
    const budget = 4_000;
    const writesPerStep: number[] = [];
    let steps = 0;
    for (const _ of column.prepareInSteps(budget)) {
      writesPerStep.push(writes);
      writes = 0;
      steps += 1;
    }
    expect(Math.max(...writesPerStep)).toBeLessThanOrEqual(budget / 4);
    // Keys alone take rows / (budget / 4) steps; sorting (≈ rows × log2 rows units), equality and ranks take more.
    expect(steps).toBeGreaterThan((rows * 16) / budget);
    expect(column.prepared).toBe(true);
  });
});
