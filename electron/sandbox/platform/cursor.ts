import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Opaque page cursors: base64url(JSON payload) + "." + base64url(HMAC-SHA256). The payload binds
 * the cursor to its list (`scope`) and filter (`filter` digest) and carries two expiries: one on
 * the sandbox's simulated clock (advancing the clock can expire it) and one in real time.
 */
export interface CursorPayload {
  scope: string;
  filter: string;
  after: number;
}

export type CursorCheck = { ok: true; after: number } | { ok: false; reason: string };

export interface CursorCodec {
  encode(payload: CursorPayload, simNowMs: number): string;
  decode(cursor: string, expected: { scope: string; filter: string }, simNowMs: number): CursorCheck;
}

export const CURSOR_TTL_MS = 60 * 60 * 1000;

export function createCursorCodec(
  secret: Buffer = randomBytes(32),
  realNow: () => number = Date.now,
): CursorCodec {
  const mac = (data: string) => createHmac('sha256', secret).update(data).digest();
  return {
    encode(payload, simNowMs) {
      const body = Buffer.from(
        JSON.stringify({
          v: 1,
          s: payload.scope,
          f: payload.filter,
          a: payload.after,
          e: simNowMs + CURSOR_TTL_MS,
          r: realNow() + CURSOR_TTL_MS,
        }),
      ).toString('base64url');
      return `${body}.${mac(body).toString('base64url')}`;
    },
    decode(cursor, expected, simNowMs) {
      const dot = cursor.indexOf('.');
      if (dot <= 0 || cursor.length > 2048) return { ok: false, reason: 'The cursor is malformed.' };
      const body = cursor.slice(0, dot);
      const given = Buffer.from(cursor.slice(dot + 1), 'base64url');
      const want = mac(body);
      // base64url decoding is lenient, so also require the canonical encoding of the MAC.
      if (
        given.length !== want.length ||
        !timingSafeEqual(given, want) ||
        cursor.slice(dot + 1) !== want.toString('base64url')
      ) {
        return { ok: false, reason: 'The cursor was altered or was not issued by this server.' };
      }
      let p: { v?: unknown; s?: unknown; f?: unknown; a?: unknown; e?: unknown; r?: unknown };
      try {
        p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof p;
      } catch {
        return { ok: false, reason: 'The cursor is malformed.' };
      }
      if (p.v !== 1 || typeof p.a !== 'number' || typeof p.e !== 'number' || typeof p.r !== 'number')
        return { ok: false, reason: 'The cursor is malformed.' };
      if (p.s !== expected.scope || p.f !== expected.filter)
        return {
          ok: false,
          reason: 'The cursor belongs to another list or filter; start again without a cursor.',
        };
      if (simNowMs > p.e || realNow() > p.r)
        return { ok: false, reason: 'The cursor expired; start again without a cursor.' };
      return { ok: true, after: p.a };
    },
  };
}
