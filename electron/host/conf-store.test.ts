import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
});
