import type { DatabaseSync, StatementSync } from 'node:sqlite';

/**
 * Days an announcement went out (markers on the dashboard's chart). The announcement feature
 * records a day when it sends; dates are YYYY-MM-DD in the platform's time zone. Not personal.
 */
export class AnnouncementDaysTable {
  readonly #record: StatementSync;
  readonly #range: StatementSync;

  constructor(db: DatabaseSync) {
    this.#record = db.prepare(
      'INSERT INTO announcement_days (date, recorded_at) VALUES (?, ?) ON CONFLICT (date) DO NOTHING',
    );
    this.#range = db.prepare(
      'SELECT date FROM announcement_days WHERE date >= ? AND date <= ? ORDER BY date',
    );
  }

  record(date: string, recordedAt: string): void {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
      throw new RangeError(`An announcement day is YYYY-MM-DD, not "${date}".`);
    this.#record.run(date, recordedAt);
  }

  /** Days from `from` to `to` inclusive, oldest first. */
  list(from: string, to: string): string[] {
    return (this.#range.all(from, to) as Array<{ date: string }>).map((row) => row.date);
  }
}
