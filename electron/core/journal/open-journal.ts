import { join } from 'node:path';
import { EphemeralKeyWrapper } from '../crypto/ephemeral-key-wrapper.ts';
import type { KeyWrapper } from '../crypto/key-wrapper.ts';
import { storeFolderFor } from '../roster/store-folder.ts';
import { SavedViewsTable } from '../store/saved-views-table.ts';
import { JournalDatabase } from './journal-database.ts';

/** The journal's folder beside the roster cache's: one per platform (by URL hash), one for the demo. */
export function journalFolderFor(platformUrl: string | null, demo: boolean): string {
  if (demo) return 'demo-journal';
  return storeFolderFor(platformUrl).replace(/^store/, 'journal');
}

/**
 * Opens the journal of a data source. Without a data folder it lives in memory for the session;
 * in demo mode without a key holder too (synthetic data only).
 */
export function openJournal(options: {
  dataDir: string | null;
  keyWrapper: KeyWrapper | null;
  demo: boolean;
  platformUrl: string | null;
  now?: () => Date;
}): JournalDatabase {
  const usable = options.keyWrapper !== null && options.keyWrapper.check().available;
  const inMemory = options.dataDir === null || (options.demo && !usable);
  return JournalDatabase.open({
    folder:
      inMemory || options.dataDir === null
        ? null
        : join(options.dataDir, journalFolderFor(options.platformUrl, options.demo)),
    keyWrapper: inMemory && options.demo ? new EphemeralKeyWrapper() : options.keyWrapper,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
}

const VIEWS_MIGRATED = 'saved_views_migrated';

/**
 * Saved views used to live in the roster cache's database; they are the operator's work, so they
 * move to the journal once, on the first open that finds them. The cache's copy is left as it was.
 */
export function migrateSavedViews(journal: JournalDatabase, fromCache: SavedViewsTable | null): number {
  const status = journal.status().state;
  if (status !== 'ready' && status !== 'unsealed') return 0;
  const db = journal.db;
  const done = db.prepare('SELECT 1 FROM journal_info WHERE key = ?').get(VIEWS_MIGRATED);
  if (done !== undefined || fromCache === null) return 0;
  const target = new SavedViewsTable(db);
  const existing = new Set(target.list().map((view) => view.id));
  let moved = 0;
  db.exec('BEGIN IMMEDIATE');
  try {
    for (const view of fromCache.list()) {
      if (existing.has(view.id) || view.definition === undefined) continue;
      target.put(view);
      moved += 1;
    }
    db.prepare('INSERT INTO journal_info (key, value) VALUES (?, ?)').run(
      VIEWS_MIGRATED,
      Buffer.from(new Date().toISOString()),
    );
    db.exec('COMMIT');
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
  return moved;
}
