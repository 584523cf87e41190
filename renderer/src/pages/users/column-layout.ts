/**
 * Widths of the Users table's columns: each sized to its content, all within the page.
 *
 * - A column the operator resized keeps that width.
 * - When everything fits, the spare room goes to the other columns in proportion to their content,
 *   so the table fills the page.
 * - When it does not fit, the columns marked `yields` (names, addresses) give way first, the widest
 *   of them first (a common cap, "water filling"), down to their minimum; only if that is not enough
 *   do the others give way too, the widest first. So one long email never pushes Last sync and
 *   Error off the page; a cut value ends in an ellipsis and stays readable in its tooltip and the
 *   detail panel.
 * - Only if every column is at its minimum and there is still too little room does the table scroll.
 */
export interface ColumnNeed {
  /** Width the content asks for, padding included (px). */
  content: number;
  /** Narrowest useful width (px). */
  min: number;
  /** A width the operator chose, or undefined. */
  fixed?: number | undefined;
  /** Gives way first (long free text: names, addresses), so short columns keep their whole content. */
  yields?: boolean | undefined;
}

export function layoutColumns(columns: readonly ColumnNeed[], available: number): number[] {
  const fixedTotal = columns.reduce((sum, c) => sum + (c.fixed ?? 0), 0);
  const flexible = columns.map((c, i) => (c.fixed === undefined ? i : -1)).filter((i) => i >= 0);
  const room = available - fixedTotal;
  const want = (i: number) => Math.max(columns[i]!.min, columns[i]!.content);
  const wanted = flexible.reduce((sum, i) => sum + want(i), 0);
  const widths = columns.map((c) => c.fixed ?? 0);
  if (flexible.length === 0) return widths;
  if (wanted <= room) {
    const extra = room - wanted;
    for (const i of flexible) widths[i] = Math.floor(want(i) + (extra * want(i)) / wanted);
    return widths;
  }
  const yielding = flexible.filter((i) => columns[i]!.yields === true);
  const firm = flexible.filter((i) => columns[i]!.yields !== true);
  const firmWant = firm.reduce((sum, i) => sum + want(i), 0);
  if (yielding.length > 0 && firm.length > 0) {
    const yieldingMin = yielding.reduce((sum, i) => sum + columns[i]!.min, 0);
    if (firmWant + yieldingMin <= room) {
      for (const i of firm) widths[i] = want(i);
      waterFill(columns, yielding, room - firmWant, widths);
      return widths;
    }
    // Not even then: the yielding columns at their minimum, the others share what is left.
    for (const i of yielding) widths[i] = columns[i]!.min;
    const left = room - yieldingMin;
    const firmMin = firm.reduce((sum, i) => sum + columns[i]!.min, 0);
    if (firmMin >= left) for (const i of firm) widths[i] = columns[i]!.min;
    else waterFill(columns, firm, left, widths);
    return widths;
  }
  const minimum = flexible.reduce((sum, i) => sum + columns[i]!.min, 0);
  if (minimum >= room) {
    for (const i of flexible) widths[i] = columns[i]!.min;
    return widths;
  }
  waterFill(columns, flexible, room, widths);
  return widths;
}

/** Sizes `which` within `room` by the largest common cap at which their capped widths fit (each at least its min). */
function waterFill(
  columns: readonly ColumnNeed[],
  which: readonly number[],
  room: number,
  widths: number[],
): void {
  const want = (i: number) => Math.max(columns[i]!.min, columns[i]!.content);
  const fitted = (cap: number) =>
    which.reduce((sum, i) => sum + Math.max(columns[i]!.min, Math.min(want(i), cap)), 0);
  let low = 0;
  let high = Math.max(...which.map(want));
  for (let step = 0; step < 30; step += 1) {
    const mid = (low + high) / 2;
    if (fitted(mid) <= room) low = mid;
    else high = mid;
  }
  for (const i of which) widths[i] = Math.floor(Math.max(columns[i]!.min, Math.min(want(i), low)));
}
