import { accessSync, constants, renameSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import { ConsoleError } from '../../shared/contract/errors.ts';
import type { Logger } from '../core/log/logger.ts';
import { notAnObjectOfSettings } from '../core/settings/settings-file.ts';
import { ensurePrivateFolder, tightenFiles } from '../core/store/private-files.ts';
import type { KeyValueStore } from '../core/preferences/preferences-service.ts';
import { BrowserHostError } from './host-error.ts';

export const SETTINGS_CONFIG_NAME = 'settings';
const PROJECT_NAME = 'calendar-sync-console';

/**
 * The browser host's settings file: `conf`, the library electron-store is built on, so a data
 * folder means the same thing to both hosts. A file that is not valid JSON (hand-edited, or cut
 * short by a crash) or holds something other than an object of settings (`null`, an array) is moved
 * aside, never cleared: the operator keeps it and the console still starts, and the log says what was
 * found. The folder is made 0700 and the file 0600 on every start. A file that cannot be written is
 * reported at start and, on a save, as a clear `unavailable` error naming the file.
 */
export function createConfStore(dataDir: string, logger: Logger): KeyValueStore & { readonly path: string } {
  const open = (): Conf =>
    new Conf({
      cwd: dataDir,
      configName: SETTINGS_CONFIG_NAME,
      projectName: PROJECT_NAME,
      configFileMode: 0o600,
    });
  const file = join(dataDir, `${SETTINGS_CONFIG_NAME}.json`);
  try {
    // Private to the operator: the folder also holds the platform connection and sign-in state.
    ensurePrivateFolder(dataDir);
    tightenFiles([file]);
  } catch (error) {
    throw new BrowserHostError(
      'data_dir_unusable',
      `The data folder ${dataDir} cannot be created: ${describe(error)}`,
      {
        cause: error,
      },
    );
  }
  const moveAside = (why: string): void => {
    const aside = `${file}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      renameSync(file, aside);
    } catch (renameError) {
      throw new BrowserHostError(
        'data_dir_unusable',
        `The settings file ${file} ${why} and could not be moved aside: ${describe(renameError)}`,
        { cause: renameError },
      );
    }
    logger.warn(`settings file ${why}; moved aside and starting with defaults`, { file, movedTo: aside });
  };
  const found = notAnObjectOfSettings(file);
  if (found !== null) moveAside(`holds ${found} instead of an object of settings`);
  let conf: Conf;
  try {
    conf = open();
  } catch (error) {
    if (!(error instanceof SyntaxError)) {
      throw new BrowserHostError(
        'data_dir_unusable',
        `The data folder ${dataDir} cannot be used: ${describe(error)}`,
        { cause: error },
      );
    }
    moveAside('was not valid JSON');
    conf = open();
  }
  const unwritable = (error: unknown): string =>
    `The settings file ${conf.path} cannot be written (${describe(error)}). Make it writable by the account running the console (its owner needs write permission; a read-only disk or a full disk also cause this), then try again.`;
  try {
    accessSync(conf.path, constants.W_OK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      logger.warn(unwritable(error), { file: conf.path });
  }
  return {
    path: conf.path,
    get: (key) => {
      try {
        return conf.get(key);
      } catch (error) {
        logger.error('settings file cannot be read', { file: conf.path, error: describe(error) });
        throw new ConsoleError(
          'unavailable',
          `The settings file ${conf.path} cannot be read (${describe(error)}). Check that the data folder is still there and readable by the account running the console, then try again.`,
          { cause: error },
        );
      }
    },
    set: (key, value) => {
      try {
        conf.set(key, value);
      } catch (error) {
        logger.error('settings file cannot be written', { file: conf.path, error: describe(error) });
        throw new ConsoleError('unavailable', unwritable(error), { cause: error });
      }
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
