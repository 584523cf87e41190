import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, statSync } from 'node:fs';
import type { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { ConsoleError } from '../../../shared/contract/errors.ts';
import { DATA_KEY_BYTES, FieldSealer, SealOpenError } from '../crypto/field-sealing.ts';
import { KeyUnwrapError, type KeyWrapper } from '../crypto/key-wrapper.ts';
import { readKeyFile, writeKeyFileAtomically } from './key-file.ts';
import { createPrivateFile, ensurePrivateFolder, tightenFiles } from './private-files.ts';
import { HistorySnapshotsTable } from './history-snapshots-table.ts';
import { migrate, SchemaTooNewError } from './migrations.ts';
import { RosterMetaTable } from './roster-meta-table.ts';
import { AnnouncementDaysTable } from './announcement-days-table.ts';
import { RosterTable } from './roster-table.ts';
import { SavedViewsTable } from './saved-views-table.ts';
import { inTransaction, isDamagedDatabaseError, openDatabase, quickCheck } from './sqlite-database.ts';
import type { StoreStatus } from './store-status.ts';

export const DATABASE_FILE = 'console.db';
export const KEY_FILE = 'console.key.json';
/** SQLite's companions of the database file: they hold committed data too and move with it. */
const DATABASE_COMPANIONS = ['-wal', '-shm', '-journal'];
export const SET_ASIDE_FOLDER = 'set-aside';

const KEY_CHECK_PLAINTEXT = 'calendar-sync-console key check';
const KEY_CHECK_AT = (keyId: string) => ({ table: 'store_info', column: 'key_check', rowId: keyId });

export interface EncryptedStoreOptions {
  /** The folder holding the database and the wrapped key; created (0700) if missing. */
  dataFolder: string;
  keyWrapper: KeyWrapper;
  now?: () => Date;
}

interface OpenParts {
  db: DatabaseSync | null;
  sealer: FieldSealer | null;
  /** A copy of the unwrapped data key, kept only for `rosterWriterSession()`. */
  dataKey?: Buffer | null;
  status: StoreStatus;
}

/** What a roster writer on another thread needs: the database and the unwrapped data key (in memory only). */
export interface RosterWriterSession {
  databasePath: string;
  dataKey: Uint8Array;
}

/**
 * The console's local operational data: one SQLite file (WAL) whose personal columns are sealed
 * with a random data key, itself wrapped by the host's KeyWrapper. Opening never fails and never
 * deletes: whatever is wrong ends up in `status()` with an explanation, and the only destructive
 * step, `rebuildFromScratch()`, moves the old files aside.
 */
export class EncryptedStore {
  readonly #options: Required<EncryptedStoreOptions>;
  #db: DatabaseSync | null = null;
  #status: StoreStatus;
  #roster: RosterTable | null = null;
  #rosterMeta: RosterMetaTable | null = null;
  #history: HistorySnapshotsTable | null = null;
  #savedViews: SavedViewsTable | null = null;
  #announcementDays: AnnouncementDaysTable | null = null;
  #dataKey: Buffer | null = null;

  private constructor(options: EncryptedStoreOptions) {
    this.#options = { now: () => new Date(), ...options };
    this.#status = this.#adopt(openParts(this.#options));
  }

  static open(options: EncryptedStoreOptions): EncryptedStore {
    return new EncryptedStore(options);
  }

  status(): StoreStatus {
    return { ...this.#status };
  }

  get databasePath(): string {
    return join(this.#options.dataFolder, DATABASE_FILE);
  }

  get keyFilePath(): string {
    return join(this.#options.dataFolder, KEY_FILE);
  }

  /** The roster cache. Refused (ConsoleError `unavailable`) unless personal data can be persisted. */
  get roster(): RosterTable {
    return this.#guard(this.#roster, true);
  }

  /** Book-keeping of the roster cache; refused with it, since a watermark without the rows would skip data. */
  get rosterMeta(): RosterMetaTable {
    return this.#guard(this.#rosterMeta, true);
  }

  /** Daily counts; available whenever the database is sound, even without a key. */
  get history(): HistorySnapshotsTable {
    return this.#guard(this.#history, false);
  }

  /** Saved views of the Users table; not personal, so available whenever the database is sound. */
  get savedViews(): SavedViewsTable {
    return this.#guard(this.#savedViews, false);
  }

  /** Days an announcement went out; not personal. */
  get announcementDays(): AnnouncementDaysTable {
    return this.#guard(this.#announcementDays, false);
  }

  /**
   * For the roster sync worker, which writes the cache on its own thread and connection: the
   * database path and a copy of the data key, or null unless personal data can be persisted. The
   * key travels to the worker in memory (postMessage), never through a file.
   */
  rosterWriterSession(): RosterWriterSession | null {
    if (this.#status.state !== 'ready' || this.#dataKey === null) return null;
    return { databasePath: this.databasePath, dataKey: new Uint8Array(this.#dataKey) };
  }

  /**
   * Runs `work` and, if SQLite reports the file damaged midway, switches to `needs-rebuild`
   * instead of letting later calls fail one by one with raw SQLite messages.
   */
  guarded<T>(work: (store: this) => T): T {
    try {
      return work(this);
    } catch (error) {
      if (isDamagedDatabaseError(error)) {
        this.#status = damagedStatus(this.#options.dataFolder, 'SQLite reported it damaged while working');
        this.#closeDatabase();
        throw new ConsoleError('unavailable', this.#status.explanation, { cause: error });
      }
      if (error instanceof SealOpenError) {
        throw new ConsoleError(
          'unavailable',
          'A sealed value in the local data did not authenticate: the file was altered outside the console.',
          { cause: error },
        );
      }
      throw error;
    }
  }

  /**
   * Moves the database, its WAL/SHM companions and the key file into `set-aside/<timestamp>/`
   * and starts a fresh, empty store. Nothing is deleted: support can still inspect or restore the
   * old files. The caller refills the cache from the platform.
   */
  rebuildFromScratch(): StoreStatus {
    this.#closeDatabase();
    const { dataFolder } = this.#options;
    const stamp = this.#options.now().toISOString().replace(/[:.]/g, '-');
    const aside = join(dataFolder, SET_ASIDE_FOLDER, stamp);
    const files = [DATABASE_FILE, ...DATABASE_COMPANIONS.map((suffix) => DATABASE_FILE + suffix), KEY_FILE];
    ensurePrivateFolder(aside);
    for (const file of files) {
      const from = join(dataFolder, file);
      if (existsSync(from)) renameSync(from, join(aside, file));
    }
    this.#status = this.#adopt(openParts(this.#options));
    return this.status();
  }

  /**
   * Settings → Clear cache: empties the roster, the full sync's staging copy and the roster's
   * book-keeping in one transaction (secure_delete zeroes the freed pages), then checkpoints the WAL
   * so no sealed row lingers in the -wal file either. Saved views, history and the key stay. A no-op
   * unless personal data is persisted (a locked store is rebuilt, not cleared).
   */
  clearRosterCache(): void {
    const db = this.#db;
    if (db === null || this.#roster === null) return;
    this.guarded(() => {
      inTransaction(db, () => {
        db.exec('DELETE FROM roster');
        db.exec('DELETE FROM roster_staging');
        db.exec('DELETE FROM personal_chunks');
        db.exec('DELETE FROM roster_meta');
      });
      db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    });
  }

  close(): void {
    this.#closeDatabase();
  }

  #adopt(parts: OpenParts): StoreStatus {
    this.#db = parts.db;
    this.#roster =
      parts.db !== null && parts.sealer !== null ? new RosterTable(parts.db, parts.sealer) : null;
    this.#rosterMeta = parts.db !== null && parts.sealer !== null ? new RosterMetaTable(parts.db) : null;
    this.#history = parts.db !== null ? new HistorySnapshotsTable(parts.db) : null;
    this.#savedViews = parts.db !== null ? new SavedViewsTable(parts.db) : null;
    this.#announcementDays = parts.db !== null ? new AnnouncementDaysTable(parts.db) : null;
    this.#dataKey?.fill(0);
    this.#dataKey = parts.dataKey ?? null;
    return parts.status;
  }

  #guard<T>(table: T | null, personal: boolean): T {
    if (table === null) {
      const reason =
        personal && this.#status.state === 'memory-only'
          ? 'Personal data is not kept on this computer: '
          : '';
      throw new ConsoleError('unavailable', `${reason}${this.#status.explanation}`);
    }
    return table;
  }

  #closeDatabase(): void {
    if (this.#db?.isOpen) this.#db.close();
    this.#adopt({ db: null, sealer: null, dataKey: null, status: this.#status });
  }
}

function damagedStatus(dataFolder: string, detail: string): StoreStatus {
  return {
    state: 'needs-rebuild',
    personalDataPersisted: false,
    explanation: `The local data file (${DATABASE_FILE}) is damaged: ${detail}. This usually follows a crash or a full disk. The file has been left as it is.`,
    remedy:
      'Rebuild the local data: the damaged files are moved to the set-aside folder and the roster is downloaded again from the platform.',
    canRebuild: true,
    dataFolder,
  };
}

function lockedStatus(dataFolder: string, explanation: string, remedy: string): StoreStatus {
  return { state: 'locked', personalDataPersisted: false, explanation, remedy, canRebuild: true, dataFolder };
}

/** Opens the database and decides the state; never throws, never deletes. */
function openParts(options: Required<EncryptedStoreOptions>): OpenParts {
  const { dataFolder, keyWrapper, now } = options;
  const dbPath = join(dataFolder, DATABASE_FILE);
  const privateFiles = [
    DATABASE_FILE,
    ...DATABASE_COMPANIONS.map((suffix) => DATABASE_FILE + suffix),
    KEY_FILE,
  ].map((file) => join(dataFolder, file));
  ensurePrivateFolder(dataFolder);
  tightenFiles(privateFiles);
  const existing = sizeOrNull(dbPath);
  if (existing === 0) {
    // SQLite would take an empty file for a new database and the console would start "ready" without the
    // saved views and history it held: say what was found and leave the file for support.
    return {
      db: null,
      sealer: null,
      status: damagedStatus(
        dataFolder,
        `it is empty (0 bytes), so the saved views, history and roster it held are not in it (a crash, a full disk or an interrupted copy leaves this)`,
      ),
    };
  }
  if (existing === null) createPrivateFile(dbPath);

  let db: DatabaseSync;
  try {
    db = openDatabase(dbPath);
    // SQLite has now created its -wal and -shm files: private too.
    tightenFiles(privateFiles);
  } catch (error) {
    return { db: null, sealer: null, status: damagedStatus(dataFolder, describeDamage(error)) };
  }
  const fail = (status: StoreStatus): OpenParts => {
    db.close();
    return { db: null, sealer: null, status };
  };
  try {
    const problems = quickCheck(db);
    if (problems.length > 0)
      return fail(
        damagedStatus(
          dataFolder,
          `the integrity check found ${problems.length} problem(s), first: ${problems[0]}`,
        ),
      );
    migrate(db, now);
  } catch (error) {
    if (error instanceof SchemaTooNewError) {
      return fail(
        lockedStatus(
          dataFolder,
          error.message,
          'Use the newer console that wrote it, or rebuild the local data from the platform.',
        ),
      );
    }
    return fail(damagedStatus(dataFolder, describeDamage(error)));
  }

  const storedKeyId = readInfo(db, 'key_id');
  const storedKeyCheck = readInfo(db, 'key_check');
  const hasSealedData = storedKeyId !== null;
  const check = keyWrapper.check();
  if (!check.available) {
    if (hasSealedData) {
      return fail(
        lockedStatus(
          dataFolder,
          `The local data is sealed, but its key cannot be unlocked: ${check.explanation}`,
          check.remedy ?? 'Rebuild the local data from the platform.',
        ),
      );
    }
    return {
      db,
      sealer: null,
      status: {
        state: 'memory-only',
        personalDataPersisted: false,
        explanation: check.explanation,
        remedy: check.remedy,
        canRebuild: false,
        dataFolder,
      },
    };
  }

  const keyFile = readKeyFile(join(dataFolder, KEY_FILE));
  if (keyFile.kind === 'damaged') {
    return fail(
      lockedStatus(
        dataFolder,
        `The key file (${KEY_FILE}) cannot be used: ${keyFile.reason}.`,
        'Restore the key file from a backup, or rebuild the local data from the platform.',
      ),
    );
  }
  if (keyFile.kind === 'absent') {
    if (hasSealedData) {
      return fail(
        lockedStatus(
          dataFolder,
          `The local data is sealed, but its key file (${KEY_FILE}) is missing.`,
          'Restore the key file from a backup, or rebuild the local data from the platform.',
        ),
      );
    }
    const dataKey = randomBytes(DATA_KEY_BYTES);
    const keyId = randomBytes(16).toString('hex');
    // Key file first, then the check value: a crash in between leaves a usable key and an unsealed database.
    writeKeyFileAtomically(join(dataFolder, KEY_FILE), {
      format: 1,
      wrapper: keyWrapper.kind,
      keyId,
      wrappedKey: Buffer.from(keyWrapper.wrap(dataKey)).toString('base64'),
      createdAt: now().toISOString(),
    });
    const sealer = new FieldSealer(dataKey);
    const keyCopy = Buffer.from(dataKey);
    dataKey.fill(0);
    writeKeyCheck(db, sealer, keyId);
    return { db, sealer, dataKey: keyCopy, status: readyStatus(dataFolder, keyWrapper) };
  }

  const { contents } = keyFile;
  if (contents.wrapper !== keyWrapper.kind) {
    return fail(
      lockedStatus(
        dataFolder,
        `The local data was sealed by ${describeWrapperKind(contents.wrapper)}, but this console protects keys with ${keyWrapper.description}.`,
        'Open this data folder with the host that created it, or rebuild the local data from the platform.',
      ),
    );
  }
  if (storedKeyId !== null && Buffer.from(storedKeyId).toString('utf8') !== contents.keyId) {
    return fail(
      lockedStatus(
        dataFolder,
        `The key file (${KEY_FILE}) belongs to another data folder.`,
        'Put back the key file that came with this database, or rebuild the local data.',
      ),
    );
  }
  let dataKey: Uint8Array;
  try {
    dataKey = keyWrapper.unwrap(Buffer.from(contents.wrappedKey, 'base64'));
  } catch (error) {
    const why = error instanceof KeyUnwrapError ? error.message : 'the key could not be unwrapped';
    return fail(
      lockedStatus(
        dataFolder,
        `The local data is sealed, but its key cannot be unlocked: ${why}`,
        `Provide the key it was sealed with (${keyWrapper.description}), or rebuild the local data from the platform.`,
      ),
    );
  }
  const sealer = new FieldSealer(dataKey);
  const keyCopy = Buffer.from(dataKey);
  Buffer.from(dataKey.buffer, dataKey.byteOffset, dataKey.length).fill(0);
  if (storedKeyCheck === null) {
    writeKeyCheck(db, sealer, contents.keyId);
  } else {
    try {
      sealer.open(storedKeyCheck, KEY_CHECK_AT(contents.keyId));
    } catch {
      keyCopy.fill(0);
      return fail(
        lockedStatus(
          dataFolder,
          'The key unlocked, but it does not open this database (the key file was swapped or altered).',
          'Put back the key file that came with this database, or rebuild the local data.',
        ),
      );
    }
  }
  return { db, sealer, dataKey: keyCopy, status: readyStatus(dataFolder, keyWrapper) };
}

function sizeOrNull(path: string): number | null {
  try {
    return statSync(path).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function readyStatus(dataFolder: string, keyWrapper: KeyWrapper): StoreStatus {
  return {
    state: 'ready',
    personalDataPersisted: true,
    explanation: `Personal data is encrypted on this computer with a key protected by ${keyWrapper.description}.`,
    remedy: null,
    canRebuild: true,
    dataFolder,
  };
}

function readInfo(db: DatabaseSync, key: string): Uint8Array | null {
  const row = db.prepare('SELECT value FROM store_info WHERE key = ?').get(key) as
    { value: Uint8Array | string } | undefined;
  if (row === undefined) return null;
  return typeof row.value === 'string' ? Buffer.from(row.value, 'utf8') : row.value;
}

function writeKeyCheck(db: DatabaseSync, sealer: FieldSealer, keyId: string): void {
  const put = db.prepare(
    'INSERT INTO store_info (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  db.exec('BEGIN IMMEDIATE');
  try {
    put.run('key_id', Buffer.from(keyId, 'utf8'));
    put.run('key_check', sealer.seal(KEY_CHECK_PLAINTEXT, KEY_CHECK_AT(keyId)));
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

function describeWrapperKind(kind: string): string {
  if (kind === 'safe-storage') return "the desktop app (the operating system's keychain)";
  if (kind === 'env-key') return 'the command line or browser host (CONSOLE_DATA_KEY)';
  return `a key holder called "${kind}"`;
}

function describeDamage(error: unknown): string {
  if (isDamagedDatabaseError(error)) return 'SQLite cannot read it as a database';
  return `it could not be opened (${error instanceof Error ? error.message.slice(0, 200) : 'unknown error'})`;
}
