import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../core/log/logger.ts';
import { notAnObjectOfSettings } from '../core/settings/settings-file.ts';
import { ensurePrivateFolder, PRIVATE_FILE_MODE, tightenFiles } from '../core/store/private-files.ts';
import type { KeyValueStore } from '../core/preferences/preferences-service.ts';

export const SETTINGS_NAME = 'settings';

export type StoreFactory = (options: { name: string; cwd: string; configFileMode: number }) => KeyValueStore;

/**
 * Opens the settings file (electron-store). A file that is not valid JSON (a crash mid-write, a
 * bad hand edit) makes electron-store throw; rather than refuse to start, the file is kept aside
 * as `settings.corrupt-<time>.json` for support and the console starts with defaults; so is a file holding
 * JSON that is not an object of settings (`null`, an array).
 */
export function openSettingsStore(
  createStore: StoreFactory,
  options: { dir: string; logger: Logger; now?: () => Date },
): KeyValueStore {
  // The file holds the sealed secrets: 0600 in a 0700 folder, existing ones tightened on every start.
  const storeOptions = { name: SETTINGS_NAME, cwd: options.dir, configFileMode: PRIVATE_FILE_MODE };
  const file = join(options.dir, `${SETTINGS_NAME}.json`);
  ensurePrivateFolder(options.dir);
  tightenFiles([file]);
  const keepAside = (): string => {
    const stamp = (options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
    const aside = join(options.dir, `${SETTINGS_NAME}.corrupt-${stamp}.json`);
    renameSync(file, aside);
    return aside;
  };
  // JSON that is not an object of settings (null, an array) would otherwise be taken silently as defaults.
  const found = notAnObjectOfSettings(file);
  if (found !== null) {
    const aside = keepAside();
    options.logger.error(
      `settings file holds ${found} instead of an object of settings; kept aside and started with defaults`,
      {
        keptAs: aside,
      },
    );
  }
  try {
    return createStore(storeOptions);
  } catch (error) {
    if (!existsSync(file)) throw error;
    const aside = keepAside();
    options.logger.error('settings file unreadable; kept aside and started with defaults', {
      keptAs: aside,
      error: error instanceof Error ? error.message : String(error),
    });
    return createStore(storeOptions);
  }
}
