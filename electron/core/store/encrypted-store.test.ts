import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { external } from '../../../tests/support/paths.ts';
import { ConsoleError } from '../../../shared/contract/errors.ts';
import { CONSOLE_DATA_KEY_ENV, EnvKeyWrapper } from '../crypto/env-key-wrapper.ts';
import type { KeyWrapper } from '../crypto/key-wrapper.ts';
import { SafeStorageKeyWrapper } from '../crypto/safe-storage-key-wrapper.ts';
import { syntheticRoster } from '../roster/query/synthetic-roster.ts';
import { DATABASE_FILE, EncryptedStore, KEY_FILE, SET_ASIDE_FOLDER } from './encrypted-store.ts';
import type { RosterRow } from './roster-table.ts';
import { RosterWriter } from './roster-writer.ts';

const folders: string[] = [];
const stores: EncryptedStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'store-test-'));
  folders.push(folder);
  return folder;
}

const envKey = () => new EnvKeyWrapper({ [CONSOLE_DATA_KEY_ENV]: randomBytes(32).toString('base64') });

function open(dataFolder: string, keyWrapper: KeyWrapper = envKey()): EncryptedStore {
  const store = EncryptedStore.open({ dataFolder, keyWrapper, now: () => new Date('2026-11-02T10:00:00Z') });
  stores.push(store);
  return store;
}

function row(overrides: Partial<RosterRow> = {}): RosterRow {
  return { ...syntheticRoster(1, { seed: 7 })[0]!, ...overrides };
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((name) => join(folder, name))
    .filter((path) => statSync(path).isFile());
}

/** Every file's bytes, searched for the value as UTF-8, UTF-16LE and UTF-16BE. */
function filesContaining(folder: string, value: string): string[] {
  const needles = [
    Buffer.from(value, 'utf8'),
    Buffer.from(value, 'utf16le'),
    Buffer.from(value, 'utf16le').swap16(),
  ];
  return filesUnder(folder).filter((path) => {
    const bytes = readFileSync(path);
    return needles.some((needle) => bytes.includes(needle));
  });
}

describe('EncryptedStore: sealing at rest', () => {
  it('never writes a personal value in clear to any file of the data folder', () => {
    const folder = tempFolder();
    const store = open(folder);
    const email = 'zelda.sentinel-4711@career.example.edu';
    const names = { firstName: 'Quintessa', lastName: 'Vorstadtmeyer', preferredName: 'Quinnie' };
    store.roster.upsertMany([
      row({ ...names, email, calendarMailbox: `mbx.${email}`, userId: 'u_sentinel' }),
    ]);
    // With the database open the WAL still holds the transaction: check it, then again after checkpoint and close.
    const files = filesUnder(folder).map((path) => path.slice(folder.length + 1));
    expect(files).toEqual(expect.arrayContaining([DATABASE_FILE, `${DATABASE_FILE}-wal`, KEY_FILE]));
    for (const secret of [email, ...Object.values(names)])
      expect(filesContaining(folder, secret)).toEqual([]);
    store.close();
    for (const secret of [email, ...Object.values(names)])
      expect(filesContaining(folder, secret)).toEqual([]);
    // Non-personal fields stay queryable in clear, which is what makes the sealing test meaningful.
    expect(filesContaining(folder, 'u_sentinel').length).toBeGreaterThan(0);
  });

  it('round-trips tricky real names and naughty strings exactly', () => {
    const names = JSON.parse(readFileSync(external('names', 'unicode_names.json'), 'utf8')) as string[];
    const naughty = (JSON.parse(readFileSync(external('names', 'blns.json'), 'utf8')) as string[]).filter(
      (s) => Buffer.from(s, 'utf8').toString('utf8') === s,
    );
    const values = [...names, ...naughty, ''];
    const rows = values.map((value, i) =>
      row({
        userId: `u_${i}`,
        firstName: value,
        lastName: [...value].reverse().join(''),
        preferredName: i % 2 === 0 ? value : null,
        email: `${value}@example.edu`,
      }),
    );
    const folder = tempFolder();
    const keyWrapper = envKey();
    open(folder, keyWrapper).roster.upsertMany(rows);
    stores.pop()?.close();
    const reopened = open(folder, keyWrapper);
    expect(reopened.status().state).toBe('ready');
    expect([...reopened.roster.all()]).toEqual(rows);
  });

  it('detects a sealed value moved from one row to another', () => {
    const folder = tempFolder();
    const keyWrapper = envKey();
    const store = open(folder, keyWrapper);
    store.roster.upsertMany([
      row({ userId: 'u_a', email: 'a@example.edu' }),
      row({ userId: 'u_b', email: 'b@example.edu' }),
    ]);
    store.close();
    const db = new DatabaseSync(join(folder, DATABASE_FILE));
    db.exec(
      "UPDATE roster SET personal = (SELECT personal FROM roster WHERE user_id = 'u_a') WHERE user_id = 'u_b'",
    );
    db.close();
    const reopened = open(folder, keyWrapper);
    expect(reopened.roster.get('u_a')?.email).toBe('a@example.edu');
    expect(() => reopened.guarded((s) => s.roster.get('u_b'))).toThrow(/did not authenticate/);
  });
});

