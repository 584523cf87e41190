import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { ConsoleError } from '../../../shared/contract/errors.ts';
import { DATA_KEY_BYTES, FieldSealer, SealOpenError, type SealContext } from '../crypto/field-sealing.ts';
import { KeyUnwrapError, type KeyWrapper } from '../crypto/key-wrapper.ts';
import { readKeyFile, writeKeyFileAtomically } from '../store/key-file.ts';
import { migrate, SchemaTooNewError } from '../store/migrations.ts';
import { isDamagedDatabaseError, openDatabase, quickCheck } from '../store/sqlite-database.ts';
import { JOURNAL_MIGRATIONS } from './journal-migrations.ts';

export const JOURNAL_FILE = 'journal.db';
export const JOURNAL_KEY_FILE = 'journal.key.json';
const KEY_CHECK_PLAINTEXT = 'calendar-sync-console journal key check';
const KEY_CHECK_AT = (keyId: string): SealContext => ({
  table: 'journal_info',
  column: 'key_check',
  rowId: keyId,
});

/**
 * - `ready`: open, personal values sealed with the wrapped data key.
 * - `unsealed`: open, but the host has no key holder: personal values (emails, names) are not
 *   written at all; ids, states and outcomes still are, so jobs and the audit chain still work.
 * - `locked` / `damaged`: not open. The files are left exactly as they are: the journal is the
 *   operator's work, so it is never set aside and never rebuilt by the console.
 */
export type JournalState = 'ready' | 'unsealed' | 'locked' | 'damaged';

export interface JournalStatus {
  state: JournalState;
  explanation: string;
  folder: string | null;
}

export interface JournalOptions {
  /** Folder of the journal (created 0700); null keeps it in memory (tests, no data folder). */
  folder: string | null;
  keyWrapper: KeyWrapper | null;
  now?: () => Date;
}

/**
 * The durable journal database: jobs, their per-user entries, the audit log and saved views.
 * Apart from the roster cache (which may be set aside and downloaded again), sealed the same way
 * (AES-256-GCM field sealing under a data key wrapped by the host's KeyWrapper, ADR 0002) but with
 * its own key file, so rebuilding the cache never touches it.
 */
export class JournalDatabase {
  readonly #status: JournalStatus;
  readonly #db: DatabaseSync | null;
  readonly #sealer: FieldSealer | null;

  private constructor(db: DatabaseSync | null, sealer: FieldSealer | null, status: JournalStatus) {
    this.#db = db;
    this.#sealer = sealer;
    this.#status = status;
  }

  static open(options: JournalOptions): JournalDatabase {
    const now = options.now ?? (() => new Date());
    const folder = options.folder;
    if (folder !== null) mkdirSync(folder, { recursive: true, mode: 0o700 });
    let db: DatabaseSync;
    try {
      db = openDatabase(folder === null ? ':memory:' : join(folder, JOURNAL_FILE));
    } catch (error) {
      return new JournalDatabase(null, null, damaged(folder, error));
    }
    const refuse = (status: JournalStatus): JournalDatabase => {
      db.close();
      return new JournalDatabase(null, null, status);
    };
    try {
      const problems = quickCheck(db);
      if (problems.length > 0)
        return refuse(damaged(folder, new Error(`integrity check: ${problems[0] ?? 'unknown'}`)));
      migrate(db, now, JOURNAL_MIGRATIONS);
    } catch (error) {
      if (error instanceof SchemaTooNewError)
        return refuse({ state: 'locked', explanation: `The journal: ${error.message}`, folder });
      return refuse(damaged(folder, error));
    }
    const keyed = unlock(db, folder, options.keyWrapper, now);
    if ('status' in keyed) return refuse(keyed.status);
    return new JournalDatabase(db, keyed.sealer, {
      state: keyed.sealer === null ? 'unsealed' : 'ready',
      explanation:
        keyed.sealer === null
          ? 'The journal keeps job outcomes and the audit log, but no personal values: this computer has no key to seal them with.'
          : 'The journal is sealed with a key protected by the host.',
      folder,
    });
  }

