import { randomUUID } from 'node:crypto';
import { ConsoleError } from '../../../shared/contract/errors.ts';
import type { JournalDatabase } from '../journal/journal-database.ts';
import { inTransaction } from '../store/sqlite-database.ts';

/** Persisted job states; `interrupted` is also derived from a lapsed lease (see `effectiveState`). */
export type JobState =
  'scheduled' | 'running' | 'paused' | 'interrupted' | 'cancelled' | 'failed' | 'completed';
export type ItemState = 'pending' | 'in_flight' | 'done';
export type OutcomeCategory = 'done' | 'skipped' | 'failed';

export interface ItemPersonal {
  email: string | null;
  name: string | null;
}

export interface NewItem {
  target: string;
  personal: ItemPersonal | null;
  /** Non-personal facts the kind needs to run the item (the etag seen at selection, the role). */
  facts: Record<string, unknown>;
}

export interface JobRecord {
  id: string;
  kind: string;
  state: JobState;
  destructive: boolean;
  params: Record<string, unknown>;
  createdAt: string;
  createdBy: string;
  createdByName: string | null;
  scheduledAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  stateReason: string | null;
  parentId: string | null;
  total: number;
  leaseOwner: string | null;
  leaseUntil: number | null;
}

export interface ItemRecord {
  jobId: string;
  seq: number;
  target: string;
  personal: ItemPersonal | null;
  facts: Record<string, unknown>;
  state: ItemState;
  outcome: string | null;
  category: OutcomeCategory | null;
  detail: string | null;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface JobCounts {
  total: number;
  pending: number;
  inFlight: number;
  done: number;
  skipped: number;
  failed: number;
  byOutcome: Record<string, number>;
}

interface JobRow {
  id: string;
  kind: string;
  state: string;
  destructive: number;
  params: string;
  created_at: string;
  created_by: string;
  created_by_name: Uint8Array | null;
  scheduled_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  state_reason: string | null;
  parent_id: string | null;
  total: number;
  lease_owner: string | null;
  lease_until: number | null;
}

interface ItemRow {
  job_id: string;
  seq: number;
  target: string;
  personal: Uint8Array | null;
  facts: string;
  state: string;
  outcome: string | null;
  category: string | null;
  detail: string | null;
  attempts: number;
  started_at: string | null;
  finished_at: string | null;
}

/** A corrupted row is named, never shown half-read and never fatal to the other jobs. */
function parseJson(text: string, where: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new ConsoleError(
    'unavailable',
    `The journal entry ${where} is corrupted (its data is not readable JSON).`,
  );
}

const JOB_STATES: readonly string[] = [
  'scheduled',
  'running',
  'paused',
  'interrupted',
  'cancelled',
  'failed',
  'completed',
];

/**
 * Jobs and their items in the journal database. Every change is one small transaction, so a kill
 * at any point leaves a state the engine can resume from: an item is `in_flight` from just before
 * its call until its outcome is written.
 */
export class JobStore {
  readonly #journal: JournalDatabase;
  readonly #now: () => Date;

  constructor(journal: JournalDatabase, now: () => Date = () => new Date()) {
    this.#journal = journal;
    this.#now = now;
  }

  get journal(): JournalDatabase {
    return this.#journal;
  }

