import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { peekNextCursor } from './cursor-peek.ts';

const cursor = fc.option(fc.string({ unit: 'binary', maxLength: 300 }), { nil: null });
const items = fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 5 });

describe('peekNextCursor', () => {
  it('reads exactly the cursor JSON.parse would give, for any cursor and items', () => {
    fc.assert(
      fc.property(items, cursor, (list, next) => {
        expect(peekNextCursor(JSON.stringify({ items: list, nextCursor: next }))).toBe(next);
      }),
    );
  });

  it('allows whitespace around the last member (pretty-printed replies)', () => {
    fc.assert(
      fc.property(items, cursor, (list, next) => {
        expect(peekNextCursor(`${JSON.stringify({ items: list, nextCursor: next }, null, 2)}\n`)).toBe(next);
      }),
    );
  });

  it('never claims a cursor it cannot see: other layouts answer undefined', () => {
    // nextCursor first, nested in the last item, in a trailing object, or the text cut short.
    expect(peekNextCursor('{"nextCursor":"c2","items":[]}')).toBeUndefined();
    expect(peekNextCursor('{"items":[{"nextCursor":"evil"}]}')).toBeUndefined();
    expect(peekNextCursor('{"items":[],"meta":{"nextCursor":"evil"}}')).toBeUndefined();
    expect(peekNextCursor('{"items":[],"nextCursor":"c2')).toBeUndefined();
    expect(peekNextCursor('{"items":[],"nextCursor":42}')).toBeUndefined();
    expect(peekNextCursor('')).toBeUndefined();
  });

  it('does not mistake an escaped look-alike inside the cursor for the member itself', () => {
    const next = 'a","nextCursor":"b';
    expect(peekNextCursor(JSON.stringify({ items: [], nextCursor: next }))).toBe(next);
  });

  it('looks only at the end of a long page', () => {
    const big = {
      items: Array.from({ length: 2_000 }, (_, i) => ({ userId: `u_${i}`, note: 'x'.repeat(200) })),
    };
    expect(peekNextCursor(JSON.stringify({ ...big, nextCursor: 'next' }))).toBe('next');
  });
});
