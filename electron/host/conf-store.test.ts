import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConsoleError } from '../../shared/contract/errors.ts';
import { createMemoryLogger } from '../core/log/logger.ts';
import { PreferencesService } from '../core/preferences/preferences-service.ts';
import { createConfStore } from './conf-store.ts';

describe('conf-backed settings store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'conf-store-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps preferences across restarts in settings.json in the data folder', async () => {
    const logger = createMemoryLogger();
    new PreferencesService(createConfStore(dir, logger)).set({ theme: 'dark' });
    const reopened = new PreferencesService(createConfStore(dir, logger));
    expect(reopened.get()).toEqual({ theme: 'dark', navCollapsed: false });
    expect(JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8'))).toMatchObject({
      preferences: { theme: 'dark' },
    });
  });

  it('moves a file that is not JSON aside instead of clearing it, and starts with defaults', async () => {
    const damaged = '{"preferences": {"theme": "dark"'; // cut short, as by a crash mid-write
    await writeFile(join(dir, 'settings.json'), damaged);
    const logger = createMemoryLogger();
    const store = createConfStore(dir, logger);
    expect(new PreferencesService(store).get()).toEqual({ theme: 'system', navCollapsed: false });
    const files = await readdir(dir);
    const aside = files.find((name) => name.startsWith('settings.json.unreadable-'));
    expect(aside).toBeDefined();
    expect(await readFile(join(dir, aside ?? ''), 'utf8')).toBe(damaged);
    expect(logger.lines.join('\n')).toContain('moved aside');
  });

  it('creates a missing data folder private to the user, and refuses a file in its place with a typed error', async () => {
    const nested = join(dir, 'a', 'b');
    createConfStore(nested, createMemoryLogger()).set('k', 1);
    expect((await stat(nested)).mode & 0o777).toBe(0o700);
    const file = join(dir, 'not-a-folder');
    await writeFile(file, 'x');
    expect(() => createConfStore(file, createMemoryLogger())).toThrow(
      expect.objectContaining({ name: 'BrowserHostError', code: 'data_dir_unusable' }),
    );
    expect(await readFile(file, 'utf8')).toBe('x');
  });

  it.each([
    ['null', 'null'],
    ['[]', 'an array'],
    ['42', 'a number'],
  ])('moves aside a settings file holding %s, saying what it found', async (contents, found) => {
    await writeFile(join(dir, 'settings.json'), contents);
    const logger = createMemoryLogger();
    const store = createConfStore(dir, logger);
    expect(new PreferencesService(store).get()).toEqual({ theme: 'system', navCollapsed: false });
    const aside = (await readdir(dir)).find((name) => name.startsWith('settings.json.unreadable-'));
    expect(await readFile(join(dir, aside ?? ''), 'utf8')).toBe(contents);
    expect(logger.lines.join('\n')).toContain(`holds ${found} instead of an object of settings`);
    new PreferencesService(store).set({ theme: 'dark' });
    expect(new PreferencesService(createConfStore(dir, logger)).get().theme).toBe('dark');
  });

  it.skipIf(process.platform === 'win32')(
    'tightens an existing data folder to 0700 and settings.json to 0600',
    async () => {
      const folder = join(dir, 'loose');
      await mkdir(folder, { mode: 0o755 });
      await chmod(folder, 0o755);
      await writeFile(join(folder, 'settings.json'), '{}', { mode: 0o644 });
      createConfStore(folder, createMemoryLogger());
      expect((await stat(folder)).mode & 0o777).toBe(0o700);
      expect((await stat(join(folder, 'settings.json'))).mode & 0o777).toBe(0o600);
    },
  );

  it.skipIf(process.platform === 'win32' || process.getuid?.() === 0)(
    'an unwritable settings file is reported at start and a save fails with a clear error, not a crash',
    async () => {
      const logger = createMemoryLogger();
      new PreferencesService(createConfStore(dir, logger)).set({ theme: 'dark' });
      // conf writes a temporary file and renames it: a read-only folder is what stops it.
      await chmod(join(dir, 'settings.json'), 0o400);
      await chmod(dir, 0o500);
      try {
        const store = createConfStore(dir, logger);
        expect(logger.lines.join('\n')).toMatch(/settings\.json cannot be written/);
        let caught: unknown;
        try {
          new PreferencesService(store).set({ theme: 'light' });
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(ConsoleError);
        expect(caught).toMatchObject({
          code: 'unavailable',
          message: expect.stringMatching(/settings\.json cannot be written .*Make it writable/),
        });
      } finally {
        await chmod(dir, 0o700);
      }
    },
  );

  it('a save that cannot reach the file fails with a clear error naming it, not a crash (also as root)', async () => {
    const folder = join(dir, 'gone');
    const store = createConfStore(folder, createMemoryLogger());
    // The folder is replaced by a file behind the console's back: every write fails (ENOTDIR).
    await rm(folder, { recursive: true });
    await writeFile(folder, 'not a folder');
    expect(() => new PreferencesService(store).set({ theme: 'light' })).toThrow(
      expect.objectContaining({
        code: 'unavailable',
        message: expect.stringMatching(/gone\/settings\.json cannot be (read|written)/),
      }),
    );
  });
});
