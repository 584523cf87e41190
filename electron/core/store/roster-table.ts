import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Connection } from '../../../shared/domain/platform.ts';
import type { FieldSealer } from '../crypto/field-sealing.ts';
import { inTransaction } from './sqlite-database.ts';

/** One cached connection: the platform's Connection, as the roster stores and queries it. */
export type RosterRow = Connection;

/** The physical tables holding roster rows: the live cache and the full sync's staging copy. */
export type RosterTableName = 'roster' | 'roster_staging';

/**
 * Bound into every row's sealed value. Always `roster`, also in the staging table, so a full sync's
 * rows stay valid when the staging table becomes the roster.
 */
const SEALED_AS = 'roster';
const PERSONAL = 'personal';

interface RosterRecord {
  user_id: string;
  personal: Uint8Array;
  role: RosterRow['role'];
  provider: RosterRow['provider'];
  api: RosterRow['api'];
  status: RosterRow['status'];
  status_changed_at: string;
  connected_at: string | null;
  last_sync_at: string | null;
  last_sync_outcome: RosterRow['lastSyncOutcome'];
  last_error_code: NonNullable<RosterRow['lastError']>['code'] | null;
  last_error_at: string | null;
  synced_item_count: number;
  updated_at: string;
  etag: string;
}

/** The personal fields of a row, sealed together as one JSON array in this order. */
type Personal = [
  firstName: string,
  lastName: string,
  preferredName: string | null,
  email: string,
  lastErrorMessage: string | null,
  calendarMailbox: string | null,
];

const COLUMNS = [
  'user_id',
  'personal',
  'role',
  'provider',
  'api',
  'status',
  'status_changed_at',
  'connected_at',
  'last_sync_at',
  'last_sync_outcome',
  'last_error_code',
  'last_error_at',
  'synced_item_count',
  'updated_at',
  'etag',
] as const;

function upsertSql(table: RosterTableName): string {
  const updates = COLUMNS.filter((c) => c !== 'user_id').map((c) => `${c} = excluded.${c}`);
  return `INSERT INTO ${table} (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})
    ON CONFLICT (user_id) DO UPDATE SET ${updates.join(', ')}`;
}

/**
 * The roster cache: the platform's connections with the personal fields of each row (names,
 * email, mailbox, error message, which can quote a mailbox) sealed as ONE value bound to the row's
 * user id, and everything else in clear so SQL can count by status and role. One AES-GCM
 * operation per row instead of one per field is what makes a 100k-row load take about a second.
 */
export class RosterTable {
  readonly #db: DatabaseSync;
  readonly #sealer: FieldSealer;
  readonly #upsert: StatementSync;
  readonly #selectOne: StatementSync;
  readonly #selectAll: StatementSync;
  readonly #delete: StatementSync;
  readonly #count: StatementSync;
  readonly #clear: StatementSync;

  constructor(db: DatabaseSync, sealer: FieldSealer, table: RosterTableName = 'roster') {
    this.#db = db;
    this.#sealer = sealer;
    this.#upsert = db.prepare(upsertSql(table));
    this.#selectOne = db.prepare(`SELECT * FROM ${table} WHERE user_id = ?`);
    this.#selectAll = db.prepare(`SELECT * FROM ${table} ORDER BY rowid`);
    this.#delete = db.prepare(`DELETE FROM ${table} WHERE user_id = ?`);
    this.#count = db.prepare(`SELECT COUNT(*) AS n FROM ${table}`);
    this.#clear = db.prepare(`DELETE FROM ${table}`);
  }

  /** Inserts or replaces rows in one transaction: a crash leaves all of them or none. */
  upsertMany(rows: Iterable<RosterRow>): number {
    return inTransaction(this.#db, () => this.upsertManyInTransaction(rows));
  }

  /** The same, for a caller that already holds a transaction (a sync commits rows and meta together). */
  upsertManyInTransaction(rows: Iterable<RosterRow>): number {
    let written = 0;
    for (const row of rows) {
      this.#upsert.run(...this.#toRecord(row));
      written += 1;
    }
    return written;
  }

  get(userId: string): RosterRow | null {
    const record = this.#selectOne.get(userId) as RosterRecord | undefined;
    return record === undefined ? null : this.#fromRecord(record);
  }

  /** Every cached row, in insertion order (the order the query engine keeps as its stable tie-break). */
  *all(): Generator<RosterRow> {
    for (const record of this.#selectAll.iterate()) yield this.#fromRecord(record as unknown as RosterRecord);
  }

  deleteMany(userIds: Iterable<string>): number {
    return inTransaction(this.#db, () => {
      let deleted = 0;
      for (const userId of userIds) deleted += Number(this.#delete.run(userId).changes);
      return deleted;
    });
  }

  /** Removes every row (the staging table before a full sync starts filling it). */
  clear(): void {
    this.#clear.run();
  }

  count(): number {
    return (this.#count.get() as { n: number }).n;
  }

  #toRecord(row: RosterRow): Array<string | number | null | Uint8Array> {
    const personal: Personal = [
      row.firstName,
      row.lastName,
      row.preferredName,
      row.email,
      row.lastError?.message ?? null,
      row.calendarMailbox,
    ];
    return [
      row.userId,
      this.#sealer.seal(JSON.stringify(personal), { table: SEALED_AS, column: PERSONAL, rowId: row.userId }),
      row.role,
      row.provider,
      row.api,
      row.status,
      row.statusChangedAt,
      row.connectedAt,
      row.lastSyncAt,
      row.lastSyncOutcome,
      row.lastError?.code ?? null,
      row.lastError?.at ?? null,
      row.syncedItemCount,
      row.updatedAt,
      row.etag,
    ];
  }

  #fromRecord(record: RosterRecord): RosterRow {
    const opened = this.#sealer.open(record.personal, {
      table: SEALED_AS,
      column: PERSONAL,
      rowId: record.user_id,
    });
    const [firstName, lastName, preferredName, email, lastErrorMessage, calendarMailbox] = JSON.parse(
      opened,
    ) as Personal;
    const lastError =
      record.last_error_code === null || record.last_error_at === null
        ? null
        : { code: record.last_error_code, message: lastErrorMessage ?? '', at: record.last_error_at };
    return {
      userId: record.user_id,
      firstName,
      lastName,
      preferredName,
      email,
      role: record.role,
      provider: record.provider,
      api: record.api,
      status: record.status,
      statusChangedAt: record.status_changed_at,
      connectedAt: record.connected_at,
      lastSyncAt: record.last_sync_at,
      lastSyncOutcome: record.last_sync_outcome,
      lastError,
      syncedItemCount: record.synced_item_count,
      calendarMailbox,
      updatedAt: record.updated_at,
      etag: record.etag,
    };
  }
}
