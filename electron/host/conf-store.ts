import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import type { Logger } from '../core/log/logger.ts';
import type { KeyValueStore } from '../core/preferences/preferences-service.ts';
import { BrowserHostError } from './host-error.ts';

export const SETTINGS_CONFIG_NAME = 'settings';
const PROJECT_NAME = 'calendar-sync-console';

/**
 * The browser host's settings file: `conf`, the library electron-store is built on, so a data
 * folder means the same thing to both hosts. A file that is not valid JSON (hand-edited, or cut
 * short by a crash) is moved aside, never cleared: the operator keeps it and the console still starts.
 */
export function createConfStore(dataDir: string, logger: Logger): KeyValueStore & { readonly path: string } {
  const open = (): Conf =>
    new Conf({
      cwd: dataDir,
      configName: SETTINGS_CONFIG_NAME,
      projectName: PROJECT_NAME,
      configFileMode: 0o600,
    });
  try {
    // Private to the operator: the folder will also hold the platform connection and sign-in state.
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new BrowserHostError(
      'data_dir_unusable',
      `The data folder ${dataDir} cannot be created: ${describe(error)}`,
      {
        cause: error,
      },
    );
  }
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
    const file = join(dataDir, `${SETTINGS_CONFIG_NAME}.json`);
    const aside = `${file}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      renameSync(file, aside);
    } catch (renameError) {
      throw new BrowserHostError(
        'data_dir_unusable',
        `The settings file ${file} is not valid JSON and could not be moved aside: ${describe(renameError)}`,
        {
          cause: renameError,
        },
      );
    }
    logger.warn('settings file was not valid JSON; moved aside and starting with defaults', {
      file,
      movedTo: aside,
    });
    conf = open();
  }
  return {
    path: conf.path,
    get: (key) => conf.get(key),
    set: (key, value) => conf.set(key, value),
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
