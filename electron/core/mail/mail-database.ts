import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openDatabase } from '../store/sqlite-database.ts';

/**
 * Where templates and announcements live until the durable journal database lands: `mail.sqlite` in
 * the data folder (nothing in it is personal: templates, counts, dates), or memory without one.
 * Once the journal exists, the composition root hands its handle to createMailFeature instead.
 */
export function openMailDatabase(dataDir: string | null): DatabaseSync {
  if (dataDir === null) return new DatabaseSync(':memory:');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return openDatabase(join(dataDir, 'mail.sqlite'));
}
