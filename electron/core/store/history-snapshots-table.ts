import type { DatabaseSync, StatementSync } from 'node:sqlite';

/**
 * One day's counts, either as the platform reported them (`GET /migration/history`) or as the
 * console computed them from its own cache (`local`) when the platform's history has a gap.
 * Counts only: nothing here is personal, so it is stored in clear.
 */
export interface HistorySnapshot {
  /** Calendar date, YYYY-MM-DD, in the migration's time zone. */
  date: string;
  source: 'platform' | 'local';
  counts: unknown;
  recordedAt: string;
}

export class HistorySnapshotsTable {
  readonly #upsert: StatementSync;
  readonly #range: StatementSync;

  constructor(db: DatabaseSync) {
    this.#upsert =
      db.prepare(`INSERT INTO history_snapshots (date, source, counts, recorded_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (date, source) DO UPDATE SET counts = excluded.counts, recorded_at = excluded.recorded_at`);
    this.#range = db.prepare(
      'SELECT date, source, counts, recorded_at FROM history_snapshots WHERE date >= ? AND date <= ? ORDER BY date, source',
    );
  }

  put(snapshot: HistorySnapshot): void {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(snapshot.date))
      throw new RangeError(`A snapshot date is YYYY-MM-DD, not "${snapshot.date}".`);
    this.#upsert.run(snapshot.date, snapshot.source, JSON.stringify(snapshot.counts), snapshot.recordedAt);
  }

  /** Snapshots from `from` to `to` inclusive (YYYY-MM-DD), oldest first. */
  list(from: string, to: string): HistorySnapshot[] {
    return (
      this.#range.all(from, to) as Array<{
        date: string;
        source: 'platform' | 'local';
        counts: string;
        recorded_at: string;
      }>
    ).map((row) => ({
      date: row.date,
      source: row.source,
      counts: JSON.parse(row.counts) as unknown,
      recordedAt: row.recorded_at,
    }));
  }
}
