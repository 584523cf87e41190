import type { DatabaseSync } from 'node:sqlite';
import { verdictFacetBits, type VerdictLabels } from '../../../shared/contract/roster-query.ts';
import {
  UserVerification,
  type ItemResult,
  type Verdict,
  type VerificationSummary,
} from '../../../shared/contract/verify.ts';
import { ConsoleError } from '../../../shared/contract/errors.ts';
import type { JournalDatabase } from '../journal/journal-database.ts';
import { applyVerifyMigrations } from './verify-migrations.ts';

interface ResultRow {
  user_id: string;
  verdict: string;
  facet_bits: number;
  counts: string;
  checked_at: string;
  job_id: string | null;
  graph_checked: number;
  platform: string;
  duration_ms: number;
  item_count: number;
  details: Uint8Array | null;
}

interface Details {
  notChecked: string[];
  error: string | null;
  items: ItemResult[];
}

/** A stored verification with the job that made it (null: "verify now" on one user). */
export type StoredVerification = UserVerification & { jobId: string | null };

function corrupted(userId: string): ConsoleError {
  return new ConsoleError(
    'unavailable',
    `The journal's verification of ${userId.slice(0, 100)} is corrupted (not readable JSON).`,
  );
}

function parse<T>(text: string, userId: string, check: (value: unknown) => T): T {
  try {
    return check(JSON.parse(text) as unknown);
  } catch {
    throw corrupted(userId);
  }
}

/**
 * Each user's latest verification, in the data source's durable journal (never the rebuildable
 * cache: a verification may have taken an hour of Graph's quota, and a report refers to it).
 * Verdict, counts, when and by which job are plain columns; the details (items, what was not
 * checked, the error) are sealed, and dropped when the journal has no key holder.
 */
export class VerificationResultStore {
  readonly #journal: JournalDatabase;
  #migrated = false;
  #writes = 0;
  #labels: { dataVersion: number; writes: number; map: Map<string, number> } | null = null;

  constructor(journal: JournalDatabase) {
    this.#journal = journal;
  }

  #db(): DatabaseSync {
    const db = this.#journal.db;
    if (!this.#migrated) {
      applyVerifyMigrations(db);
      this.#migrated = true;
    }
    return db;
  }

  record(result: UserVerification, jobId: string | null): void {
    const db = this.#db();
    const details: Details = { notChecked: result.notChecked, error: result.error, items: result.items };
    db.prepare(
      `INSERT OR REPLACE INTO verify_results (user_id, verdict, facet_bits, counts, checked_at, job_id,
         graph_checked, platform, duration_ms, item_count, details)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      result.userId,
      result.verdict,
      verdictFacetBits(result.verdict, result.counts),
      JSON.stringify(result.counts),
      result.checkedAt,
      jobId,
      result.graphChecked ? 1 : 0,
      JSON.stringify(result.platform),
      result.durationMs,
      result.items.length,
      this.#journal.seal(JSON.stringify(details), {
        table: 'verify_results',
        column: 'details',
        rowId: result.userId,
      }),
    );
    this.#writes += 1;
  }

  /** The full latest verification (items included), or null. */
  get(userId: string): StoredVerification | null {
    const row = this.#db().prepare('SELECT * FROM verify_results WHERE user_id = ?').get(userId) as
      ResultRow | undefined;
    return row === undefined ? null : this.#full(row);
  }

  summary(userId: string): (VerificationSummary & { jobId: string | null }) | null {
    const row = this.#db().prepare('SELECT * FROM verify_results WHERE user_id = ?').get(userId) as
      ResultRow | undefined;
    if (row === undefined) return null;
    const { items: _items, ...summary } = this.#full(row);
    return summary;
  }

  /** Newest first, optionally only some verdicts. */
  list(filter: { verdicts?: readonly Verdict[]; offset: number; limit: number }): {
    total: number;
    items: Array<VerificationSummary & { jobId: string | null }>;
  } {
    const db = this.#db();
    const verdicts = filter.verdicts && filter.verdicts.length > 0 ? [...filter.verdicts] : null;
    const where = verdicts === null ? '' : `WHERE verdict IN (${verdicts.map(() => '?').join(', ')})`;
    const args = verdicts ?? [];
    const { n } = db.prepare(`SELECT COUNT(*) AS n FROM verify_results ${where}`).get(...args) as {
      n: number;
    };
    const rows = db
      .prepare(`SELECT * FROM verify_results ${where} ORDER BY checked_at DESC, user_id LIMIT ? OFFSET ?`)
      .all(...args, filter.limit, filter.offset) as unknown as ResultRow[];
    return {
      total: n,
      items: rows.map((row) => {
        const { items: _items, ...summary } = this.#full(row);
        return summary;
      }),
    };
  }

  /**
   * Every verified user's verdict facet bits, for the roster's `verdict` filter. The same map is
   * handed out until the table changes (here or, seen through SQLite's data_version, in another
   * process on the same journal), so the query engine keeps what it derived from it.
   */
  labels(): VerdictLabels {
    const db = this.#db();
    const { data_version: dataVersion } = db.prepare('PRAGMA data_version').get() as {
      data_version: number;
    };
    const cached = this.#labels;
    if (cached !== null && cached.dataVersion === dataVersion && cached.writes === this.#writes)
      return cached.map;
    const map = new Map<string, number>();
    for (const row of db.prepare('SELECT user_id, facet_bits FROM verify_results').iterate() as Iterable<{
      user_id: string;
      facet_bits: number;
    }>)
      map.set(row.user_id, row.facet_bits);
    this.#labels = { dataVersion, writes: this.#writes, map };
    return map;
  }

  get size(): number {
    return (this.#db().prepare('SELECT COUNT(*) AS n FROM verify_results').get() as { n: number }).n;
  }

  #full(row: ResultRow): StoredVerification {
    const userId = row.user_id;
    const opened = this.#journal.open(row.details, {
      table: 'verify_results',
      column: 'details',
      rowId: userId,
    });
    const details: Details =
      opened === null
        ? {
            notChecked:
              row.item_count > 0 || row.verdict !== 'ok'
                ? ['The details of this verification were not kept: the journal has no key to seal them.']
                : [],
            error: row.verdict === 'failed' ? 'The verification failed; its details were not kept.' : null,
            items: [],
          }
        : parse(opened, userId, (value) => value as Details);
    const candidate = {
      userId,
      verdict: row.verdict,
      counts: parse(row.counts, userId, (value) => value),
      checkedAt: row.checked_at,
      graphChecked: row.graph_checked === 1,
      notChecked: details.notChecked,
      platform: parse(row.platform, userId, (value) => value),
      items: details.items,
      error: details.error,
      durationMs: row.duration_ms,
    };
    const checked = UserVerification.safeParse(candidate);
    if (!checked.success) throw corrupted(userId);
    return { ...checked.data, jobId: row.job_id };
  }
}
