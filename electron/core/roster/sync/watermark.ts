import type { Connection } from '../../../../shared/domain/platform.ts';

/**
 * How far before the watermark an incremental refresh starts. A platform may commit a change with
 * an `updatedAt` slightly earlier than a change we already saw (clock skew between its servers,
 * a transaction that took a while), so asking from exactly the watermark could skip it. Refetching
 * a couple of minutes of changes twice is cheap; missing one is not.
 */
export const WATERMARK_OVERLAP_MS = 2 * 60_000;

/** The later of `current` and every row's `updatedAt`, compared as instants (offsets may differ). */
export function maxTimestamp(
  current: string | null,
  rows: readonly Pick<Connection, 'updatedAt'>[],
): string | null {
  let best = current;
  let bestMs = current === null ? Number.NEGATIVE_INFINITY : Date.parse(current);
  for (const row of rows) {
    const ms = Date.parse(row.updatedAt);
    if (ms > bestMs) {
      bestMs = ms;
      best = row.updatedAt;
    }
  }
  return best;
}

/** An incremental refresh never moves the watermark back, even if it saw only older rows. */
export function incrementalWatermark(previous: string | null, seen: string | null): string | null {
  if (previous === null) return seen;
  if (seen === null) return previous;
  return Date.parse(seen) > Date.parse(previous) ? seen : previous;
}

/** The `updatedSince` of the next refresh: the watermark minus the overlap, as UTC ISO. */
export function updatedSinceFor(watermark: string): string {
  return new Date(Date.parse(watermark) - WATERMARK_OVERLAP_MS).toISOString();
}
