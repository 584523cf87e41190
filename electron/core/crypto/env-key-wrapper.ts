import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DATA_KEY_BYTES } from './field-sealing.ts';
import {
  KeyUnwrapError,
  KeyWrapperRefusedError,
  type KeyWrapper,
  type KeyWrapperCheck,
} from './key-wrapper.ts';

export const CONSOLE_DATA_KEY_ENV = 'CONSOLE_DATA_KEY';
export const CREATE_KEY_COMMAND = `node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`;

const WRAP_VERSION = 0x01;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
// Binds the wrapped bytes to their purpose, so the same env key used elsewhere cannot be tricked into this.
const WRAP_AAD = Buffer.from('calendar-sync-console/data-key/v1', 'utf8');

type ParsedKey = { key: Buffer } | { problem: string };

/** Strict base64 of exactly 32 bytes: `Buffer.from(…, 'base64')` silently skips junk, so re-encode and compare. */
export function parseEnvKey(value: string | undefined): ParsedKey {
  if (value === undefined || value.trim() === '') return { problem: `${CONSOLE_DATA_KEY_ENV} is not set.` };
  const text = value.trim();
  const key = Buffer.from(text, 'base64');
  if (key.toString('base64') !== text) return { problem: `${CONSOLE_DATA_KEY_ENV} is not valid base64.` };
  if (key.length !== DATA_KEY_BYTES)
    return { problem: `${CONSOLE_DATA_KEY_ENV} holds ${key.length} bytes; it must hold ${DATA_KEY_BYTES}.` };
  return { key };
}

/**
 * For the CLI and the browser host, which have no OS keychain binding: the data key is wrapped
 * (AES-256-GCM) under a key the operator provides in `CONSOLE_DATA_KEY`. Without a valid one the
 * wrapper refuses and says how to make one; it never invents a key it could not give back.
 */
export class EnvKeyWrapper implements KeyWrapper {
  readonly kind = 'env-key';
  readonly description = `the ${CONSOLE_DATA_KEY_ENV} environment variable`;
  readonly #parsed: ParsedKey;

  constructor(env: Record<string, string | undefined> = process.env) {
    this.#parsed = parseEnvKey(env[CONSOLE_DATA_KEY_ENV]);
  }

  check(): KeyWrapperCheck {
    if ('key' in this.#parsed) return { available: true };
    return {
      available: false,
      explanation: `${this.#parsed.problem} Without it personal data (names, emails, mailboxes) is kept in memory only and never written to disk.`,
      remedy: `Create a key with: ${CREATE_KEY_COMMAND}  then set ${CONSOLE_DATA_KEY_ENV} to it (keep it somewhere safe: losing it means rebuilding the local data).`,
    };
  }

  #key(): Buffer {
    if (!('key' in this.#parsed)) throw new KeyWrapperRefusedError(this.#parsed.problem);
    return this.#parsed.key;
  }

  wrap(dataKey: Uint8Array): Uint8Array {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key(), nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(WRAP_AAD);
    const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return Buffer.concat([Buffer.from([WRAP_VERSION]), nonce, body, cipher.getAuthTag()]);
  }

  unwrap(wrapped: Uint8Array): Uint8Array {
    const key = this.#key();
    const bytes = Buffer.from(wrapped);
    if (bytes.length !== 1 + NONCE_BYTES + DATA_KEY_BYTES + TAG_BYTES || bytes[0] !== WRAP_VERSION) {
      throw new KeyUnwrapError('The wrapped data key has an unexpected format.');
    }
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(1, 1 + NONCE_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(WRAP_AAD);
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch (error) {
      throw new KeyUnwrapError(`${CONSOLE_DATA_KEY_ENV} is not the key this data was sealed with.`, {
        cause: error,
      });
    }
  }
}
