import { createHash } from 'node:crypto';
import type { AuditEntry, AuditVerification } from '../../../shared/contract/index.ts';
import { csvOf } from '../jobs/job-summary.ts';
import type { JournalDatabase } from '../journal/journal-database.ts';
import { inTransaction } from '../store/sqlite-database.ts';

export interface AuditRecord {
  actor: string;
  /** Personal (a name, the CLI's user@host): sealed. */
  actorName: string | null;
  transport: string;
  action: string;
  target: string | null;
  outcome: string;
  /** Free text that may name people: sealed. */
  detail: string | null;
}

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  actor_name: Uint8Array | null;
  transport: string;
  action: string;
  target: string | null;
  outcome: string;
  detail: Uint8Array | null;
  prev_hash: string;
  hash: string;
}

const GENESIS = '0'.repeat(64);
const ANCHOR_KEY = 'audit_anchor';
const RETENTION_KEY = 'audit_retention_days';

const b64 = (bytes: Uint8Array | null): string | null =>
  bytes === null ? null : Buffer.from(bytes).toString('base64');

/** The hash of an entry covers its stored bytes (sealed values as sealed), so the chain verifies without the key. */
export function entryHash(prevHash: string, row: Omit<AuditRow, 'hash' | 'prev_hash'>): string {
  const body = JSON.stringify([
    row.seq,
    row.at,
    row.actor,
    b64(row.actor_name),
    row.transport,
    row.action,
    row.target,
    row.outcome,
    b64(row.detail),
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/**
 * The append-only audit log in the journal database: who, when, what, target, outcome, each entry
 * chained to the previous one by SHA-256, personal fields sealed. Only a retention purge removes
 * entries, oldest first, and it records where the chain now starts and is itself audited.
 */
export class AuditLog {
  readonly #journal: JournalDatabase;
  readonly #now: () => Date;

  constructor(journal: JournalDatabase, now: () => Date = () => new Date()) {
    this.#journal = journal;
    this.#now = now;
  }

  append(record: AuditRecord): number {
    const db = this.#journal.db;
    return inTransaction(db, () => {
      const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
        { seq: number; hash: string } | undefined;
      const anchor = this.#anchor();
      const seq = (last?.seq ?? anchor?.seq ?? 0) + 1;
      const prev = last?.hash ?? anchor?.hash ?? GENESIS;
      const row = {
        seq,
        at: this.#now().toISOString(),
        actor: record.actor.slice(0, 300),
        actor_name: this.#journal.seal(record.actorName, {
          table: 'audit_log',
          column: 'actor_name',
          rowId: String(seq),
        }),
        transport: record.transport,
        action: record.action.slice(0, 100),
        target: record.target === null ? null : record.target.slice(0, 300),
        outcome: record.outcome.slice(0, 100),
        detail: this.#journal.seal(record.detail === null ? null : record.detail.slice(0, 2000), {
          table: 'audit_log',
          column: 'detail',
          rowId: String(seq),
        }),
      };
      const hash = entryHash(prev, row);
      db.prepare(
        `INSERT INTO audit_log (seq, at, actor, actor_name, transport, action, target, outcome, detail, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        row.seq,
        row.at,
        row.actor,
        row.actor_name,
        row.transport,
        row.action,
        row.target,
        row.outcome,
        row.detail,
        prev,
        hash,
      );
      return seq;
    });
  }

  list(filter: { offset?: number; limit?: number; action?: string; outcome?: string; q?: string } = {}): {
    entries: AuditEntry[];
    total: number;
  } {
    const where: string[] = [];
    const args: Array<string | number> = [];
    if (filter.action !== undefined) {
      where.push('action = ?');
      args.push(filter.action);
    }
    if (filter.outcome !== undefined) {
      where.push('outcome = ?');
      args.push(filter.outcome);
    }
    if (filter.q !== undefined && filter.q.trim() !== '') {
      where.push("(action LIKE ? ESCAPE '\\' OR target LIKE ? ESCAPE '\\' OR actor LIKE ? ESCAPE '\\')");
      const like = `%${filter.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      args.push(like, like, like);
    }
    const clause = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
    const db = this.#journal.db;
    const total = (db.prepare(`SELECT COUNT(*) AS n FROM audit_log ${clause}`).get(...args) as { n: number })
      .n;
    const rows = db
      .prepare(`SELECT * FROM audit_log ${clause} ORDER BY seq DESC LIMIT ? OFFSET ?`)
      .all(...args, filter.limit ?? 100, filter.offset ?? 0) as unknown as AuditRow[];
    return { entries: rows.map((row) => this.#entry(row)), total };
  }

  /** Walks the whole chain; the first entry whose link or hash does not match is named, never skipped. */
  verify(): AuditVerification {
    const rows = this.#journal.db
      .prepare('SELECT * FROM audit_log ORDER BY seq')
      .iterate() as Iterable<AuditRow>;
    const anchor = this.#anchor();
    let prev = anchor?.hash ?? GENESIS;
    let expectedSeq = (anchor?.seq ?? 0) + 1;
    let checked = 0;
    for (const row of rows) {
      if (row.seq !== expectedSeq)
        return {
          ok: false,
          checked,
          firstBad: { seq: row.seq, reason: `Entry ${expectedSeq} is missing (the next one is ${row.seq}).` },
        };
      if (row.prev_hash !== prev)
        return {
          ok: false,
          checked,
          firstBad: { seq: row.seq, reason: `Entry ${row.seq} does not link to the entry before it.` },
        };
      if (entryHash(prev, row) !== row.hash)
        return {
          ok: false,
          checked,
          firstBad: {
            seq: row.seq,
            reason: `Entry ${row.seq} was changed after it was written (its hash does not match).`,
          },
        };
      prev = row.hash;
      expectedSeq += 1;
      checked += 1;
    }
    return { ok: true, checked, firstBad: null };
  }

  exportCsv(): { csv: string; rowCount: number } {
    const rows = this.#journal.db
      .prepare('SELECT * FROM audit_log ORDER BY seq')
      .all() as unknown as AuditRow[];
    const entries = rows.map((row) => ({ row, entry: this.#entry(row) }));
    return {
      rowCount: entries.length,
      csv: csvOf(
        ['seq', 'at', 'actor', 'actorName', 'transport', 'action', 'target', 'outcome', 'detail', 'hash'],
        entries.map(({ row, entry }) => [
          entry.seq,
          entry.at,
          entry.actor,
          entry.actorName,
          entry.transport,
          entry.action,
          entry.target,
          entry.outcome,
          entry.detail,
          row.hash,
        ]),
      ),
    };
  }

  retentionDays(): number | null {
    const row = this.#journal.db
      .prepare('SELECT value FROM journal_info WHERE key = ?')
      .get(RETENTION_KEY) as { value: Uint8Array } | undefined;
    if (row === undefined) return null;
    const days = Number(Buffer.from(row.value).toString('utf8'));
    return Number.isInteger(days) && days > 0 ? days : null;
  }

  setRetentionDays(days: number | null): void {
    const db = this.#journal.db;
    if (days === null) db.prepare('DELETE FROM journal_info WHERE key = ?').run(RETENTION_KEY);
    else
      db.prepare(
        'INSERT INTO journal_info (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ).run(RETENTION_KEY, Buffer.from(String(days), 'utf8'));
  }

  /** Removes entries older than the retention (oldest first), keeping the chain verifiable from its new start. */
  purge(): { purged: number; before: string | null } {
    const days = this.retentionDays();
    if (days === null) return { purged: 0, before: null };
    const before = new Date(this.#now().getTime() - days * 86_400_000).toISOString();
    const db = this.#journal.db;
    return inTransaction(db, () => {
      const last = db
        .prepare('SELECT seq, hash FROM audit_log WHERE at < ? ORDER BY seq DESC LIMIT 1')
        .get(before) as { seq: number; hash: string } | undefined;
      if (last === undefined) return { purged: 0, before };
      const purged = Number(db.prepare('DELETE FROM audit_log WHERE seq <= ?').run(last.seq).changes);
      db.prepare(
        'INSERT INTO journal_info (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ).run(ANCHOR_KEY, Buffer.from(JSON.stringify(last), 'utf8'));
      return { purged, before };
    });
  }

  #anchor(): { seq: number; hash: string } | null {
    const row = this.#journal.db.prepare('SELECT value FROM journal_info WHERE key = ?').get(ANCHOR_KEY) as
      { value: Uint8Array } | undefined;
    if (row === undefined) return null;
    try {
      const value = JSON.parse(Buffer.from(row.value).toString('utf8')) as { seq: number; hash: string };
      return typeof value.seq === 'number' && typeof value.hash === 'string' ? value : null;
    } catch {
      return null;
    }
  }

  #entry(row: AuditRow): AuditEntry {
    return {
      seq: row.seq,
      at: row.at,
      actor: row.actor,
      actorName: this.#journal.open(row.actor_name, {
        table: 'audit_log',
        column: 'actor_name',
        rowId: String(row.seq),
      }),
      transport: row.transport,
      action: row.action,
      target: row.target,
      outcome: row.outcome,
      detail: this.#journal.open(row.detail, {
        table: 'audit_log',
        column: 'detail',
        rowId: String(row.seq),
      }),
    };
  }
}
