import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Connection } from '../../../shared/domain/platform.ts';
import { SealOpenError, type FieldSealer } from '../crypto/field-sealing.ts';
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
  personal: Uint8Array | null;
  personal_chunk: number | null;
  personal_slot: number | null;
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

/** A chunk's plaintext: the personal fields of several rows, each led by its user id. */
type ChunkEntry = [userId: string, ...personal: Personal];

const CHUNKS_TABLE = 'personal_chunks';

const COLUMNS = [
  'user_id',
  'personal',
  'personal_chunk',
  'personal_slot',
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

function chunkContext(id: number) {
  return { table: CHUNKS_TABLE, column: 'sealed', rowId: String(id) };
}

function personalOf(row: RosterRow): Personal {
  return [
    row.firstName,
    row.lastName,
    row.preferredName,
    row.email,
    row.lastError?.message ?? null,
    row.calendarMailbox,
  ];
}

/**
 * The roster cache: the platform's connections with their personal fields (names, email, mailbox,
 * error message, which can quote a mailbox) sealed, and everything else in clear.
 *
 * Two ways to seal, because AES-GCM through Node costs about 4.5 µs a call whatever the size:
 * - a row written on its own (an incremental refresh) gets ONE sealed value bound to its user id;
 * - a batch written together (a full sync's page) is sealed as ONE chunk in `personal_chunks`, bound
 *   to the chunk's id, and each row points at its slot. A chunk entry starts with its user id, so a
 *   pointer copied onto another row fails to open like a moved value does. A chunk stays until the
 *   next full sync's swap (or a cleared cache) even when refreshed rows no longer point at it.
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
  readonly #insertChunk: StatementSync;
  readonly #nextChunkId: StatementSync;
  readonly #selectChunk: StatementSync;
  readonly #deleteChunksBefore: StatementSync;
  /** The chunk opened last: rows are read in insertion order, so a whole load opens each chunk once. */
  #openedChunk: { id: number; entries: ChunkEntry[] } | null = null;

  constructor(db: DatabaseSync, sealer: FieldSealer, table: RosterTableName = 'roster') {
    this.#db = db;
    this.#sealer = sealer;
    this.#upsert = db.prepare(upsertSql(table));
    this.#selectOne = db.prepare(`SELECT * FROM ${table} WHERE user_id = ?`);
    this.#selectAll = db.prepare(`SELECT * FROM ${table} ORDER BY rowid`);
    this.#delete = db.prepare(`DELETE FROM ${table} WHERE user_id = ?`);
    this.#count = db.prepare(`SELECT COUNT(*) AS n FROM ${table}`);
    this.#clear = db.prepare(`DELETE FROM ${table}`);
    this.#insertChunk = db.prepare(`INSERT INTO ${CHUNKS_TABLE} (id, sealed) VALUES (?, ?)`);
    // AUTOINCREMENT never hands an id out twice, so a chunk id names one sealed value for ever.
    this.#nextChunkId = db.prepare(
      `SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = '${CHUNKS_TABLE}'), 0) + 1 AS id`,
    );
    this.#selectChunk = db.prepare(`SELECT sealed FROM ${CHUNKS_TABLE} WHERE id = ?`);
    this.#deleteChunksBefore = db.prepare(`DELETE FROM ${CHUNKS_TABLE} WHERE id < ?`);
  }

  /**
   * Inserts or replaces rows with their personal fields sealed together as one chunk, in one
   * transaction: what a full sync writes a page with.
   */
  upsertSealedTogether(rows: readonly RosterRow[]): number {
    if (rows.length === 0) return 0;
    return inTransaction(this.#db, () => {
      const id = this.nextChunkId();
      const entries = rows.map((row): ChunkEntry => [row.userId, ...personalOf(row)]);
      this.#insertChunk.run(id, this.#sealer.seal(JSON.stringify(entries), chunkContext(id)));
      for (let slot = 0; slot < rows.length; slot += 1) {
        this.#upsert.run(...this.#toRecord(rows[slot] as RosterRow, null, id, slot));
      }
      return rows.length;
    });
  }
  /** Inserts or replaces rows in one transaction: a crash leaves all of them or none. */
  upsertMany(rows: Iterable<RosterRow>): number {
    return inTransaction(this.#db, () => this.upsertManyInTransaction(rows));
  }

  /** The same, for a caller that already holds a transaction (a sync commits rows and meta together). */
  upsertManyInTransaction(rows: Iterable<RosterRow>): number {
    let written = 0;
    for (const row of rows) {
      const sealed = this.#sealer.seal(JSON.stringify(personalOf(row)), {
        table: SEALED_AS,
        column: PERSONAL,
        rowId: row.userId,
      });
      this.#upsert.run(...this.#toRecord(row, sealed, null, null));
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

  /** The id the next chunk will get (ids only grow: every chunk made from now on has this id or more). */
  nextChunkId(): number {
    return (this.#nextChunkId.get() as { id: number }).id;
  }

  /**
   * Deletes every chunk with an id below `id` (secure_delete zeroes their pages), in its own
   * transaction. After a full sync's swap, with the id the sync started at, these are exactly the
   * chunks nothing points at any more: the old roster's, and those of syncs that failed midway.
   */
  deleteChunksBefore(id: number): number {
    return inTransaction(this.#db, () => Number(this.#deleteChunksBefore.run(id).changes));
  }

  /** Removes every row (the staging table before a full sync starts filling it). */
  clear(): void {
    this.#clear.run();
  }

  count(): number {
    return (this.#count.get() as { n: number }).n;
  }

  #toRecord(
    row: RosterRow,
    sealed: Uint8Array | null,
    chunk: number | null,
    slot: number | null,
  ): Array<string | number | null | Uint8Array> {
    return [
      row.userId,
      sealed,
      chunk,
      slot,
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

  #personalOf(record: RosterRecord): Personal {
    if (record.personal !== null) {
      const opened = this.#sealer.open(record.personal, {
        table: SEALED_AS,
        column: PERSONAL,
        rowId: record.user_id,
      });
      return JSON.parse(opened) as Personal;
    }
    const chunk = record.personal_chunk;
    const entry = chunk === null ? undefined : this.#chunk(chunk)[record.personal_slot ?? -1];
    if (entry === undefined || entry[0] !== record.user_id) {
      throw new SealOpenError(
        `The sealed personal fields of row ${record.user_id} did not authenticate: they are missing or belong to another row.`,
      );
    }
    const [, ...personal] = entry;
    return personal;
  }

  #chunk(id: number): ChunkEntry[] {
    if (this.#openedChunk?.id === id) return this.#openedChunk.entries;
    const found = this.#selectChunk.get(id) as { sealed: Uint8Array } | undefined;
    if (found === undefined) return [];
    const entries = JSON.parse(this.#sealer.open(found.sealed, chunkContext(id))) as ChunkEntry[];
    this.#openedChunk = { id, entries };
    return entries;
  }

  #fromRecord(record: RosterRecord): RosterRow {
    const [firstName, lastName, preferredName, email, lastErrorMessage, calendarMailbox] =
      this.#personalOf(record);
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
