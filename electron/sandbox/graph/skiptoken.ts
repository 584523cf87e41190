import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Opaque paging state for @odata.nextLink. The state is signed with a per-start key and bound to
 * the query it came from, so a client that edits the token or reuses it with another window gets
 * 400 instead of a silently wrong page: clients must follow nextLink verbatim.
 */

export interface SkipTokens {
  encode(scope: string, offset: number): string;
  /** The offset, or null when the token is forged, corrupted or belongs to another query. */
  decode(scope: string, token: string): number | null;
}

export function createSkipTokens(key: Buffer = randomBytes(32)): SkipTokens {
  const mac = (scope: string, offset: number) =>
    createHmac('sha256', key).update(`${scope}\n${offset}`).digest().subarray(0, 12);
  return {
    encode(scope, offset) {
      const payload = Buffer.alloc(4);
      payload.writeUInt32BE(offset);
      return Buffer.concat([payload, mac(scope, offset)]).toString('base64url');
    },
    decode(scope, token) {
      const raw = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, 'base64url') : Buffer.alloc(0);
      if (raw.length !== 16) return null;
      const offset = raw.readUInt32BE(0);
      return timingSafeEqual(raw.subarray(4), mac(scope, offset)) ? offset : null;
    },
  };
}
