import type { DatabaseSync, StatementSync } from 'node:sqlite';

/** Book-keeping of the roster cache: when it was last filled whole, and where incremental refresh resumes. */
export interface RosterMeta {
  /** ISO timestamp of the last complete download of the roster, null if never. */
  lastFullSyncAt: string | null;
  /** The largest `updatedAt` seen: the next refresh asks for `updatedSince` this value. */
  updatedSinceWatermark: string | null;
  /** ISO timestamp of the last successful incremental refresh, null if none since the last full sync. */
  lastIncrementalSyncAt: string | null;
}

const KEYS = {
  lastFullSyncAt: 'last_full_sync_at',
  updatedSinceWatermark: 'updated_since_watermark',
  lastIncrementalSyncAt: 'last_incremental_sync_at',
} as const;

export class RosterMetaTable {
  readonly #select: StatementSync;
  readonly #upsert: StatementSync;
  readonly #delete: StatementSync;

  constructor(db: DatabaseSync) {
    this.#select = db.prepare('SELECT key, value FROM roster_meta');
    this.#upsert = db.prepare(
      'INSERT INTO roster_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.#delete = db.prepare('DELETE FROM roster_meta WHERE key = ?');
  }

  get(): RosterMeta {
    const values = new Map<string, string>();
    for (const row of this.#select.all() as Array<{ key: string; value: string }>)
      values.set(row.key, row.value);
    return {
      lastFullSyncAt: values.get(KEYS.lastFullSyncAt) ?? null,
      updatedSinceWatermark: values.get(KEYS.updatedSinceWatermark) ?? null,
      lastIncrementalSyncAt: values.get(KEYS.lastIncrementalSyncAt) ?? null,
    };
  }

  /** Changes only the fields given; a field set to null is removed. */
  set(change: Partial<RosterMeta>): RosterMeta {
    for (const field of Object.keys(KEYS) as Array<keyof RosterMeta>) {
      if (!(field in change)) continue;
      const value = change[field];
      if (value === null || value === undefined) this.#delete.run(KEYS[field]);
      else this.#upsert.run(KEYS[field], value);
    }
    return this.get();
  }
}
