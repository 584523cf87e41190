import type { Migration } from '../store/migrations.ts';

/**
 * The journal database's own schema history (apart from the roster cache's). Each step runs once,
 * in a transaction; never edit a shipped entry, append a new one. Personal values (emails, names,
 * the CLI operator's user@host) are sealed BLOBs; ids, states, outcomes and times are in clear so
 * the console can count and filter without the key.
 */
export const JOURNAL_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'journal info, saved views, jobs, job items, audit log',
    sql: `
      CREATE TABLE journal_info (
        key TEXT PRIMARY KEY,
        value BLOB NOT NULL
      ) STRICT;

      CREATE TABLE saved_views (
        id TEXT PRIMARY KEY,
        definition TEXT NOT NULL,
        saved_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        state TEXT NOT NULL,
        destructive INTEGER NOT NULL,
        params TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_by_name BLOB,
        scheduled_at TEXT,
        started_at TEXT,
        finished_at TEXT,
        state_reason TEXT,
        parent_id TEXT,
        total INTEGER NOT NULL,
        lease_owner TEXT,
        lease_until INTEGER,
        run_started_ms INTEGER,
        run_done_at_start INTEGER
      ) STRICT;
      CREATE INDEX jobs_by_state ON jobs (state, scheduled_at);

      CREATE TABLE job_items (
        job_id TEXT NOT NULL REFERENCES jobs (id),
        seq INTEGER NOT NULL,
        target TEXT NOT NULL,
        personal BLOB,
        facts TEXT NOT NULL,
        state TEXT NOT NULL,
        outcome TEXT,
        category TEXT,
        detail TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        started_at TEXT,
        finished_at TEXT,
        PRIMARY KEY (job_id, seq)
      ) STRICT;
      CREATE INDEX job_items_by_state ON job_items (job_id, state);
      CREATE INDEX job_items_by_target ON job_items (target, outcome);

      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        actor_name BLOB,
        transport TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT,
        outcome TEXT NOT NULL,
        detail BLOB,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_by_at ON audit_log (at);
    `,
  },
];
