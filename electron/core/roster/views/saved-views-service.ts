import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { ConsoleError, SavedView } from '../../../../shared/contract/index.ts';
import type { Logger } from '../../log/logger.ts';
import type { JournalDatabase } from '../../journal/journal-database.ts';
import type { EncryptedStore } from '../../store/encrypted-store.ts';
import { SavedViewsTable } from '../../store/saved-views-table.ts';
import { BUILT_IN_PREFIX, BUILT_IN_VIEWS } from './built-in-views.ts';

export const MAX_SAVED_VIEWS = 200 - BUILT_IN_VIEWS.length;

const StoredDefinition = SavedView.pick({ name: true, filter: true, sort: true });
type StoredDefinition = z.infer<typeof StoredDefinition>;

export interface SaveViewInput extends StoredDefinition {
  id?: string | undefined;
}

/**
 * Saved views of the Users table: the built-in ones, then the operator's, kept in the store
 * (or in memory when the store's database cannot be used). A stored view that no longer fits the
 * contract (a console downgrade) is skipped with a warning, never shown half-valid.
 */
export class SavedViewsService {
  readonly #store: EncryptedStore | null;
  readonly #journal: JournalDatabase | null;
  #journalTable: SavedViewsTable | null = null;
  readonly #logger: Logger;
  readonly #now: () => Date;
  readonly #memory = new Map<string, { definition: StoredDefinition; savedAt: string }>();

  constructor(options: {
    store: EncryptedStore | null;
    /** Where views live now (the durable journal); the store's table is only read by the one-time move. */
    journal?: JournalDatabase | null;
    logger: Logger;
    now?: () => Date;
  }) {
    this.#store = options.store;
    this.#journal = options.journal ?? null;
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
  }

  list(): SavedView[] {
    const saved: SavedView[] = [];
    for (const stored of this.#stored()) {
      const parsed = StoredDefinition.safeParse(stored.definition);
      if (!parsed.success) {
        this.#logger.warn('saved view unreadable; skipped', { id: stored.id });
        continue;
      }
      saved.push({ id: stored.id, ...parsed.data, builtIn: false });
    }
    return [...BUILT_IN_VIEWS.map((view) => structuredClone(view)), ...saved];
  }

  save(input: SaveViewInput): SavedView {
    const id = input.id ?? `view_${randomUUID()}`;
    if (id.startsWith(BUILT_IN_PREFIX))
      throw new ConsoleError(
        'forbidden',
        'Built-in views cannot be changed; save the view under a new name instead.',
      );
    const definition: StoredDefinition = { name: input.name, filter: input.filter, sort: input.sort };
    const exists = this.#stored().some((view) => view.id === id);
    if (!exists && this.#stored().length >= MAX_SAVED_VIEWS)
      throw new ConsoleError('conflict', `At most ${MAX_SAVED_VIEWS} views can be saved; delete one first.`);
    const savedAt = this.#now().toISOString();
    const journal = this.#journalViews();
    if (journal !== null) journal.put({ id, definition, savedAt });
    else if (this.#usesStore())
      this.#store?.guarded((store) => store.savedViews.put({ id, definition, savedAt }));
    else this.#memory.set(id, { definition, savedAt: this.#memory.get(id)?.savedAt ?? savedAt });
    return { id, ...definition, builtIn: false };
  }

  delete(id: string): boolean {
    if (id.startsWith(BUILT_IN_PREFIX))
      throw new ConsoleError('forbidden', 'Built-in views cannot be deleted.');
    const journal = this.#journalViews();
    if (journal !== null) return journal.delete(id);
    if (this.#usesStore()) return this.#store?.guarded((store) => store.savedViews.delete(id)) ?? false;
    return this.#memory.delete(id);
  }

  #usesStore(): boolean {
    const state = this.#store?.status().state;
    return state === 'ready' || state === 'memory-only';
  }

  #journalViews(): SavedViewsTable | null {
    const state = this.#journal?.status().state;
    if (this.#journal === null || (state !== 'ready' && state !== 'unsealed')) return null;
    this.#journalTable ??= new SavedViewsTable(this.#journal.db);
    return this.#journalTable;
  }

  #stored(): Array<{ id: string; definition: unknown }> {
    const journal = this.#journalViews();
    if (journal !== null) return journal.list();
    if (this.#usesStore() && this.#store !== null)
      return this.#store.guarded((store) => store.savedViews.list());
    return [...this.#memory.entries()].map(([id, view]) => ({ id, definition: view.definition }));
  }
}
