/**
 * Widths of the Users table's columns: each sized to its content, all within the page.
 *
 * - A column the operator resized keeps that width.
 * - When everything fits, the spare room goes to the other columns in proportion to their content,
 *   so the table fills the page.
 * - When it does not fit, the widest columns give way first (a common cap, "water filling") down to
 *   their minimum, so one long email never pushes Last sync and Error off the page; a cut value
 *   ends in an ellipsis and stays readable in its tooltip and the detail panel.
 * - Only if every column is at its minimum and there is still too little room does the table scroll.
 */
export interface ColumnNeed {
  /** Width the content asks for, padding included (px). */
  content: number;
  /** Narrowest useful width (px). */
  min: number;
  /** A width the operator chose, or undefined. */
  fixed?: number | undefined;
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
  const minimum = flexible.reduce((sum, i) => sum + columns[i]!.min, 0);
  if (minimum >= room) {
    for (const i of flexible) widths[i] = columns[i]!.min;
    return widths;
  }
  // The largest cap at which the capped widths still fit.
  const fitted = (cap: number) =>
    flexible.reduce((sum, i) => sum + Math.max(columns[i]!.min, Math.min(want(i), cap)), 0);
  let low = 0;
  let high = Math.max(...flexible.map(want));
  for (let step = 0; step < 30; step += 1) {
    const mid = (low + high) / 2;
    if (fitted(mid) <= room) low = mid;
    else high = mid;
  }
  for (const i of flexible) widths[i] = Math.floor(Math.max(columns[i]!.min, Math.min(want(i), low)));
  return widths;
}
