import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RosterQueryResult, RosterRow } from '../../../../shared/contract/index.ts';
import { RowSource } from './row-source.ts';

const TOTAL = 100_000;
const facets = { role: {}, status: {}, provider: {}, error: {}, syncAge: {} } as RosterQueryResult['facets'];
const rowAt = (i: number) => ({ userId: `u${i}` }) as RosterRow;

function fakeWindow() {
  const calls: { offset: number; limit: number; resolve: () => void }[] = [];
  const fetchWindow = (offset: number, limit: number) =>
    new Promise<RosterQueryResult>((resolve) => {
      const rows = Array.from({ length: Math.max(0, Math.min(limit, TOTAL - offset)) }, (_, k) =>
        rowAt(offset + k),
      );
      calls.push({ offset, limit, resolve: () => resolve({ total: TOTAL, offset, rows, facets }) });
    });
  return { calls, fetchWindow };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('RowSource', () => {
  it('asks for the first block before it knows the total', async () => {
    const fake = fakeWindow();
    const source = new RowSource({ fetchWindow: fake.fetchWindow });
    source.want(0, 0, 0, 0);
    await vi.advanceTimersByTimeAsync(50);
    expect(fake.calls.map((c) => [c.offset, c.limit])).toEqual([[0, 100]]);
    fake.calls[0]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(source.getSnapshot().total).toBe(TOTAL);
    expect(source.row(42)?.userId).toBe('u42');
  });

  it('asks again after the roster changed while it had no rows (a cleared cache refilling)', async () => {
    let total = 0;
    const calls: Array<() => void> = [];
    const source = new RowSource({
      fetchWindow: (offset, limit) =>
        new Promise<RosterQueryResult>((resolve) => {
          const rows = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, k) =>
            rowAt(offset + k),
          );
          calls.push(() => resolve({ total, offset, rows, facets }));
        }),
    });
    source.want(0, 0, 0, 0);
    await vi.advanceTimersByTimeAsync(50);
    calls.shift()!();
    await vi.advanceTimersByTimeAsync(0);
    expect(source.getSnapshot().total).toBe(0);
    // An empty grid wants no rows.
    source.want(0, 0, 0, 0);
    await vi.advanceTimersByTimeAsync(50);
    expect(calls).toHaveLength(0);
    total = 250;
    source.invalidate();
    expect(calls).toHaveLength(1);
    calls.shift()!();
    await vi.advanceTimersByTimeAsync(0);
    expect(source.getSnapshot().total).toBe(250);
    expect(source.row(7)?.userId).toBe('u7');
  });

  it('asks again when the roster changed while a window was on its way (its answer is already old)', async () => {
    const fake = fakeWindow();
    const source = new RowSource({ fetchWindow: fake.fetchWindow });
    source.want(0, 20, 0, 12);
    await vi.advanceTimersByTimeAsync(50);
    fake.calls[0]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    source.invalidate();
    expect(fake.calls).toHaveLength(2);
    // A second change lands while the refetch is in flight.
    source.invalidate();
    expect(fake.calls).toHaveLength(2);
    fake.calls[1]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.calls.map((c) => [c.offset, c.limit])).toEqual([
      [0, 100],
      [0, 100],
      [0, 100],
    ]);
  });

  it('debounces a burst of scrolling into one round for where the user stopped', async () => {
    const fake = fakeWindow();
    const source = new RowSource({ fetchWindow: fake.fetchWindow });
    source.want(0, 20, 0, 12);
    await vi.advanceTimersByTimeAsync(50);
    fake.calls[0]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    fake.calls.length = 0;
    // Fling through 50,000 rows in 10 ms steps: nothing is asked until the scrolling settles.
    for (let top = 1000; top < 50_000; top += 1000) {
      source.want(top - 8, top + 20, top, top + 12);
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(fake.calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(50);
    expect(fake.calls.map((c) => [c.offset, c.limit])).toEqual([[48_900, 200]]);
  });

  it('ignores answers that arrive after it was disposed (a new filter)', async () => {
    const fake = fakeWindow();
    const source = new RowSource({ fetchWindow: fake.fetchWindow });
    const seen = vi.fn();
    source.subscribe(seen);
    source.want(0, 20, 0, 12);
    await vi.advanceTimersByTimeAsync(50);
    source.dispose();
    fake.calls[0]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(source.row(0)).toBeUndefined();
    expect(seen).not.toHaveBeenCalled();
  });

  it('resolves a shift-click range across rows never fetched, and refuses huge ones', async () => {
    const fake = fakeWindow();
    const source = new RowSource({ fetchWindow: fake.fetchWindow });
    const ids = source.idsInRange(250, 1_450);
    await vi.advanceTimersByTimeAsync(0);
    fake.calls[0]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    fake.calls[1]!.resolve();
    const result = await ids;
    expect(fake.calls.map((c) => [c.offset, c.limit])).toEqual([
      [200, 1000],
      [1200, 300],
    ]);
    expect(result).toHaveLength(1_201);
    expect(result[0]).toBe('u250');
    await expect(source.idsInRange(0, 30_000)).rejects.toThrow(/Select all matching/);
  });
});
