import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createMemoryLogger } from '../core/log/logger.ts';
import { createMemoryStore } from '../core/preferences/preferences-service.ts';
import { openSettingsStore, type StoreFactory } from './settings-store.ts';

/** Behaves like electron-store on open: throws on a settings file that is not JSON. */
const jsonFileStore: StoreFactory = ({ name, cwd }) => {
  const file = join(cwd, `${name}.json`);
  const initial = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  return createMemoryStore(initial);
};

describe('settings store', () => {
  it('opens settings.json in the given folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-'));
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ preferences: { theme: 'dark' } }));
    const factory = vi.fn(jsonFileStore);
    const store = openSettingsStore(factory, { dir, logger: createMemoryLogger() });
    expect(factory).toHaveBeenCalledWith({ name: 'settings', cwd: dir, configFileMode: 0o600 });
    expect(store.get('preferences')).toEqual({ theme: 'dark' });
  });

  it.skipIf(process.platform === 'win32')(
    'makes the folder 0700 and settings.json 0600, tightening looser ones',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'settings-'));
      chmodSync(dir, 0o755);
      writeFileSync(join(dir, 'settings.json'), '{}', { mode: 0o644 });
      chmodSync(join(dir, 'settings.json'), 0o644);
      openSettingsStore(jsonFileStore, { dir, logger: createMemoryLogger() });
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dir, 'settings.json')).mode & 0o777).toBe(0o600);
    },
  );

  it('keeps a corrupt file aside, logs it and starts with defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-'));
    writeFileSync(join(dir, 'settings.json'), '{"preferences": {"theme": "da');
    const logger = createMemoryLogger();
    const store = openSettingsStore(jsonFileStore, {
      dir,
      logger,
      now: () => new Date('2026-01-02T03:04:05.678Z'),
    });
    expect(store.get('preferences')).toBeUndefined();
    const aside = join(dir, 'settings.corrupt-2026-01-02T03-04-05-678Z.json');
    expect(readFileSync(aside, 'utf8')).toBe('{"preferences": {"theme": "da');
    expect(logger.lines.some((line) => line.includes('settings file unreadable'))).toBe(true);
  });

  it('rethrows when the failure is not about the file (nothing to keep aside)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-'));
    const failing: StoreFactory = () => {
      throw new Error('EACCES');
    };
    expect(() => openSettingsStore(failing, { dir, logger: createMemoryLogger() })).toThrow('EACCES');
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    ['null', 'null'],
    ['[1,2]', 'an array'],
  ])('keeps aside a file holding %s, saying what it found', (contents, found) => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-'));
    writeFileSync(join(dir, 'settings.json'), contents);
    const logger = createMemoryLogger();
    const store = openSettingsStore(jsonFileStore, {
      dir,
      logger,
      now: () => new Date('2026-01-02T03:04:05.678Z'),
    });
    expect(store.get('preferences')).toBeUndefined();
    expect(readFileSync(join(dir, 'settings.corrupt-2026-01-02T03-04-05-678Z.json'), 'utf8')).toBe(contents);
    expect(logger.lines.join('\n')).toContain(
      `settings file holds ${found} instead of an object of settings`,
    );
  });
});
