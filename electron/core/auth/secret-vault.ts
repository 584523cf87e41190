import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { DATA_KEY_BYTES, FieldSealer } from '../crypto/field-sealing.ts';
import type { KeyWrapper } from '../crypto/key-wrapper.ts';
import type { Logger } from '../log/logger.ts';
import type { KeyValueStore } from '../preferences/preferences-service.ts';

/**
 * Small secrets (the platform API key, the MSAL token cache) sealed at rest. Each value is sealed
 * with AES-256-GCM under a random data key (bound to its name), and the data key is kept only in
 * the form the host's KeyWrapper gives it (OS keychain in Electron, CONSOLE_DATA_KEY elsewhere).
 * Where no wrapper can protect it (no keychain, Linux `basic_text`, no env key) secrets live in
 * memory only and `status()` says so; they are never written in clear.
 */

export const VAULT_STORE_KEY = 'sealedSecrets';

const VaultRecord = z.object({
  format: z.literal(1),
  wrapper: z.string().min(1).max(50),
  wrappedKey: z.base64(),
  values: z.record(z.string().max(100), z.base64()),
});
type VaultRecord = z.infer<typeof VaultRecord>;

export interface VaultStatus {
  persisted: boolean;
  explanation: string | null;
  remedy: string | null;
}

const context = (name: string) => ({ table: 'secrets', column: name, rowId: 'console' });

export class SecretVault {
  readonly #store: KeyValueStore;
  readonly #logger: Logger;
  readonly #memory = new Map<string, string>();
  #sealer: FieldSealer | null = null;
  #record: VaultRecord | null = null;
  #status: VaultStatus;
  readonly #wrapper: KeyWrapper | null;
  /** Set when the stored record cannot be opened: it is moved aside on the first write, never overwritten. */
  #unreadable = false;

  constructor(options: { store: KeyValueStore; keyWrapper: KeyWrapper | null; logger: Logger }) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#wrapper = options.keyWrapper;
    this.#status = this.#open();
  }

  status(): VaultStatus {
    return { ...this.#status };
  }

  /** Saved secrets exist but cannot be opened (another data key, or damaged): why, or null. */
  unreadableReason(): string | null {
    return this.#unreadable ? this.#status.explanation : null;
  }

  get(name: string): string | null {
    return this.#memory.get(name) ?? null;
  }

  /**
   * Keeps a secret. While the saved secrets cannot be opened (another key), only a deliberate
   * save (`replaceUnreadable`, e.g. the operator entering the platform key again) sets the old
   * sealed copy aside and starts afresh; anything else stays in memory until the key is back.
   */
  set(name: string, value: string, options: { replaceUnreadable?: boolean } = {}): void {
    this.#memory.set(name, value);
    if (!this.#status.persisted && !(this.#unreadable && options.replaceUnreadable === true)) return;
    this.#persist((record, sealer) => {
      record.values[name] = Buffer.from(sealer.seal(value, context(name))).toString('base64');
    });
  }

  delete(name: string): void {
    this.#memory.delete(name);
    if (this.#unreadable) return;
    if (this.#record && Object.hasOwn(this.#record.values, name)) {
      this.#persist((record) => {
        delete record.values[name];
      });
    }
  }

  #open(): VaultStatus {
    if (this.#wrapper === null) {
      return {
        persisted: false,
        explanation: 'Secrets are kept in memory only: this console host has no way to protect them at rest.',
        remedy: null,
      };
    }
    const check = this.#wrapper.check();
    if (!check.available) {
      return {
        persisted: false,
        explanation: `Secrets are kept in memory only. ${check.explanation}`,
        remedy: check.remedy,
      };
    }
    const raw = this.#store.get(VAULT_STORE_KEY);
    const parsed = raw === undefined ? null : VaultRecord.safeParse(raw);
    if (parsed === null) return { persisted: true, explanation: null, remedy: null };
    if (!parsed.success || parsed.data.wrapper !== this.#wrapper.kind) {
      return this.#locked('The saved secrets were sealed by another host or are damaged.');
    }
    try {
      const dataKey = this.#wrapper.unwrap(Buffer.from(parsed.data.wrappedKey, 'base64'));
      const sealer = new FieldSealer(dataKey);
      for (const [name, sealed] of Object.entries(parsed.data.values)) {
        this.#memory.set(name, sealer.open(Buffer.from(sealed, 'base64'), context(name)));
      }
      this.#sealer = sealer;
      this.#record = parsed.data;
      return { persisted: true, explanation: null, remedy: null };
    } catch (error) {
      this.#logger.warn('sealed secrets cannot be opened', {
        error: error instanceof Error ? error.message : String(error),
      });
      return this.#locked(
        `The saved secrets cannot be opened with ${this.#wrapper.description} (it is not the key they were sealed with).`,
      );
    }
  }

  #locked(reason: string): VaultStatus {
    this.#unreadable = true;
    return {
      persisted: false,
      explanation: `${reason} They are kept as they are; new secrets stay in memory until you save one again.`,
      remedy:
        'Restore the key the secrets were sealed with and restart, or sign in and enter the platform key again (the old sealed copy is then set aside, not deleted).',
    };
  }

  #persist(change: (record: VaultRecord, sealer: FieldSealer) => void): void {
    const wrapper = this.#wrapper;
    if (wrapper === null || !wrapper.check().available) return;
    if (this.#unreadable) {
      // Never overwrite secrets we could not open: keep them under a dated name, then start afresh.
      this.#store.set(
        `${VAULT_STORE_KEY}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`,
        this.#store.get(VAULT_STORE_KEY),
      );
      this.#unreadable = false;
      this.#record = null;
      this.#sealer = null;
    }
    if (this.#record === null || this.#sealer === null) {
      const dataKey = randomBytes(DATA_KEY_BYTES);
      this.#sealer = new FieldSealer(dataKey);
      this.#record = {
        format: 1,
        wrapper: wrapper.kind,
        wrappedKey: Buffer.from(wrapper.wrap(dataKey)).toString('base64'),
        values: {},
      };
      dataKey.fill(0);
      // Everything held in memory so far (e.g. while the record was unreadable) is sealed now too.
      for (const [name, value] of this.#memory) {
        this.#record.values[name] = Buffer.from(this.#sealer.seal(value, context(name))).toString('base64');
      }
    }
    change(this.#record, this.#sealer);
    this.#store.set(VAULT_STORE_KEY, this.#record);
    this.#status = { persisted: true, explanation: null, remedy: null };
  }
}
