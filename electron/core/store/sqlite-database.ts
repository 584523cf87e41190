import { DatabaseSync } from 'node:sqlite';

/** SQLite primary result codes that mean "the file is damaged", not "the query is wrong". */
const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;

/** True for errors that say the database file itself is damaged (torn write, truncation, garbage). */
export function isDamagedDatabaseError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const errcode = (error as { errcode?: unknown }).errcode;
  if (typeof errcode === 'number') {
    const primary = errcode & 0xff;
    if (primary === SQLITE_CORRUPT || primary === SQLITE_NOTADB) return true;
  }
  const message = error instanceof Error ? error.message : '';
  return /malformed|not a database|file is encrypted|database corruption/i.test(message);
}

/**
 * Opens the operational database with the settings every connection needs: WAL (readers never
 * block the writer, and a crash mid-write leaves the last committed state), NORMAL sync (safe
 * against corruption in WAL mode; at worst the last transaction before a power cut is lost),
 * foreign keys, and temporary tables in memory so nothing spills to unnamed files.
 */
export function openDatabase(path: string): DatabaseSync {
  const db = new DatabaseSync(path, { enableForeignKeyConstraints: true, timeout: 5000 });
  try {
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA temp_store = MEMORY');
    // Freed pages are overwritten with zeros, so data deleted from a table does not linger in the file.
    db.exec('PRAGMA secure_delete = ON');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * `PRAGMA quick_check`: reads every page once (O(size), well under a second for a 100k-row roster)
 * and finds truncation and torn pages before the console trusts the file. Returns the problems
 * SQLite reported, or an empty list when the file is sound. Throws when SQLite cannot even read it.
 */
export function quickCheck(db: DatabaseSync): string[] {
  const rows = db.prepare('PRAGMA quick_check').all() as Array<Record<string, unknown>>;
  const lines = rows.map((row) => String(Object.values(row)[0]));
  return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
}

/** Runs `work` in one IMMEDIATE transaction: all of it is committed, or none of it. */
export function inTransaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