  status(): JournalStatus {
    return { ...this.#status };
  }

  get sealed(): boolean {
    return this.#sealer !== null;
  }

  /** The open database; refused with the journal's explanation when it is locked or damaged. */
  get db(): DatabaseSync {
    if (this.#db === null) throw new ConsoleError('unavailable', this.#status.explanation);
    return this.#db;
  }

  /** Seals a personal value, or drops it (null) when the journal has no key. */
  seal(value: string | null, context: SealContext): Uint8Array | null {
    if (value === null || this.#sealer === null) return null;
    return this.#sealer.seal(value, context);
  }

  /** Opens a sealed value; null when absent. A value that fails to authenticate is a clear error, not garbage. */
  open(sealed: Uint8Array | null, context: SealContext): string | null {
    if (sealed === null || this.#sealer === null) return null;
    try {
      return this.#sealer.open(sealed, context);
    } catch (error) {
      if (error instanceof SealOpenError)
        throw new ConsoleError(
          'unavailable',
          `A sealed value in the journal (${context.table} ${context.rowId}) did not authenticate: the file was altered outside the console.`,
        );
      throw error;
    }
  }

  close(): void {
    if (this.#db?.isOpen) this.#db.close();
  }
}

function damaged(folder: string | null, error: unknown): JournalStatus {
  const why = isDamagedDatabaseError(error)
    ? 'SQLite cannot read it as a database'
    : error instanceof Error
      ? error.message.slice(0, 200)
      : 'unknown error';
  return {
    state: 'damaged',
    explanation: `The journal database (${JOURNAL_FILE}) is damaged (${why}). It holds jobs and the audit log, so the console leaves it exactly as it is: restore it from a backup, or move it away to start a new journal.`,
    folder,
  };
}

function readInfo(db: DatabaseSync, key: string): Uint8Array | null {
  const row = db.prepare('SELECT value FROM journal_info WHERE key = ?').get(key) as
    { value: Uint8Array | string } | undefined;
  if (row === undefined) return null;
  return typeof row.value === 'string' ? Buffer.from(row.value, 'utf8') : row.value;
}

function writeInfo(db: DatabaseSync, key: string, value: Uint8Array): void {
  db.prepare(
    'INSERT INTO journal_info (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}

function unlock(
  db: DatabaseSync,
  folder: string | null,
  wrapper: KeyWrapper | null,
  now: () => Date,
): { sealer: FieldSealer | null } | { status: JournalStatus } {
  const storedKeyId = readInfo(db, 'key_id');
  const locked = (explanation: string): { status: JournalStatus } => ({
    status: { state: 'locked', explanation, folder },
  });
  if (wrapper === null || !wrapper.check().available) {
    if (storedKeyId !== null)
      return locked(
        'The journal holds sealed values but this computer cannot unlock its key now (CONSOLE_DATA_KEY or the keychain).',
      );
    return { sealer: null };
  }
  if (folder === null) {
    // In memory: a fresh key for the life of the process.
    const key = randomBytes(DATA_KEY_BYTES);
    const sealer = new FieldSealer(key);
    key.fill(0);
    return { sealer };
  }
  const keyPath = join(folder, JOURNAL_KEY_FILE);
  const file = readKeyFile(keyPath);
  if (file.kind === 'damaged') return locked(`The journal's key file cannot be used: ${file.reason}.`);
  if (file.kind === 'absent') {
    if (storedKeyId !== null)
      return locked(`The journal is sealed but its key file (${JOURNAL_KEY_FILE}) is missing.`);
    const key = randomBytes(DATA_KEY_BYTES);
    const keyId = randomBytes(16).toString('hex');
    writeKeyFileAtomically(keyPath, {
      format: 1,
      wrapper: wrapper.kind,
      keyId,
      wrappedKey: Buffer.from(wrapper.wrap(key)).toString('base64'),
      createdAt: now().toISOString(),
    });
    const sealer = new FieldSealer(key);
    key.fill(0);
    writeInfo(db, 'key_id', Buffer.from(keyId, 'utf8'));
    writeInfo(db, 'key_check', sealer.seal(KEY_CHECK_PLAINTEXT, KEY_CHECK_AT(keyId)));
    return { sealer };
  }
  const { contents } = file;
  if (contents.wrapper !== wrapper.kind)
    return locked(
      `The journal was sealed by another key holder ("${contents.wrapper}") than this one ("${wrapper.kind}").`,
    );
  if (storedKeyId !== null && Buffer.from(storedKeyId).toString('utf8') !== contents.keyId)
    return locked('The journal key file belongs to another journal.');
  let key: Uint8Array;
  try {
    key = wrapper.unwrap(Buffer.from(contents.wrappedKey, 'base64'));
  } catch (error) {
    return locked(
      `The journal's key cannot be unlocked: ${error instanceof KeyUnwrapError ? error.message : 'unwrap failed'}.`,
    );
  }
  const sealer = new FieldSealer(key);
  Buffer.from(key.buffer, key.byteOffset, key.length).fill(0);
  const check = readInfo(db, 'key_check');
  if (check === null) {
    writeInfo(db, 'key_id', Buffer.from(contents.keyId, 'utf8'));
    writeInfo(db, 'key_check', sealer.seal(KEY_CHECK_PLAINTEXT, KEY_CHECK_AT(contents.keyId)));
  } else {
    try {
      sealer.open(check, KEY_CHECK_AT(contents.keyId));
    } catch {
      return locked('The journal key unlocked but does not open this journal (its key file was swapped).');
    }
  }
  return { sealer };
}
