import { DATA_KEY_BYTES } from './field-sealing.ts';
import {
  KeyUnwrapError,
  KeyWrapperRefusedError,
  type KeyWrapper,
  type KeyWrapperCheck,
} from './key-wrapper.ts';

/**
 * The slice of Electron's `safeStorage` this wrapper uses, described structurally so the core
 * never imports `electron`: the main process passes the real `safeStorage` object.
 */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron; omitted on Windows and macOS. */
  getSelectedStorageBackend?: () => string;
}

/**
 * Wraps the data key with the OS keychain (DPAPI on Windows, Keychain on macOS, libsecret/kwallet
 * on Linux). It refuses rather than degrade: on Linux without a keyring Electron falls back to
 * `basic_text`, a hard-coded password that protects nothing, and Signal Desktop refuses it for the
 * same reason. A refusal makes the store keep personal data in memory only.
 */
export class SafeStorageKeyWrapper implements KeyWrapper {
  readonly kind = 'safe-storage';
  readonly description = "the operating system's keychain";
  readonly #safeStorage: SafeStorageLike;

  constructor(safeStorage: SafeStorageLike) {
    this.#safeStorage = safeStorage;
  }

  check(): KeyWrapperCheck {
    if (!this.#safeStorage.isEncryptionAvailable()) {
      return {
        available: false,
        explanation:
          "This computer's keychain is not available to the console, so personal data (names, emails, mailboxes) is kept in memory only and fetched again at every start.",
        remedy:
          'Sign in to a desktop session with a keychain (Windows account, macOS Keychain, or GNOME Keyring / KWallet on Linux) and restart the console.',
      };
    }
    const backend = this.#safeStorage.getSelectedStorageBackend?.();
    if (backend === 'basic_text') {
      return {
        available: false,
        explanation:
          'No keyring is running on this Linux desktop, and the fallback Electron would use stores secrets with a fixed, public password. Personal data is therefore kept in memory only and fetched again at every start.',
        remedy:
          'Install and unlock GNOME Keyring or KWallet (for example the gnome-keyring package), then restart the console.',
      };
    }
    if (backend === 'unknown') {
      return {
        available: false,
        explanation:
          'The keychain was queried before the application finished starting, so the console cannot tell whether it is safe. Personal data is kept in memory only.',
        remedy: 'Restart the console. If this persists, report it: it is a start-up ordering fault.',
      };
    }
    return { available: true };
  }

  wrap(dataKey: Uint8Array): Uint8Array {
    const check = this.check();
    if (!check.available) throw new KeyWrapperRefusedError(check.explanation);
    return this.#safeStorage.encryptString(Buffer.from(dataKey).toString('base64'));
  }

  unwrap(wrapped: Uint8Array): Uint8Array {
    const check = this.check();
    if (!check.available) throw new KeyWrapperRefusedError(check.explanation);
    let text: string;
    try {
      text = this.#safeStorage.decryptString(Buffer.from(wrapped));
    } catch (error) {
      throw new KeyUnwrapError(
        "The keychain could not unlock this console's data key (a different user account or a reset keychain).",
        { cause: error },
      );
    }
    const key = Buffer.from(text, 'base64');
    if (key.length !== DATA_KEY_BYTES || key.toString('base64') !== text) {
      throw new KeyUnwrapError('The keychain returned something that is not a data key.');
    }
    return key;
  }
}
