import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldSealer, SEAL_OVERHEAD_BYTES, SealOpenError, type SealContext } from './field-sealing.ts';

const at: SealContext = { table: 'roster', column: 'email', rowId: 'u_01' };

describe('FieldSealer', () => {
  const sealer = new FieldSealer(randomBytes(32));

  it('round-trips any well-formed string', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.string({ minLength: 1, maxLength: 40 }),
        (plaintext, rowId) => {
          const context = { ...at, rowId };
          expect(sealer.open(sealer.seal(plaintext, context), context)).toBe(plaintext);
        },
      ),
    );
  });

  it('detects any single-byte change anywhere in a sealed value', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 80 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (plaintext, position, flip) => {
          const sealed = Buffer.from(sealer.seal(plaintext, at));
          const index = position % sealed.length;
          sealed[index] = (sealed[index] ?? 0) ^ flip;
          expect(() => sealer.open(sealed, at)).toThrow(SealOpenError);
        },
      ),
    );
  });

  it('detects truncation', () => {
    const sealed = sealer.seal('jane@example.edu', at);
    for (const length of [0, 1, SEAL_OVERHEAD_BYTES - 1, sealed.length - 1]) {
      expect(() => sealer.open(sealed.subarray(0, length), at)).toThrow(SealOpenError);
    }
  });

  it('refuses a ciphertext moved to another row, column or table', () => {
    const sealed = sealer.seal('jane@example.edu', at);
    expect(() => sealer.open(sealed, { ...at, rowId: 'u_02' })).toThrow(SealOpenError);
    expect(() => sealer.open(sealed, { ...at, column: 'calendar_mailbox' })).toThrow(SealOpenError);
    expect(() => sealer.open(sealed, { ...at, table: 'outbox' })).toThrow(SealOpenError);
  });

  it('does not confuse row ids that only differ by where a separator falls', () => {
    const sealed = sealer.seal('x', { table: 'a', column: 'b\u0000c', rowId: 'd' });
    expect(() => sealer.open(sealed, { table: 'a', column: 'b', rowId: 'c\u0000d' })).toThrow(SealOpenError);
  });

  it('refuses a value sealed under another key', () => {
    const other = new FieldSealer(randomBytes(32));
    expect(() => other.open(sealer.seal('jane@example.edu', at), at)).toThrow(SealOpenError);
  });

  it('uses a fresh nonce per value, so equal plaintexts give different ciphertexts', () => {
    const a = Buffer.from(sealer.seal('same', at));
    const b = Buffer.from(sealer.seal('same', at));
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(1, 13).equals(b.subarray(1, 13))).toBe(false);
  });

  it('keeps null as null and rejects keys of the wrong size', () => {
    expect(sealer.sealNullable(null, at)).toBeNull();
    expect(sealer.openNullable(null, at)).toBeNull();
    expect(() => new FieldSealer(randomBytes(16))).toThrow(RangeError);
  });
});
