import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../core/log/logger.ts';
import type { KeyValueStore } from '../core/preferences/preferences-service.ts';

export const SETTINGS_NAME = 'settings';

export type StoreFactory = (options: { name: string; cwd: string }) => KeyValueStore;

/**
 * Opens the settings file (electron-store). A file that is not valid JSON (a crash mid-write, a
 * bad hand edit) makes electron-store throw; rather than refuse to start, the file is kept aside
 * as `settings.corrupt-<time>.json` for support and the console starts with defaults.
 */
export function openSettingsStore(
  createStore: StoreFactory,
  options: { dir: string; logger: Logger; now?: () => Date },
): KeyValueStore {
  const storeOptions = { name: SETTINGS_NAME, cwd: options.dir };
  try {
    return createStore(storeOptions);
  } catch (error) {
    const file = join(options.dir, `${SETTINGS_NAME}.json`);
    if (!existsSync(file)) throw error;
    const stamp = (options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
    const aside = join(options.dir, `${SETTINGS_NAME}.corrupt-${stamp}.json`);
    renameSync(file, aside);
    options.logger.error('settings file unreadable; kept aside and started with defaults', {
      keptAs: aside,
      error: error instanceof Error ? error.message : String(error),
    });
    return createStore(storeOptions);
  }
}
