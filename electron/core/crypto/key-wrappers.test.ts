import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CONSOLE_DATA_KEY_ENV, CREATE_KEY_COMMAND, EnvKeyWrapper, parseEnvKey } from './env-key-wrapper.ts';
import { KeyUnwrapError, KeyWrapperRefusedError } from './key-wrapper.ts';
import { SafeStorageKeyWrapper, type SafeStorageLike } from './safe-storage-key-wrapper.ts';

/** A stand-in for Electron's safeStorage: reversible, tied to one "OS account" secret. */
function fakeSafeStorage(
  options: { available?: boolean; backend?: string; account?: string } = {},
): SafeStorageLike {
  const account = options.account ?? 'alice';
  const storage: SafeStorageLike = {
    isEncryptionAvailable: () => options.available ?? true,
    encryptString: (text) => Buffer.from(`${account}:${Buffer.from(text).toString('hex')}`),
    decryptString: (bytes) => {
      const [owner, hex] = bytes.toString().split(':');
      if (owner !== account || hex === undefined)
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(hex, 'hex').toString();
    },
  };
  if (options.backend !== undefined) storage.getSelectedStorageBackend = () => options.backend ?? '';
  return storage;
}

describe('EnvKeyWrapper', () => {
  const envKey = randomBytes(32).toString('base64');

  it('wraps and unwraps a data key without ever containing it in clear', () => {
    const wrapper = new EnvKeyWrapper({ [CONSOLE_DATA_KEY_ENV]: envKey });
    const dataKey = randomBytes(32);
    const wrapped = Buffer.from(wrapper.wrap(dataKey));
    expect(wrapped.includes(dataKey)).toBe(false);
    expect(Buffer.from(wrapper.unwrap(wrapped)).equals(dataKey)).toBe(true);
  });

  it('refuses without a key and says how to create one', () => {
    const check = new EnvKeyWrapper({}).check();
    expect(check.available).toBe(false);
    if (check.available) return;
    expect(check.explanation).toContain('CONSOLE_DATA_KEY is not set');
    expect(check.remedy).toContain(CREATE_KEY_COMMAND);
    expect(() => new EnvKeyWrapper({}).wrap(randomBytes(32))).toThrow(KeyWrapperRefusedError);
  });

  it('rejects keys that are not strict base64 of 32 bytes', () => {
    expect(parseEnvKey(randomBytes(16).toString('base64'))).toEqual({
      problem: 'CONSOLE_DATA_KEY holds 16 bytes; it must hold 32.',
    });
    expect(parseEnvKey(`${envKey.slice(0, -2)}!!`)).toEqual({
      problem: 'CONSOLE_DATA_KEY is not valid base64.',
    });
    expect('key' in parseEnvKey(`  ${envKey}\n`)).toBe(true);
  });

  it('says plainly when the key is not the one the data was sealed with', () => {
    const wrapped = new EnvKeyWrapper({ [CONSOLE_DATA_KEY_ENV]: envKey }).wrap(randomBytes(32));
    const other = new EnvKeyWrapper({ [CONSOLE_DATA_KEY_ENV]: randomBytes(32).toString('base64') });
    expect(() => other.unwrap(wrapped)).toThrow(/not the key this data was sealed with/);
    expect(() => other.unwrap(Buffer.from('short'))).toThrow(KeyUnwrapError);
  });
});

describe('SafeStorageKeyWrapper', () => {
  it('round-trips a data key through the keychain', () => {
    const wrapper = new SafeStorageKeyWrapper(fakeSafeStorage({ backend: 'gnome_libsecret' }));
    const dataKey = randomBytes(32);
    expect(wrapper.check()).toEqual({ available: true });
    expect(Buffer.from(wrapper.unwrap(wrapper.wrap(dataKey))).equals(dataKey)).toBe(true);
  });

  it('refuses when encryption is unavailable', () => {
    const wrapper = new SafeStorageKeyWrapper(fakeSafeStorage({ available: false }));
    const check = wrapper.check();
    expect(check.available).toBe(false);
    expect(() => wrapper.wrap(randomBytes(32))).toThrow(KeyWrapperRefusedError);
  });

  it("refuses Linux's basic_text backend, which protects nothing", () => {
    const wrapper = new SafeStorageKeyWrapper(fakeSafeStorage({ backend: 'basic_text' }));
    const check = wrapper.check();
    expect(check).toMatchObject({ available: false });
    if (!check.available) expect(check.explanation).toMatch(/keyring/);
    expect(() => wrapper.wrap(randomBytes(32))).toThrow(KeyWrapperRefusedError);
  });

  it('reports a keychain that cannot decrypt (another OS account) as an unwrap error', () => {
    const wrapped = new SafeStorageKeyWrapper(fakeSafeStorage({ account: 'alice' })).wrap(randomBytes(32));
    expect(() => new SafeStorageKeyWrapper(fakeSafeStorage({ account: 'bob' })).unwrap(wrapped)).toThrow(
      KeyUnwrapError,
    );
  });
});
