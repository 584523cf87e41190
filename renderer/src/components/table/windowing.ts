/**
 * The arithmetic of a virtualized list with fixed-height rows. Browsers cap an element's height
 * (Chromium near 33.5 million px, Firefox near 17.9 million), and a million 36 px rows is 36
 * million, so past MAX_SCROLL_HEIGHT the scrollbar is scaled: its full travel still maps onto
 * the whole list, and rows are positioned relative to the scroll offset instead of at i × height.
 */
export const MAX_SCROLL_HEIGHT = 8_000_000;

export interface WindowInput {
  rowCount: number;
  rowHeight: number;
  viewportHeight: number;
  scrollTop: number;
  /** Rows rendered beyond each edge, so a small scroll never shows a gap. */
  overscan: number;
}

export interface RowWindow {
  /** First rendered row (inclusive) and last (exclusive), overscan included. */
  start: number;
  end: number;
  /** The rows really on screen, without overscan: what must be fetched first. */
  visibleStart: number;
  visibleEnd: number;
  /** Height of the scrolling content. */
  scrollHeight: number;
  /** Where row `start` sits in the content; row i sits at `offset + (i - start) * rowHeight`. */
  offset: number;
}

export function contentHeight(rowCount: number, rowHeight: number): number {
  return Math.min(rowCount * rowHeight, MAX_SCROLL_HEIGHT);
}

/** The scroll position in "virtual" pixels, as if the content had its full height. */
function virtualTop(
  input: Pick<WindowInput, 'rowCount' | 'rowHeight' | 'viewportHeight' | 'scrollTop'>,
): number {
  const full = input.rowCount * input.rowHeight;
  const real = contentHeight(input.rowCount, input.rowHeight);
  const top = Math.max(0, input.scrollTop);
  if (full <= real) return top;
  const realTravel = Math.max(1, real - input.viewportHeight);
  const fullTravel = Math.max(0, full - input.viewportHeight);
  return (Math.min(top, realTravel) / realTravel) * fullTravel;
}

export function computeWindow(input: WindowInput): RowWindow {
  const { rowCount, rowHeight, viewportHeight, overscan } = input;
  const scrollHeight = contentHeight(rowCount, rowHeight);
  if (rowCount <= 0 || rowHeight <= 0) {
    return { start: 0, end: 0, visibleStart: 0, visibleEnd: 0, scrollHeight: 0, offset: 0 };
  }
  const vTop = virtualTop(input);
  const visibleStart = Math.min(rowCount - 1, Math.floor(vTop / rowHeight));
  const visibleEnd = Math.min(rowCount, Math.ceil((vTop + Math.max(0, viewportHeight)) / rowHeight));
  const start = Math.max(0, visibleStart - overscan);
  const end = Math.min(rowCount, Math.max(visibleEnd, visibleStart + 1) + overscan);
  // Real position = real scroll offset + the row's distance from the virtual top.
  const offset = Math.max(0, input.scrollTop) + (start * rowHeight - vTop);
  return {
    start,
    end,
    visibleStart,
    visibleEnd: Math.max(visibleEnd, visibleStart + 1),
    scrollHeight,
    offset,
  };
}

/**
 * The scrollTop that brings row `index` fully into view with the least movement, or null when it
 * is already visible. Used by keyboard navigation.
 */
export function scrollTopToReveal(
  index: number,
  input: Pick<WindowInput, 'rowCount' | 'rowHeight' | 'viewportHeight' | 'scrollTop'>,
): number | null {
  const { rowCount, rowHeight, viewportHeight } = input;
  const vTop = virtualTop(input);
  const rowTop = index * rowHeight;
  let target: number;
  if (rowTop < vTop) target = rowTop;
  else if (rowTop + rowHeight > vTop + viewportHeight) target = rowTop + rowHeight - viewportHeight;
  else return null;
  const full = rowCount * rowHeight;
  const real = contentHeight(rowCount, rowHeight);
  if (full <= real) return Math.max(0, target);
  const realTravel = Math.max(1, real - viewportHeight);
  const fullTravel = Math.max(1, full - viewportHeight);
  return Math.max(0, Math.min(realTravel, (target / fullTravel) * realTravel));
}

/** Rows per screen, for Page Up / Page Down. */
export function rowsPerPage(viewportHeight: number, rowHeight: number): number {
  return Math.max(1, Math.floor(viewportHeight / rowHeight) - 1);
}

/** The block numbers covering rows [start, end). */
export function blocksCovering(start: number, end: number, blockSize: number): number[] {
  if (end <= start) return [];
  const first = Math.floor(start / blockSize);
  const last = Math.floor((end - 1) / blockSize);
  const out: number[] = [];
  for (let b = first; b <= last; b += 1) out.push(b);
  return out;
}

export interface FetchRun {
  offset: number;
  limit: number;
  blocks: number[];
}

/**
 * Coalesces missing blocks into as few requests as possible: neighbouring blocks become one
 * request, up to `maxRows` rows (the contract's window limit). Blocks are given in priority order
 * (visible first); runs are returned in that order too.
 */
export function coalesceBlocks(blocks: readonly number[], blockSize: number, maxRows: number): FetchRun[] {
  const perRun = Math.max(1, Math.floor(maxRows / blockSize));
  const sorted = [...new Set(blocks)].sort((a, b) => a - b);
  const runs: number[][] = [];
  for (const block of sorted) {
    const current = runs.at(-1);
    const last = current?.at(-1);
    if (current && last !== undefined && block === last + 1 && current.length < perRun) current.push(block);
    else runs.push([block]);
  }
  const priority = new Map(blocks.map((b, i) => [b, i]));
  runs.sort(
    (a, b) =>
      Math.min(...a.map((x) => priority.get(x) ?? 0)) - Math.min(...b.map((x) => priority.get(x) ?? 0)),
  );
  return runs.map((run) => ({
    offset: (run[0] ?? 0) * blockSize,
    limit: run.length * blockSize,
    blocks: run,
  }));
}
