import type { DatabaseSync, StatementSync } from 'node:sqlite';

/**
 * The operator's saved views of the Users table, as JSON definitions checked by the caller
 * against the contract when read back. Views hold filters and a sort chosen by the operator, not
 * roster data, so they are kept in clear and remain available when personal data is memory-only.
 */
export interface StoredView {
  id: string;
  definition: unknown;
  savedAt: string;
}

export class SavedViewsTable {
  readonly #all: StatementSync;
  readonly #put: StatementSync;
  readonly #delete: StatementSync;

  constructor(db: DatabaseSync) {
    this.#all = db.prepare('SELECT id, definition, saved_at FROM saved_views ORDER BY saved_at, id');
    this.#put = db.prepare(
      'INSERT INTO saved_views (id, definition, saved_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET definition = excluded.definition',
    );
    this.#delete = db.prepare('DELETE FROM saved_views WHERE id = ?');
  }

  /** Oldest first; a replaced view keeps its place. A definition that is not JSON reads as `undefined`, for the caller to skip. */
  list(): StoredView[] {
    return (this.#all.all() as Array<{ id: string; definition: string; saved_at: string }>).map((row) => {
      let definition: unknown;
      try {
        definition = JSON.parse(row.definition) as unknown;
      } catch {
        definition = undefined;
      }
      return { id: row.id, definition, savedAt: row.saved_at };
    });
  }

  put(view: StoredView): void {
    this.#put.run(view.id, JSON.stringify(view.definition), view.savedAt);
  }

  delete(id: string): boolean {
    return Number(this.#delete.run(id).changes) > 0;
  }
}
