import type { DatabaseSync } from 'node:sqlite';
import { FieldSealer } from '../crypto/field-sealing.ts';
import type { RosterWriterSession } from './encrypted-store.ts';
import { RosterMetaTable, type RosterMeta } from './roster-meta-table.ts';
import { RosterStaging } from './roster-staging.ts';
import { RosterTable, type RosterRow } from './roster-table.ts';
import { inTransaction, openDatabase } from './sqlite-database.ts';

/**
 * The roster cache as the sync worker sees it: its own SQLite connection to a database the main
 * thread's EncryptedStore has already opened, checked and migrated, and a sealer built from the
 * key that store handed over. Only the worker writes roster rows; the main thread never does.
 */
export class RosterWriter {
  readonly #db: DatabaseSync;
  readonly roster: RosterTable;
  readonly staging: RosterStaging;
  readonly meta: RosterMetaTable;

  private constructor(db: DatabaseSync, sealer: FieldSealer) {
    this.#db = db;
    this.roster = new RosterTable(db, sealer);
    this.staging = new RosterStaging(db, sealer);
    this.meta = new RosterMetaTable(db);
  }

  static open(session: RosterWriterSession): RosterWriter {
    const db = openDatabase(session.databasePath);
    try {
      const sealer = new FieldSealer(session.dataKey);
      return new RosterWriter(db, sealer);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /**
   * An incremental refresh's rows and its new book-keeping, in one transaction. Its commit does not
   * run SQLite's automatic WAL checkpoint (≈20 ms after a full sync's pages, more than the writes
   * themselves): call `checkpoint` once the refresh's result is on its way.
   */
  commitIncremental(rows: readonly RosterRow[], meta: Partial<RosterMeta>): void {
    const db = this.#db;
    const automatic = (db.prepare('PRAGMA wal_autocheckpoint').get() as { wal_autocheckpoint: number })
      .wal_autocheckpoint;
    db.exec('PRAGMA wal_autocheckpoint = 0');
    try {
      inTransaction(db, () => {
        this.roster.upsertManyInTransaction(rows);
        this.meta.set(meta);
      });
    } finally {
      db.exec(`PRAGMA wal_autocheckpoint = ${Number(automatic)}`);
    }
  }

  /** Copies committed WAL pages into the database, without waiting for readers (what the automatic checkpoint does). */
  checkpoint(): void {
    if (this.#db.isOpen) this.#db.exec('PRAGMA wal_checkpoint(PASSIVE)');
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
