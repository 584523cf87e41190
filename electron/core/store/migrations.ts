import type { DatabaseSync } from 'node:sqlite';
import { inTransaction } from './sqlite-database.ts';

/**
 * The schema's history. Each step runs once, in a transaction, and is recorded in
 * `schema_migrations`; adding a table (job journals, outbox, audit log) is a new entry at the end.
 * Never edit an entry that has shipped: databases in the field have already run it.
 *
 * Personal columns are BLOBs holding sealed values (see crypto/field-sealing.ts); everything the
 * console filters or counts on (ids, enums, timestamps, counts) is kept in clear.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The roster's columns as of version 3, for the live table and the full sync's staging copy (frozen). */
const ROSTER_COLUMNS_V3 = `(
        user_id TEXT PRIMARY KEY,
        personal BLOB,
        personal_chunk INTEGER,
        personal_slot INTEGER,
        role TEXT NOT NULL,
        provider TEXT,
        api TEXT,
        status TEXT NOT NULL,
        status_changed_at TEXT NOT NULL,
        connected_at TEXT,
        last_sync_at TEXT,
        last_sync_outcome TEXT,
        last_error_code TEXT,
        last_error_at TEXT,
        synced_item_count INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        etag TEXT NOT NULL,
        CHECK ((personal IS NULL) <> (personal_chunk IS NULL)),
        CHECK ((personal_chunk IS NULL) = (personal_slot IS NULL))
      ) STRICT;`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'store info, roster cache, roster meta, history snapshots',
    sql: `
      CREATE TABLE store_info (
        key TEXT PRIMARY KEY,
        value BLOB NOT NULL
      ) STRICT;

      CREATE TABLE roster (
        user_id TEXT PRIMARY KEY,
        first_name BLOB NOT NULL,
        last_name BLOB NOT NULL,
        preferred_name BLOB,
        email BLOB NOT NULL,
        role TEXT NOT NULL,
        provider TEXT,
        api TEXT,
        status TEXT NOT NULL,
        status_changed_at TEXT NOT NULL,
        connected_at TEXT,
        last_sync_at TEXT,
        last_sync_outcome TEXT,
        last_error_code TEXT,
        last_error_message BLOB,
        last_error_at TEXT,
        synced_item_count INTEGER NOT NULL,
        calendar_mailbox BLOB,
        updated_at TEXT NOT NULL,
        etag TEXT NOT NULL
      ) STRICT;
      CREATE INDEX roster_by_status ON roster (status, role);

      CREATE TABLE roster_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE history_snapshots (
        date TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('platform', 'local')),
        counts TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (date, source)
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'row-sealed roster, staging table for full syncs, saved views, announcement days',
    // Sealing each personal field on its own cost six AES-GCM operations per row; one sealed value
    // per row (bound to the user id) is several times faster to write and read. The old rows cannot be
    // re-sealed in SQL (that needs the key), and they are only a cache of the platform: the migration
    // drops them and clears the watermark, so the next sync downloads the roster whole.
    sql: `
      DROP TABLE roster;
      CREATE TABLE roster (
        user_id TEXT PRIMARY KEY,
        personal BLOB NOT NULL,
        role TEXT NOT NULL,
        provider TEXT,
        api TEXT,
        status TEXT NOT NULL,
        status_changed_at TEXT NOT NULL,
        connected_at TEXT,
        last_sync_at TEXT,
        last_sync_outcome TEXT,
        last_error_code TEXT,
        last_error_at TEXT,
        synced_item_count INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        etag TEXT NOT NULL
      ) STRICT;
      CREATE INDEX roster_by_status ON roster (status, role);
      CREATE TABLE roster_staging (
        user_id TEXT PRIMARY KEY,
        personal BLOB NOT NULL,
        role TEXT NOT NULL,
        provider TEXT,
        api TEXT,
        status TEXT NOT NULL,
        status_changed_at TEXT NOT NULL,
        connected_at TEXT,
        last_sync_at TEXT,
        last_sync_outcome TEXT,
        last_error_code TEXT,
        last_error_at TEXT,
        synced_item_count INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        etag TEXT NOT NULL
      ) STRICT;
      DELETE FROM roster_meta;

      CREATE TABLE saved_views (
        id TEXT PRIMARY KEY,
        definition TEXT NOT NULL,
        saved_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE announcement_days (
        date TEXT PRIMARY KEY,
        recorded_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 3,
    name: 'personal fields of a full sync sealed a page at a time; no status index',
    // One AES-GCM operation per row was the largest cost of writing a full sync (about 4.5 µs a row,
    // mostly Node's per-call overhead). A full sync now seals each batch's personal fields as one
    // value in personal_chunks, and its rows point at their slot; single-row writes keep a sealed
    // value of their own. The (status, role) index served no query and cost every write and every
    // swap. As in version 2, the cache is dropped and the next sync downloads the roster whole.
    sql: `
      DROP TABLE roster;
      DROP TABLE roster_staging;
      CREATE TABLE personal_chunks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        sealed BLOB NOT NULL
      ) STRICT;
      CREATE TABLE roster ${ROSTER_COLUMNS_V3}
      CREATE TABLE roster_staging ${ROSTER_COLUMNS_V3}
      DELETE FROM roster_meta;
    `,
  },
];

export class SchemaTooNewError extends Error {
  readonly found: number;
  readonly known: number;
  constructor(found: number, known: number) {
    super(
      `The local data was written by a newer console (schema ${found}; this version knows up to ${known}).`,
    );
    this.name = 'SchemaTooNewError';
    this.found = found;
    this.known = known;
  }
}

export function currentSchemaVersion(db: DatabaseSync): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as
    { version: number | null } | undefined;
  return row?.version ?? 0;
}

/** Brings the schema up to date; refuses (without touching anything) a schema from the future. */
export function migrate(
  db: DatabaseSync,
  now: () => Date,
  migrations: readonly Migration[] = MIGRATIONS,
): { from: number; to: number } {
  const from = currentSchemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (from > latest) throw new SchemaTooNewError(from, latest);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const step of migrations) {
    if (step.version <= from) continue;
    inTransaction(db, () => {
      db.exec(step.sql);
      record.run(step.version, step.name, now().toISOString());
    });
  }
  return { from, to: Math.max(from, latest) };
}
