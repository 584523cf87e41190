import type { DatabaseSync } from 'node:sqlite';
import type { FieldSealer } from '../crypto/field-sealing.ts';
import { RosterMetaTable, type RosterMeta } from './roster-meta-table.ts';
import { RosterTable, type RosterRow } from './roster-table.ts';
import { inTransaction } from './sqlite-database.ts';

/**
 * A full sync writes into `roster_staging` page by page (each page its own short transaction, so
 * the console's other writers never wait long) and only `promote()` replaces the live roster, in
 * one transaction with the book-keeping. A sync that fails midway leaves the live roster and its
 * watermark exactly as they were; the half-filled staging table is cleared by the next attempt.
 */
export class RosterStaging {
  readonly #db: DatabaseSync;
  readonly #table: RosterTable;
  /** The first chunk id of the sync being staged (see `dropReplacedChunks`). */
  #firstChunk: number | null = null;

  constructor(db: DatabaseSync, sealer: FieldSealer) {
    this.#db = db;
    this.#table = new RosterTable(db, sealer, 'roster_staging');
  }

  /** Empties the staging table for a new full sync. */
  begin(): void {
    inTransaction(this.#db, () => this.#table.clear());
    this.#firstChunk = this.#table.nextChunkId();
  }

  /**
   * Appends one batch of rows (in the platform's order, which becomes the roster's order), their
   * personal fields sealed together as one chunk.
   */
  append(rows: readonly RosterRow[]): number {
    return this.#table.upsertSealedTogether(rows);
  }

  /**
   * After `promote`: deletes the sealed chunks made before this sync began (the replaced roster's,
   * and those of syncs that failed midway), which no row points at any more.
   */
  dropReplacedChunks(): number {
    const first = this.#firstChunk;
    this.#firstChunk = null;
    return first === null ? 0 : this.#table.deleteChunksBefore(first);
  }

  count(): number {
    return this.#table.count();
  }

  /**
   * Makes the staging table the roster and records `meta`, atomically: the old table is dropped
   * (secure_delete zeroes its pages) and an empty staging table is created from the roster's own
   * definition, so the two never drift apart. Statements prepared on `roster_staging` are
   * re-prepared by SQLite against the new, empty staging table. The old roster's sealed chunks stay
   * until `dropReplacedChunks`, which the sync runs once its result has gone out.
   */
  promote(meta: Partial<RosterMeta>): number {
    return inTransaction(this.#db, () => {
      this.#db.exec('DROP TABLE roster');
      this.#db.exec('ALTER TABLE roster_staging RENAME TO roster');
      const definition = this.#db
        .prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'roster'")
        .get() as { sql: string } | undefined;
      if (definition === undefined) throw new Error('The roster table vanished during the swap.');
      this.#db.exec(
        definition.sql.replace(/^CREATE TABLE\s+(?:"roster"|roster)/, 'CREATE TABLE roster_staging'),
      );
      new RosterMetaTable(this.#db).set(meta);
      return (this.#db.prepare('SELECT COUNT(*) AS n FROM roster').get() as { n: number }).n;
    });
  }
}