  create(job: {
    kind: string;
    destructive: boolean;
    params: Record<string, unknown>;
    createdBy: string;
    createdByName: string | null;
    state: 'running' | 'scheduled';
    scheduledAt?: string | null;
    parentId?: string | null;
    items: readonly NewItem[];
    lease?: { owner: string; untilMs: number };
  }): JobRecord {
    const db = this.#journal.db;
    const id = `job_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
    const createdAt = this.#now().toISOString();
    const insertItem = db.prepare(
      "INSERT INTO job_items (job_id, seq, target, personal, facts, state) VALUES (?, ?, ?, ?, ?, 'pending')",
    );
    inTransaction(db, () => {
      db.prepare(
        `INSERT INTO jobs (id, kind, state, destructive, params, created_at, created_by, created_by_name,
           scheduled_at, parent_id, total, lease_owner, lease_until)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        id,
        job.kind,
        job.state,
        job.destructive ? 1 : 0,
        JSON.stringify(job.params),
        createdAt,
        job.createdBy,
        this.#journal.seal(job.createdByName, { table: 'jobs', column: 'created_by_name', rowId: id }),
        job.scheduledAt ?? null,
        job.parentId ?? null,
        job.items.length,
        job.lease?.owner ?? null,
        job.lease?.untilMs ?? null,
      );
      job.items.forEach((item, seq) => {
        insertItem.run(id, seq, item.target, this.#sealPersonal(id, seq, item), JSON.stringify(item.facts));
      });
    });
    const created = this.get(id);
    if (created === null) throw new ConsoleError('internal', 'The job was written but cannot be read back.');
    return created;
  }

  /** The job, or null when no job has that id. */
  get(id: string): JobRecord | null {
    const row = this.#journal.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return row === undefined ? null : this.#job(row);
  }

  /** The job, or a `not_found` error that names the id. */
  require(id: string): JobRecord {
    const job = this.get(id);
    if (job === null)
      throw new ConsoleError('not_found', `There is no job ${id.slice(0, 80)} in this journal.`);
    return job;
  }

  list(filter: { state?: JobState; kind?: string; limit?: number } = {}): JobRecord[] {
    const rows = this.#journal.db
      .prepare('SELECT * FROM jobs ORDER BY created_at DESC, rowid DESC LIMIT ?')
      .all(filter.limit ?? 500) as unknown as JobRow[];
    return rows
      .map((row) => this.#job(row))
      .filter(
        (job) =>
          (filter.state === undefined || job.state === filter.state) &&
          (filter.kind === undefined || job.kind === filter.kind),
      );
  }

  /** Scheduled jobs whose time has come. */
  due(now: Date): JobRecord[] {
    const rows = this.#journal.db
      .prepare(
        "SELECT * FROM jobs WHERE state = 'scheduled' AND scheduled_at IS NOT NULL ORDER BY scheduled_at",
      )
      .all() as unknown as JobRow[];
    return rows
      .map((row) => this.#job(row))
      .filter((job) => Date.parse(job.scheduledAt ?? '') <= now.getTime());
  }

  counts(jobId: string): JobCounts {
    const rows = this.#journal.db
      .prepare(
        'SELECT state, category, outcome, COUNT(*) AS n FROM job_items WHERE job_id = ? GROUP BY state, category, outcome',
      )
      .all(jobId) as Array<{ state: string; category: string | null; outcome: string | null; n: number }>;
    const counts: JobCounts = {
      total: 0,
      pending: 0,
      inFlight: 0,
      done: 0,
      skipped: 0,
      failed: 0,
      byOutcome: {},
    };
    for (const row of rows) {
      counts.total += row.n;
      if (row.state === 'pending') counts.pending += row.n;
      else if (row.state === 'in_flight') counts.inFlight += row.n;
      else {
        if (row.category === 'done') counts.done += row.n;
        else if (row.category === 'skipped') counts.skipped += row.n;
        else counts.failed += row.n;
        if (row.outcome !== null)
          counts.byOutcome[row.outcome] = (counts.byOutcome[row.outcome] ?? 0) + row.n;
      }
    }
    return counts;
  }

  /**
   * Takes the job's lease when nobody holds a live one: one UPDATE, so of two runners (two
   * processes on one journal) exactly one wins. Returns false when another runner holds it.
   */
  claim(jobId: string, owner: string, untilMs: number, nowMs: number): boolean {
    const result = this.#journal.db
      .prepare(
        `UPDATE jobs SET lease_owner = ?, lease_until = ?
         WHERE id = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_until IS NULL OR lease_until < ?)`,
      )
      .run(owner, untilMs, jobId, owner, nowMs);
    return Number(result.changes) === 1;
  }

  /** Extends the lease; false when it was lost (taken over after it lapsed). */
  heartbeat(jobId: string, owner: string, untilMs: number): boolean {
    const result = this.#journal.db
      .prepare('UPDATE jobs SET lease_until = ? WHERE id = ? AND lease_owner = ?')
      .run(untilMs, jobId, owner);
    return Number(result.changes) === 1;
  }

  release(jobId: string, owner: string): void {
    this.#journal.db
      .prepare('UPDATE jobs SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?')
      .run(jobId, owner);
  }

  setState(
    jobId: string,
    state: JobState,
    reason: string | null,
    extra: { started?: boolean; finished?: boolean } = {},
  ): void {
    const now = this.#now().toISOString();
    this.#journal.db
      .prepare(
        `UPDATE jobs SET state = ?, state_reason = ?,
           started_at = CASE WHEN ? AND started_at IS NULL THEN ? ELSE started_at END,
           finished_at = CASE WHEN ? THEN ? ELSE finished_at END
         WHERE id = ?`,
      )
      .run(state, reason, extra.started ? 1 : 0, now, extra.finished ? 1 : 0, now, jobId);
  }

  /** Items still to do, in order; `in_flight` ones were interrupted mid-call and are redone with the same key. */
  unfinished(jobId: string): ItemRecord[] {
    const rows = this.#journal.db
      .prepare("SELECT * FROM job_items WHERE job_id = ? AND state != 'done' ORDER BY seq")
      .all(jobId) as unknown as ItemRow[];
    return rows.map((row) => this.#item(row));
  }

  /** One item as stored now (its facts as a run last updated them). */
  item(jobId: string, seq: number): ItemRecord | null {
    const row = this.#journal.db
      .prepare('SELECT * FROM job_items WHERE job_id = ? AND seq = ?')
      .get(jobId, seq) as unknown as ItemRow | undefined;
    return row === undefined ? null : this.#item(row);
  }

  items(
    jobId: string,
    options: { offset?: number; limit?: number; category?: OutcomeCategory; outcome?: string } = {},
  ): ItemRecord[] {
    const where = ['job_id = ?'];
    const args: Array<string | number> = [jobId];
    if (options.category !== undefined) {
      where.push('category = ?');
      args.push(options.category);
    }
    if (options.outcome !== undefined) {
      where.push('outcome = ?');
      args.push(options.outcome);
    }
    args.push(options.limit ?? -1, options.offset ?? 0);
    const rows = this.#journal.db
      .prepare(`SELECT * FROM job_items WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ? OFFSET ?`)
      .all(...args) as unknown as ItemRow[];
    return rows.map((row) => this.#item(row));
  }

  /** Written before the call: a kill after this line leaves the item `in_flight`, to be redone idempotently. */
  markInFlight(jobId: string, seq: number): void {
    this.#journal.db
      .prepare(
        "UPDATE job_items SET state = 'in_flight', attempts = attempts + 1, started_at = COALESCE(started_at, ?) WHERE job_id = ? AND seq = ?",
      )
      .run(this.#now().toISOString(), jobId, seq);
  }

  /** Written after the call: the outcome, and facts the kind learned (a fresher etag). */
  markDone(
    jobId: string,
    seq: number,
    result: {
      outcome: string;
      category: OutcomeCategory;
      detail: string | null;
      facts?: Record<string, unknown>;
    },
  ): void {
    const db = this.#journal.db;
    if (result.facts !== undefined)
      db.prepare('UPDATE job_items SET facts = ? WHERE job_id = ? AND seq = ?').run(
        JSON.stringify(result.facts),
        jobId,
        seq,
      );
    db.prepare(
      "UPDATE job_items SET state = 'done', outcome = ?, category = ?, detail = ?, finished_at = ? WHERE job_id = ? AND seq = ?",
    ).run(result.outcome, result.category, result.detail, this.#now().toISOString(), jobId, seq);
  }

  /** The item was not done after all (a kind handed it back): pending again, with no outcome. */
  markPending(jobId: string, seq: number): void {
    this.#journal.db
      .prepare(
        "UPDATE job_items SET state = 'pending', outcome = NULL, category = NULL, detail = NULL WHERE job_id = ? AND seq = ?",
      )
      .run(jobId, seq);
  }

  /** The job waits until `at` (a quota window) and then runs again by itself; the reason says why. */
  reschedule(jobId: string, at: string, reason: string): void {
    this.#journal.db
      .prepare("UPDATE jobs SET state = 'scheduled', scheduled_at = ?, state_reason = ? WHERE id = ?")
      .run(at, reason, jobId);
  }

  /** Appends items to a job (a scheduled job decides its users when it runs); returns the new total. */
  addItems(jobId: string, items: readonly NewItem[]): number {
    const db = this.#journal.db;
    let total = 0;
    inTransaction(db, () => {
      const row = db
        .prepare('SELECT COALESCE(MAX(seq) + 1, 0) AS next FROM job_items WHERE job_id = ?')
        .get(jobId) as { next: number };
      const insert = db.prepare(
        "INSERT INTO job_items (job_id, seq, target, personal, facts, state) VALUES (?, ?, ?, ?, ?, 'pending')",
      );
      items.forEach((item, index) => {
        const seq = row.next + index;
        insert.run(jobId, seq, item.target, this.#sealPersonal(jobId, seq, item), JSON.stringify(item.facts));
      });
      db.prepare(
        'UPDATE jobs SET total = (SELECT COUNT(*) FROM job_items WHERE job_id = ?) WHERE id = ?',
      ).run(jobId, jobId);
      total = (db.prepare('SELECT total FROM jobs WHERE id = ?').get(jobId) as { total: number }).total;
    });
    return total;
  }

  updateFacts(jobId: string, seq: number, facts: Record<string, unknown>): void {
    this.#journal.db
      .prepare('UPDATE job_items SET facts = ? WHERE job_id = ? AND seq = ?')
      .run(JSON.stringify(facts), jobId, seq);
  }

  /** Another job that already recorded `outcome` for this target (two jobs over one user). */
  otherJobWith(target: string, outcome: string, exceptJobId: string): string | null {
    const row = this.#journal.db
      .prepare('SELECT job_id FROM job_items WHERE target = ? AND outcome = ? AND job_id != ? LIMIT 1')
      .get(target, outcome, exceptJobId) as { job_id: string } | undefined;
    return row?.job_id ?? null;
  }

  /** An item's name and address, sealed and bound to its row (job, sequence number). */
  #sealPersonal(jobId: string, seq: number, item: NewItem): Uint8Array | null {
    if (item.personal === null) return null;
    return this.#journal.seal(JSON.stringify(item.personal), {
      table: 'job_items',
      column: 'personal',
      rowId: `${jobId}/${seq}`,
    });
  }

  #job(row: JobRow): JobRecord {
    if (!JOB_STATES.includes(row.state))
      throw new ConsoleError(
        'unavailable',
        `The journal entry of job ${row.id} is corrupted (unknown state "${String(row.state).slice(0, 40)}").`,
      );
    return {
      id: row.id,
      kind: row.kind,
      state: row.state as JobState,
      destructive: row.destructive === 1,
      params: parseJson(row.params, `of job ${row.id}`),
      createdAt: row.created_at,
      createdBy: row.created_by,
      createdByName: this.#journal.open(row.created_by_name, {
        table: 'jobs',
        column: 'created_by_name',
        rowId: row.id,
      }),
      scheduledAt: row.scheduled_at,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      stateReason: row.state_reason,
      parentId: row.parent_id,
      total: row.total,
      leaseOwner: row.lease_owner,
      leaseUntil: row.lease_until,
    };
  }

  #item(row: ItemRow): ItemRecord {
    const where = `${row.seq} of job ${row.job_id}`;
    let personal: ItemPersonal | null = null;
    const opened = this.#journal.open(row.personal, {
      table: 'job_items',
      column: 'personal',
      rowId: `${row.job_id}/${row.seq}`,
    });
    if (opened !== null) {
      const value = parseJson(opened, where);
      personal = {
        email: typeof value['email'] === 'string' ? value['email'] : null,
        name: typeof value['name'] === 'string' ? value['name'] : null,
      };
    }
    return {
      jobId: row.job_id,
      seq: row.seq,
      target: row.target,
      personal,
      facts: parseJson(row.facts, where),
      state: row.state as ItemState,
      outcome: row.outcome,
      category: row.category as OutcomeCategory | null,
      detail: row.detail,
      attempts: row.attempts,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
    };
  }
}

/**
 * What an operator sees: a `running` job whose runner's lease has lapsed (killed, crashed, the
 * laptop closed) is `interrupted`, whichever process looks.
 */
export function effectiveState(job: JobRecord, nowMs: number): JobState {
  if (job.state === 'running' && (job.leaseUntil === null || job.leaseUntil < nowMs)) return 'interrupted';
  return job.state;
}
