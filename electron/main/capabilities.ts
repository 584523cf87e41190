import { join } from 'node:path';
import type { App, BaseWindow, Dialog, SafeStorage, Shell } from 'electron';
import type { CoreCapabilities } from '../core/compose.ts';
import type { Logger } from '../core/log/logger.ts';
import type { KeyValueStore } from '../core/preferences/preferences-service.ts';
import { ConsoleError } from '../../shared/contract/index.ts';
import { startDemoSandbox } from '../sandbox/demo.ts';
import { SafeStorageKeyWrapper } from '../core/crypto/safe-storage-key-wrapper.ts';

export interface ElectronCapabilityDeps {
  app: Pick<App, 'getName' | 'getVersion'>;
  shell: Pick<Shell, 'openExternal'>;
  /** Seals the platform key and the token cache (refused on Linux `basic_text`: then memory only). */
  safeStorage?: Pick<
    SafeStorage,
    'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
  >;
  store: KeyValueStore;
  logger: Logger;
  /** userData: where the encrypted roster cache lives. */
  dataDir?: string;
  /** The built roster sync worker beside out/main/index.js. */
  rosterWorkerUrl?: URL;
  /** The save dialog for exports (`roster.exportFile`), shown over `window()` when there is one. */
  dialog?: Pick<Dialog, 'showSaveDialog'>;
  window?: () => BaseWindow | null;
  /** Where the save dialog opens (the Downloads folder). */
  downloadsDir?: string;
}

/**
 * Electron's save dialog as the core's `chooseSaveFile`: modal over the console's window, CSV
 * filter, opening in the Downloads folder with the suggested name. Null when the dialog is closed.
 */
export function saveDialogChooser(
  dialog: Pick<Dialog, 'showSaveDialog'>,
  window: () => BaseWindow | null = () => null,
  downloadsDir?: string,
): (suggestedName: string) => Promise<string | null> {
  return async (suggestedName) => {
    const options: Electron.SaveDialogOptions = {
      title: 'Save the export',
      defaultPath: downloadsDir === undefined ? suggestedName : join(downloadsDir, suggestedName),
      buttonLabel: 'Save',
      filters: [{ name: 'CSV (comma-separated values)', extensions: ['csv'] }],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    };
    const parent = window();
    const result = await (parent === null
      ? dialog.showSaveDialog(options)
      : dialog.showSaveDialog(parent, options));
    return result.canceled || result.filePath === undefined || result.filePath === ''
      ? null
      : result.filePath;
  };
}

/**
 * Hands a URL to the operating system. The core's allowlist has already vetted it; this repeats
 * the one check that matters most (https only: never file:, smb:, or an app's custom scheme,
 * which the OS would execute) so no future caller can skip it by reaching this function directly.
 */
export function openVettedUrl(shell: Pick<Shell, 'openExternal'>, raw: string): Promise<void> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return Promise.reject(new ConsoleError('bad_input', 'That is not a valid web address.'));
  }
  if (url.protocol !== 'https:')
    return Promise.reject(new ConsoleError('forbidden', 'Only https links can be opened.'));
  return shell.openExternal(url.toString());
}

/** Electron's real capabilities, handed to the core (which never imports `electron`). */
export function electronCapabilities(deps: ElectronCapabilityDeps): CoreCapabilities {
  return {
    host: 'electron',
    productName: deps.app.getName(),
    version: deps.app.getVersion(),
    logger: deps.logger,
    store: deps.store,
    openExternal: (url) => openVettedUrl(deps.shell, url),
    // The demo runs until a platform is saved in Settings (then the data source reconnects to it).
    startDemo: () => startDemoSandbox(),
    keyWrapper: deps.safeStorage ? new SafeStorageKeyWrapper(deps.safeStorage) : null,
    ...(deps.dataDir === undefined ? {} : { dataDir: deps.dataDir }),
    ...(deps.rosterWorkerUrl === undefined ? {} : { rosterWorkerUrl: deps.rosterWorkerUrl }),
    ...(deps.dialog === undefined
      ? {}
      : { chooseSaveFile: saveDialogChooser(deps.dialog, deps.window, deps.downloadsDir) }),
  };
}
