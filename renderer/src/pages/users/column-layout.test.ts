import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layoutColumns } from './column-layout.ts';

describe('column layout', () => {
  it('gives spare room in proportion and keeps resized columns', () => {
    expect(
      layoutColumns(
        [
          { content: 100, min: 50 },
          { content: 300, min: 50 },
        ],
        800,
      ),
    ).toEqual([200, 600]);
    expect(
      layoutColumns(
        [
          { content: 100, min: 50, fixed: 80 },
          { content: 300, min: 50 },
        ],
        800,
      ),
    ).toEqual([80, 720]);
  });

  it('narrows the widest columns first when the content does not fit', () => {
    // Email wants 400, the others little: email gives way, the short columns keep their content width.
    const widths = layoutColumns(
      [
        { content: 120, min: 80 },
        { content: 400, min: 100 },
        { content: 90, min: 60 },
        { content: 110, min: 80 },
      ],
      600,
    );
    expect(widths.slice(2)).toEqual([90, 110]);
    expect(widths.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(600);
    expect(widths[1]).toBeGreaterThan(widths[0]!);
  });

  it('lets names and addresses give way before the short columns', () => {
    const widths = layoutColumns(
      [
        { content: 200, min: 90, yields: true },
        { content: 300, min: 100, yields: true },
        { content: 180, min: 60 },
        { content: 150, min: 60 },
      ],
      600,
    );
    expect(widths.slice(2)).toEqual([180, 150]);
    expect(widths[0]! + widths[1]!).toBeLessThanOrEqual(270);
    // Too little room even so: the yielding ones at their minimum, the others share the rest.
    const tight = layoutColumns(
      [
        { content: 200, min: 90, yields: true },
        { content: 180, min: 60 },
        { content: 150, min: 60 },
      ],
      300,
    );
    expect(tight[0]).toBe(90);
    expect(tight.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(300);
  });

  it('never exceeds the room unless every column is at its minimum, and never goes below a minimum', () => {
    const column = fc.record({
      content: fc.integer({ min: 0, max: 600 }),
      min: fc.integer({ min: 20, max: 120 }),
      fixed: fc.option(fc.integer({ min: 40, max: 300 }), { nil: undefined }),
      yields: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(column, { minLength: 1, maxLength: 9 }),
        fc.integer({ min: 100, max: 2000 }),
        (cols, room) => {
          const widths = layoutColumns(cols, room);
          const sum = widths.reduce((a, b) => a + b, 0);
          const floor = cols.reduce((a, c) => a + (c.fixed ?? c.min), 0);
          if (floor <= room) expect(sum).toBeLessThanOrEqual(room);
          cols.forEach((c, i) => {
            if (c.fixed !== undefined) expect(widths[i]).toBe(c.fixed);
            else expect(widths[i]).toBeGreaterThanOrEqual(c.min);
          });
        },
      ),
    );
  });
});