describe('EncryptedStore: rows sealed together (a full sync page)', () => {
  const chunkCount = (folder: string) => {
    const db = new DatabaseSync(join(folder, DATABASE_FILE), { readOnly: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM personal_chunks').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  it('seals a batch as one value: nothing personal in clear, every row back exactly, in order', () => {
    const folder = tempFolder();
    const keyWrapper = envKey();
    const store = open(folder, keyWrapper);
    const email = 'orla.sentinel-9090@career.example.edu';
    const rows = syntheticRoster(300, { seed: 11 }).map((r, i) =>
      i === 123 ? { ...r, email, firstName: 'Oriabel', calendarMailbox: email } : r,
    );
    expect(store.roster.upsertSealedTogether(rows)).toBe(300);
    expect(chunkCount(folder)).toBe(1);
    for (const secret of [email, 'Oriabel']) expect(filesContaining(folder, secret)).toEqual([]);
    store.close();
    stores.pop();
    for (const secret of [email, 'Oriabel']) expect(filesContaining(folder, secret)).toEqual([]);
    const reopened = open(folder, keyWrapper);
    expect([...reopened.roster.all()]).toEqual(rows);
    expect(reopened.roster.get(rows[123]!.userId)).toEqual(rows[123]);
  });

  it('detects a chunk pointer copied onto another row, and a chunk moved to another id', () => {
    const folder = tempFolder();
    const keyWrapper = envKey();
    const store = open(folder, keyWrapper);
    store.roster.upsertSealedTogether([row({ userId: 'u_a' }), row({ userId: 'u_b' })]);
    store.roster.upsertSealedTogether([row({ userId: 'u_c' })]);
    store.close();
    stores.pop();
    const db = new DatabaseSync(join(folder, DATABASE_FILE));
    db.exec(`UPDATE roster SET personal_slot = 0 WHERE user_id = 'u_b'`);
    db.exec(`UPDATE personal_chunks SET sealed = (SELECT sealed FROM personal_chunks ORDER BY id LIMIT 1)
      WHERE id = (SELECT max(id) FROM personal_chunks)`);
    db.close();
    const reopened = open(folder, keyWrapper);
    expect(reopened.roster.get('u_a')?.userId).toBe('u_a');
    expect(() => reopened.guarded((s) => s.roster.get('u_b'))).toThrow(/did not authenticate/);
    expect(() => reopened.guarded((s) => s.roster.get('u_c'))).toThrow(/did not authenticate/);
  });

  it('a row written on its own over a chunk row gets its own sealed value; the others still read', () => {
    const folder = tempFolder();
    const store = open(folder);
    store.roster.upsertSealedTogether([row({ userId: 'u_a' }), row({ userId: 'u_b' })]);
    store.roster.upsertMany([row({ userId: 'u_a', email: 'a2@example.edu' })]);
    expect(store.roster.get('u_a')?.email).toBe('a2@example.edu');
    expect(store.roster.get('u_b')?.userId).toBe('u_b');
    expect([...store.roster.all()].map((r) => r.userId)).toEqual(['u_a', 'u_b']);
  });

  it('a full sync swap keeps the new rows and then drops exactly the replaced chunks', () => {
    const folder = tempFolder();
    const store = open(folder);
    const session = store.rosterWriterSession();
    if (session === null) throw new Error('expected a writable store');
    const writer = RosterWriter.open(session);
    try {
      const first = syntheticRoster(40, { seed: 3 });
      writer.staging.begin();
      writer.staging.append(first.slice(0, 25));
      writer.staging.append(first.slice(25));
      expect(writer.staging.promote({ lastFullSyncAt: '2026-11-02T10:00:00.000Z' })).toBe(40);
      expect(writer.staging.dropReplacedChunks()).toBe(0);
      // A sync that fails midway leaves its chunk behind; the next swap drops it with the old roster's.
      writer.staging.begin();
      writer.staging.append(syntheticRoster(5, { seed: 5 }));
      const second = syntheticRoster(10, { seed: 4 });
      writer.staging.begin();
      writer.staging.append(second);
      writer.staging.promote({});
      expect(chunkCount(folder)).toBe(4);
      expect(writer.staging.dropReplacedChunks()).toBe(3);
      expect(chunkCount(folder)).toBe(1);
      expect([...writer.roster.all()]).toEqual(second);
    } finally {
      writer.close();
    }
  });
});

describe('EncryptedStore: keys', () => {
  it('opens locked, not wiped, under the wrong key; the right key opens it again', () => {
    const folder = tempFolder();
    const rightKey = envKey();
    open(folder, rightKey).roster.upsertMany([row({ userId: 'u_keep' })]);
    stores.pop()?.close();
    const before = readFileSync(join(folder, DATABASE_FILE));

    const wrong = open(folder, envKey());
    expect(wrong.status()).toMatchObject({ state: 'locked', personalDataPersisted: false, canRebuild: true });
    expect(wrong.status().explanation).toMatch(/not the key this data was sealed with/);
    expect(() => wrong.roster).toThrow(ConsoleError);
    wrong.close();
    expect(readFileSync(join(folder, DATABASE_FILE)).equals(before)).toBe(true);

    expect(open(folder, rightKey).roster.get('u_keep')?.userId).toBe('u_keep');
  });

  it('opens locked when the key is missing from the environment but sealed data exists', () => {
    const folder = tempFolder();
    open(folder).roster.upsertMany([row()]);
    stores.pop()?.close();
    const status = open(folder, new EnvKeyWrapper({})).status();
    expect(status.state).toBe('locked');
    expect(status.remedy).toContain("randomBytes(32).toString('base64')");
  });

  it('opens locked when the key file is missing, damaged, or from another folder', () => {
    const folder = tempFolder();
    const keyWrapper = envKey();
    open(folder, keyWrapper).roster.upsertMany([row()]);
    stores.pop()?.close();
    const keyPath = join(folder, KEY_FILE);
    const keyFile = readFileSync(keyPath);

    writeFileSync(keyPath, keyFile.subarray(0, keyFile.length >> 1));
    expect(open(folder, keyWrapper).status()).toMatchObject({
      state: 'locked',
      explanation: expect.stringMatching(/torn write/),
    });
    stores.pop()?.close();

    rmSync(keyPath);
    expect(open(folder, keyWrapper).status()).toMatchObject({
      state: 'locked',
      explanation: expect.stringMatching(/missing/),
    });
    stores.pop()?.close();

    const otherFolder = tempFolder();
    open(otherFolder, keyWrapper).close();
    writeFileSync(keyPath, readFileSync(join(otherFolder, KEY_FILE)));
    expect(open(folder, keyWrapper).status()).toMatchObject({
      state: 'locked',
      explanation: expect.stringMatching(/another data folder/),
    });
    stores.pop()?.close();

    writeFileSync(keyPath, keyFile);
    expect(open(folder, keyWrapper).status().state).toBe('ready');
  });

  it('keeps personal data in memory only when the keychain refuses, and still keeps history', () => {
    const folder = tempFolder();
    const basicText = new SafeStorageKeyWrapper({
      isEncryptionAvailable: () => true,
      encryptString: (s) => Buffer.from(s),
      decryptString: (b) => b.toString(),
      getSelectedStorageBackend: () => 'basic_text',
    });
    const store = open(folder, basicText);
    expect(store.status()).toMatchObject({ state: 'memory-only', personalDataPersisted: false });
    expect(() => store.roster.upsertMany([row()])).toThrow(/Personal data is not kept on this computer/);
    expect(() => store.rosterMeta).toThrow(ConsoleError);
    store.history.put({
      date: '2026-11-01',
      source: 'local',
      counts: { legacy: 3 },
      recordedAt: '2026-11-02T00:00:00Z',
    });
    expect(store.history.list('2026-11-01', '2026-11-01')).toHaveLength(1);
    expect(filesUnder(folder).some((path) => path.endsWith(KEY_FILE))).toBe(false);
  });
});

describe('EncryptedStore: damaged files', () => {
  function populated(): { folder: string; keyWrapper: EnvKeyWrapper } {
    const folder = tempFolder();
    const keyWrapper = envKey();
    const store = open(folder, keyWrapper);
    store.roster.upsertMany(syntheticRoster(3000, { seed: 3 }));
    store.close();
    return { folder, keyWrapper };
  }

  it('opens a truncated database as needs-rebuild, keeps the file, and rebuilds by moving it aside', () => {
    const { folder, keyWrapper } = populated();
    const dbPath = join(folder, DATABASE_FILE);
    truncateSync(dbPath, Math.floor(statSync(dbPath).size / 2) + 100);
    const damaged = readFileSync(dbPath);

    const store = open(folder, keyWrapper);
    expect(store.status()).toMatchObject({ state: 'needs-rebuild', canRebuild: true });
    expect(store.status().explanation).toMatch(/damaged/);
    expect(() => store.roster).toThrow(ConsoleError);
    expect(readFileSync(dbPath).equals(damaged)).toBe(true);

    expect(store.rebuildFromScratch().state).toBe('ready');
    expect(store.roster.count()).toBe(0);
    const aside = join(folder, SET_ASIDE_FOLDER, '2026-11-02T10-00-00-000Z');
    expect(readFileSync(join(aside, DATABASE_FILE)).equals(damaged)).toBe(true);
    expect(readdirSync(aside)).toContain(KEY_FILE);
  });

  it('opens a file of garbage as needs-rebuild without touching it', () => {
    const folder = tempFolder();
    const garbage = randomBytes(64 * 1024);
    writeFileSync(join(folder, DATABASE_FILE), garbage);
    const store = open(folder);
    expect(store.status().state).toBe('needs-rebuild');
    expect(readFileSync(join(folder, DATABASE_FILE)).equals(garbage)).toBe(true);
  });

  it('says what it found when the database is an empty (0-byte) file, instead of starting afresh as ready', () => {
    const { folder, keyWrapper } = populated();
    const dbPath = join(folder, DATABASE_FILE);
    // A crash or full disk leaves 0 bytes (the WAL already checkpointed): SQLite alone would open it as new.
    truncateSync(dbPath, 0);
    const store = open(folder, keyWrapper);
    expect(store.status()).toMatchObject({ state: 'needs-rebuild', canRebuild: true });
    expect(store.status().explanation).toMatch(/console\.db.*empty \(0 bytes\)/);
    expect(() => store.savedViews).toThrow(ConsoleError);
    expect(statSync(dbPath).size).toBe(0);
    expect(store.rebuildFromScratch().state).toBe('ready');
  });

  it('detects a torn page in the middle of the file', () => {
    const { folder, keyWrapper } = populated();
    const dbPath = join(folder, DATABASE_FILE);
    const bytes = readFileSync(dbPath);
    // Overwrite half of the second page (the first roster page), as a crash mid-write would.
    bytes.fill(0xa5, 4096, 4096 + 2048);
    writeFileSync(dbPath, bytes);
    expect(open(folder, keyWrapper).status().state).toBe('needs-rebuild');
  });
});

describe.skipIf(process.platform === 'win32')('EncryptedStore: file modes', () => {
  const modeOf = (path: string) => statSync(path).mode & 0o777;

  it('creates the folder 0700 and every file 0600, and tightens looser ones on every start', () => {
    const folder = join(tempFolder(), 'store');
    const keyWrapper = envKey();
    const first = open(folder, keyWrapper);
    first.roster.upsertMany(syntheticRoster(50, { seed: 5 }));
    expect(modeOf(folder)).toBe(0o700);
    for (const file of filesUnder(folder)) expect(modeOf(file), file).toBe(0o600);
    first.close();

    chmodSync(folder, 0o755);
    for (const file of filesUnder(folder)) chmodSync(file, 0o644);
    const again = open(folder, keyWrapper);
    expect(again.status().state).toBe('ready');
    expect(modeOf(folder)).toBe(0o700);
    for (const file of filesUnder(folder)) expect(modeOf(file), file).toBe(0o600);
  });
});

describe('EncryptedStore: schema and book-keeping', () => {
  it('records applied migrations and refuses a schema from a newer console without changing it', () => {
    const folder = tempFolder();
    open(folder).close();
    const db = new DatabaseSync(join(folder, DATABASE_FILE));
    expect(db.prepare('SELECT version, name FROM schema_migrations').all()).toEqual([
      { version: 1, name: expect.any(String) },
      { version: 2, name: expect.any(String) },
      { version: 3, name: expect.any(String) },
    ]);
    db.exec("INSERT INTO schema_migrations VALUES (99, 'from the future', '2030-01-01')");
    db.close();
    const store = open(folder);
    expect(store.status()).toMatchObject({
      state: 'locked',
      explanation: expect.stringMatching(/newer console/),
    });
  });

  it('keeps roster meta and upserts rows in place', () => {
    const folder = tempFolder();
    const store = open(folder);
    const first = row({ userId: 'u_1', status: 'legacy' });
    store.roster.upsertMany([first, row({ userId: 'u_2' })]);
    store.roster.upsertMany([{ ...first, status: 'migrated', lastError: null }]);
    expect(store.roster.count()).toBe(2);
    expect(store.roster.get('u_1')?.status).toBe('migrated');
    expect([...store.roster.all()].map((r) => r.userId)).toEqual(['u_1', 'u_2']);
    expect(store.roster.deleteMany(['u_2', 'u_missing'])).toBe(1);
    expect(
      store.rosterMeta.set({
        lastFullSyncAt: '2026-11-02T09:00:00Z',
        updatedSinceWatermark: '2026-11-02T08:59:00Z',
      }),
    ).toEqual({
      lastFullSyncAt: '2026-11-02T09:00:00Z',
      updatedSinceWatermark: '2026-11-02T08:59:00Z',
      lastIncrementalSyncAt: null,
    });
    expect(store.rosterMeta.set({ lastFullSyncAt: null }).lastFullSyncAt).toBeNull();
  });

  it('commits an incremental refresh without the automatic checkpoint, and checkpoints on request', () => {
    const folder = tempFolder();
    const store = open(folder);
    const session = store.rosterWriterSession();
    expect(session).not.toBeNull();
    const writer = RosterWriter.open(session!);
    try {
      writer.commitIncremental([row({ userId: 'u_1' }), row({ userId: 'u_2', status: 'error' })], {
        updatedSinceWatermark: '2026-11-02T08:59:00Z',
        lastIncrementalSyncAt: '2026-11-02T09:00:00Z',
      });
      writer.checkpoint();
      // The writes are there for the main thread's connection; a failed refresh leaves nothing.
      expect(store.roster.count()).toBe(2);
      expect(store.roster.get('u_2')?.status).toBe('error');
      expect(store.rosterMeta.get().updatedSinceWatermark).toBe('2026-11-02T08:59:00Z');
      expect(() =>
        writer.commitIncremental(
          [{ ...row({ userId: 'u_3' }), role: undefined } as unknown as RosterRow],
          {},
        ),
      ).toThrow();
      expect(store.roster.count()).toBe(2);
      writer.commitIncremental([row({ userId: 'u_3' })], {});
      expect(store.roster.count()).toBe(3);
    } finally {
      writer.close();
    }
    // A checkpoint after close (the worker closing meanwhile) is a no-op.
    expect(() => writer.checkpoint()).not.toThrow();
  });

  it('rolls back a batch that fails halfway', () => {
    const store = open(tempFolder());
    const bad = { ...row({ userId: 'u_bad' }), role: undefined } as unknown as RosterRow;
    expect(() => store.roster.upsertMany([row({ userId: 'u_ok' }), bad])).toThrow();
    expect(store.roster.count()).toBe(0);
  });
});
