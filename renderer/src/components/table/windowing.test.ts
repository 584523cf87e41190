import { describe, expect, it } from 'vitest';
import {
  blocksCovering,
  coalesceBlocks,
  computeWindow,
  MAX_SCROLL_HEIGHT,
  rowsPerPage,
  scrollTopToReveal,
} from './windowing.ts';

const base = { rowHeight: 40, viewportHeight: 400, overscan: 5 };

describe('windowing', () => {
  it('renders the visible rows plus overscan, clamped to the list', () => {
    const top = computeWindow({ ...base, rowCount: 1000, scrollTop: 0 });
    expect(top).toMatchObject({
      start: 0,
      end: 15,
      visibleStart: 0,
      visibleEnd: 10,
      scrollHeight: 40_000,
      offset: 0,
    });
    const mid = computeWindow({ ...base, rowCount: 1000, scrollTop: 4020 });
    expect(mid).toMatchObject({ start: 95, end: 116, visibleStart: 100, visibleEnd: 111 });
    // Row `start` sits at its natural place when nothing is scaled.
    expect(mid.offset).toBe(95 * 40);
    const end = computeWindow({ ...base, rowCount: 1000, scrollTop: 39_600 });
    expect(end.end).toBe(1000);
    expect(computeWindow({ ...base, rowCount: 0, scrollTop: 0 })).toMatchObject({
      start: 0,
      end: 0,
      scrollHeight: 0,
    });
  });

  it('scales a million rows into a scrollable height and still reaches the last row', () => {
    const rowCount = 1_000_000;
    const bottom = MAX_SCROLL_HEIGHT - base.viewportHeight;
    const last = computeWindow({ ...base, rowCount, scrollTop: bottom });
    expect(last.scrollHeight).toBe(MAX_SCROLL_HEIGHT);
    expect(last.visibleEnd).toBe(rowCount);
    expect(last.end).toBe(rowCount);
    // The last row's bottom lines up with the viewport's bottom.
    expect(last.offset + (rowCount - 1 - last.start) * 40 + 40).toBeCloseTo(bottom + base.viewportHeight, 6);
    const half = computeWindow({ ...base, rowCount, scrollTop: bottom / 2 });
    expect(half.visibleStart).toBeGreaterThan(499_000);
    expect(half.visibleStart).toBeLessThan(501_000);
  });

  it('reveals a row with the least scrolling, scaled or not', () => {
    const input = { rowCount: 1000, rowHeight: 40, viewportHeight: 400, scrollTop: 400 };
    expect(scrollTopToReveal(12, input)).toBeNull();
    expect(scrollTopToReveal(5, input)).toBe(200);
    expect(scrollTopToReveal(30, input)).toBe(31 * 40 - 400);
    const big = { rowCount: 1_000_000, rowHeight: 40, viewportHeight: 400, scrollTop: 0 };
    const top = scrollTopToReveal(999_999, big)!;
    const win = computeWindow({ ...big, scrollTop: top, overscan: 0 });
    expect(win.visibleEnd).toBe(1_000_000);
    expect(rowsPerPage(400, 40)).toBe(9);
  });

  it('coalesces neighbouring blocks up to the window limit, visible ones first', () => {
    expect(blocksCovering(95, 216, 100)).toEqual([0, 1, 2]);
    expect(blocksCovering(5, 5, 100)).toEqual([]);
    const runs = coalesceBlocks([7, 8, 3, 4, 5, 20], 100, 1000);
    expect(runs).toEqual([
      { offset: 700, limit: 200, blocks: [7, 8] },
      { offset: 300, limit: 300, blocks: [3, 4, 5] },
      { offset: 2000, limit: 100, blocks: [20] },
    ]);
    const capped = coalesceBlocks([0, 1, 2, 3, 4], 100, 300);
    expect(capped.map((r) => r.limit)).toEqual([300, 200]);
  });
});
