import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Connection } from '../../../shared/domain/platform.ts';
import type { FieldSealer } from '../crypto/field-sealing.ts';
import { inTransaction } from './sqlite-database.ts';

/** One cached connection: the platform's Connection, as the roster stores and queries it. */
export type RosterRow = Connection;

const TABLE = 'roster';

interface RosterRecord {
  user_id: string;
  first_name: Uint8Array;
  last_name: Uint8Array;
  preferred_name: Uint8Array | null;
  email: Uint8Array;
  role: RosterRow['role'];
  provider: RosterRow['provider'];
  api: RosterRow['api'];
  status: RosterRow['status'];
  status_changed_at: string;
  connected_at: string | null;
  last_sync_at: string | null;
  last_sync_outcome: RosterRow['lastSyncOutcome'];
  last_error_code: NonNullable<RosterRow['lastError']>['code'] | null;
  last_error_message: Uint8Array | null;
  last_error_at: string | null;
  synced_item_count: number;
  calendar_mailbox: Uint8Array | null;
  updated_at: string;
  etag: string;
}

const UPSERT_SQL = `
  INSERT INTO roster (user_id, first_name, last_name, preferred_name, email, role, provider, api, status,
    status_changed_at, connected_at, last_sync_at, last_sync_outcome, last_error_code, last_error_message,
    last_error_at, synced_item_count, calendar_mailbox, updated_at, etag)
  VALUES ($user_id, $first_name, $last_name, $preferred_name, $email, $role, $provider, $api, $status,
    $status_changed_at, $connected_at, $last_sync_at, $last_sync_outcome, $last_error_code, $last_error_message,
    $last_error_at, $synced_item_count, $calendar_mailbox, $updated_at, $etag)
  ON CONFLICT (user_id) DO UPDATE SET
    first_name = excluded.first_name, last_name = excluded.last_name, preferred_name = excluded.preferred_name,
    email = excluded.email, role = excluded.role, provider = excluded.provider, api = excluded.api,
    status = excluded.status, status_changed_at = excluded.status_changed_at, connected_at = excluded.connected_at,
    last_sync_at = excluded.last_sync_at, last_sync_outcome = excluded.last_sync_outcome,
    last_error_code = excluded.last_error_code, last_error_message = excluded.last_error_message,
    last_error_at = excluded.last_error_at, synced_item_count = excluded.synced_item_count,
    calendar_mailbox = excluded.calendar_mailbox, updated_at = excluded.updated_at, etag = excluded.etag`;

/**
 * The roster cache: the platform's connections, personal columns sealed per value with the row's
 * user id bound in, everything else in clear so SQL can count by status and role.
 */
export class RosterTable {
  readonly #db: DatabaseSync;
  readonly #sealer: FieldSealer;
  readonly #upsert: StatementSync;
  readonly #selectOne: StatementSync;
  readonly #selectAll: StatementSync;
  readonly #delete: StatementSync;
  readonly #count: StatementSync;

  constructor(db: DatabaseSync, sealer: FieldSealer) {
    this.#db = db;
    this.#sealer = sealer;
    this.#upsert = db.prepare(UPSERT_SQL);
    this.#selectOne = db.prepare('SELECT * FROM roster WHERE user_id = ?');
    this.#selectAll = db.prepare('SELECT * FROM roster ORDER BY rowid');
    this.#delete = db.prepare('DELETE FROM roster WHERE user_id = ?');
    this.#count = db.prepare('SELECT COUNT(*) AS n FROM roster');
  }

  /** Inserts or replaces rows in one transaction: a crash leaves all of them or none. */
  upsertMany(rows: Iterable<RosterRow>): number {
    return inTransaction(this.#db, () => {
      let written = 0;
      for (const row of rows) {
        this.#upsert.run(this.#toRecord(row) as unknown as Record<string, null | number | string | Uint8Array>);
        written += 1;
      }
      return written;
    });
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

  count(): number {
    return (this.#count.get() as { n: number }).n;
  }

  #toRecord(row: RosterRow): Record<string, unknown> {
    const at = (column: string) => ({ table: TABLE, column, rowId: row.userId });
    return {
      $user_id: row.userId,
      $first_name: this.#sealer.seal(row.firstName, at('first_name')),
      $last_name: this.#sealer.seal(row.lastName, at('last_name')),
      $preferred_name: this.#sealer.sealNullable(row.preferredName, at('preferred_name')),
      $email: this.#sealer.seal(row.email, at('email')),
      $role: row.role,
      $provider: row.provider,
      $api: row.api,
      $status: row.status,
      $status_changed_at: row.statusChangedAt,
      $connected_at: row.connectedAt,
      $last_sync_at: row.lastSyncAt,
      $last_sync_outcome: row.lastSyncOutcome,
      $last_error_code: row.lastError?.code ?? null,
      // Error messages can quote a mailbox or a name, so they are sealed like personal fields.
      $last_error_message: row.lastError === null ? null : this.#sealer.seal(row.lastError.message, at('last_error_message')),
      $last_error_at: row.lastError?.at ?? null,
      $synced_item_count: row.syncedItemCount,
      $calendar_mailbox: this.#sealer.sealNullable(row.calendarMailbox, at('calendar_mailbox')),
      $updated_at: row.updatedAt,
      $etag: row.etag,
    };
  }

  #fromRecord(record: RosterRecord): RosterRow {
    const at = (column: string) => ({ table: TABLE, column, rowId: record.user_id });
    const lastError =
      record.last_error_code === null || record.last_error_at === null
        ? null
        : {
            code: record.last_error_code,
            message: this.#sealer.openNullable(record.last_error_message, at('last_error_message')) ?? '',
            at: record.last_error_at,
          };
    return {
      userId: record.user_id,
      firstName: this.#sealer.open(record.first_name, at('first_name')),
      lastName: this.#sealer.open(record.last_name, at('last_name')),
      preferredName: this.#sealer.openNullable(record.preferred_name, at('preferred_name')),
      email: this.#sealer.open(record.email, at('email')),
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
      calendarMailbox: this.#sealer.openNullable(record.calendar_mailbox, at('calendar_mailbox')),
      updatedAt: record.updated_at,
      etag: record.etag,
    };
  }
}
