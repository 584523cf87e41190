import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DATA_KEY_BYTES } from './field-sealing.ts';
import { KeyUnwrapError, type KeyWrapper, type KeyWrapperCheck } from './key-wrapper.ts';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * A key that lives only in this process's memory, for the demo's synthetic data when the host has
 * no real key holder (no CONSOLE_DATA_KEY). Whatever it seals is unreadable after the process
 * ends, so it must only ever protect a throw-away folder of demo data: never a real platform's.
 */
export class EphemeralKeyWrapper implements KeyWrapper {
  readonly kind = 'ephemeral';
  readonly description = 'a key held in memory for this session only (demo data)';
  readonly #key = randomBytes(DATA_KEY_BYTES);

  check(): KeyWrapperCheck {
    return { available: true };
  }

  wrap(dataKey: Uint8Array): Uint8Array {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce, { authTagLength: TAG_BYTES });
    const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return Buffer.concat([nonce, body, cipher.getAuthTag()]);
  }

  unwrap(wrapped: Uint8Array): Uint8Array {
    const bytes = Buffer.from(wrapped);
    if (bytes.length !== NONCE_BYTES + DATA_KEY_BYTES + TAG_BYTES)
      throw new KeyUnwrapError('The wrapped data key has an unexpected format.');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, bytes.subarray(0, NONCE_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch (error) {
      throw new KeyUnwrapError('This data was sealed by an earlier session of the demo.', { cause: error });
    }
  }
}
