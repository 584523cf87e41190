import type { DatabaseSync } from 'node:sqlite';

/** One step of a feature's own schema in the journal database. Never edit a step that has shipped; add one. */
export interface FeatureMigration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Brings one feature's tables up to date, each step once and in its own transaction, recorded in
 * the feature's own `<prefix>_schema_migrations` table so features never collide with the journal's
 * steps or each other's. Refuses a database a newer console has written. Returns the newest version.
 */
export function applyFeatureMigrations(
  db: DatabaseSync,
  feature: {
    /** The migrations table's prefix: `mail` keeps its history in `mail_schema_migrations`. */
    prefix: 'mail' | 'verify';
    /** What the tables are, for the message: "The announcement tables are at version 4…". */
    tables: string;
    migrations: readonly FeatureMigration[];
    now?: () => Date;
  },
): number {
  const table = `${feature.prefix}_schema_migrations`;
  const now = feature.now ?? (() => new Date());
  db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const row = db.prepare(`SELECT MAX(version) AS version FROM ${table}`).get() as { version: number | null };
  const current = row.version ?? 0;
  const newest = feature.migrations.at(-1)?.version ?? 0;
  if (current > newest)
    throw new Error(
      `${feature.tables} are at version ${current}, newer than this console knows (${newest}): update the console.`,
    );
  for (const migration of feature.migrations) {
    if (migration.version <= current) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(migration.sql);
      db.prepare(`INSERT INTO ${table} (version, name, applied_at) VALUES (?, ?, ?)`).run(
        migration.version,
        migration.name,
        now().toISOString(),
      );
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }
  return newest;
}
