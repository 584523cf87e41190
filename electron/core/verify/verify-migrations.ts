import type { DatabaseSync } from 'node:sqlite';
import { applyFeatureMigrations, type FeatureMigration } from '../journal/feature-migrations.ts';

/**
 * Verification's tables in the durable journal database: each user's latest verification (what
 * the Users view's verdict filter, the troubleshooter and a job's report read). They have their
 * own migrations table, `verify_schema_migrations`, so they never collide with the journal's own
 * steps or another feature's. Never edit a step that has shipped; add one.
 */
export type VerifyMigration = FeatureMigration;

export const VERIFY_MIGRATIONS: readonly VerifyMigration[] = [
  {
    version: 1,
    name: 'latest verification per user',
    sql: `
      CREATE TABLE verify_results (
        user_id TEXT PRIMARY KEY,
        verdict TEXT NOT NULL,
        -- The verdict facet's bits (shared/contract/roster-query.ts VerdictFacetValue).
        facet_bits INTEGER NOT NULL,
        counts TEXT NOT NULL,
        checked_at TEXT NOT NULL,
        job_id TEXT,
        graph_checked INTEGER NOT NULL CHECK (graph_checked IN (0, 1)),
        -- The platform's facts at the time (status, counts, error code): no personal values.
        platform TEXT NOT NULL,
        duration_ms REAL NOT NULL,
        item_count INTEGER NOT NULL CHECK (item_count >= 0),
        -- Sealed JSON {notChecked, error, items}: titles and addresses may appear in the details.
        -- NULL when the journal has no key holder (then only the plain columns are kept).
        details BLOB
      ) STRICT;
      CREATE INDEX verify_results_checked ON verify_results (checked_at);
      CREATE INDEX verify_results_job ON verify_results (job_id);
    `,
  },
];

/** Brings a database's verification tables up to date; safe to call on every open. */
export function applyVerifyMigrations(db: DatabaseSync, now: () => Date = () => new Date()): number {
  return applyFeatureMigrations(db, {
    prefix: 'verify',
    tables: 'The verification tables',
    migrations: VERIFY_MIGRATIONS,
    now,
  });
}
