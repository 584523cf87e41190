import { hash3, Salt } from './prng.ts';

/**
 * Identifiers that decode back to the user's index in O(1), so no lookup table is needed even
 * at a million users. Each decoder re-encodes and compares, so a near-miss never aliases a user.
 *
 * - userId: `u_` + a ULID whose 48-bit time part is the account's creation instant. Creation
 *   instants strictly increase with the index, so userIds sort in index order (the list order).
 * - Graph user id: a v4-shaped GUID whose first 32 bits are the index masked by the seed.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export interface IdSpace {
  seed: number;
  users: number;
  createdBaseMs: number;
  createdStepMs: number;
}

export function createdMsOf(space: IdSpace, index: number): number {
  const jitter = Math.floor((hash3(space.seed, index, Salt.created) / 4294967296) * space.createdStepMs);
  return space.createdBaseMs + index * space.createdStepMs + jitter;
}

function decodeTime(text: string): number {
  let t = 0;
  for (const ch of text) {
    const v = CROCKFORD.indexOf(ch);
    if (v < 0) return -1;
    t = t * 32 + v;
  }
  return t;
}

const CROCKFORD_CODES = Array.from(CROCKFORD, (c) => c.charCodeAt(0));
/** Scratch character codes of one userId (`u_` + 26); reused, as building an id never nests. */
const USER_ID_CODES = [117, 95, ...Array.from({ length: 26 }, () => 48)];

export function userIdOf(space: IdSpace, index: number): string {
  // `u_`, 10 characters of the creation instant (most significant first), then 16 random ones:
  // 4 characters (20 bits) from each of four hashes, 80 bits as in a ULID. Built in one call.
  const codes = USER_ID_CODES;
  let t = createdMsOf(space, index);
  for (let i = 11; i >= 2; i--) {
    codes[i] = CROCKFORD_CODES[t % 32] ?? 48;
    t = Math.floor(t / 32);
  }
  for (let k = 0; k < 4; k++) {
    const h = hash3(space.seed, index, Salt.ulid * 10 + k);
    for (let c = 0; c < 4; c++) codes[12 + k * 4 + c] = CROCKFORD_CODES[(h >>> (c * 5)) & 31] ?? 48;
  }
  return String.fromCharCode.apply(null, codes);
}

/** The index of a userId, or -1 when it names nobody in this university. */
export function indexOfUserId(space: IdSpace, userId: string): number {
  if (!/^u_[0-9A-HJKMNP-TV-Z]{26}$/.test(userId)) return -1;
  const ms = decodeTime(userId.slice(2, 12));
  const index = Math.floor((ms - space.createdBaseMs) / space.createdStepMs);
  if (index < 0 || index >= space.users) return -1;
  return userIdOf(space, index) === userId ? index : -1;
}

function hex(n: number, width: number): string {
  return (n >>> 0)
    .toString(16)
    .padStart(8, '0')
    .slice(8 - width);
}

export function graphUserIdOf(space: IdSpace, index: number): string {
  const mask = hash3(space.seed, 0, Salt.guid);
  const a = hash3(space.seed, index, Salt.guid + 1);
  const b = hash3(space.seed, index, Salt.guid + 2);
  const c = hash3(space.seed, index, Salt.guid + 3);
  return `${hex((index ^ mask) >>> 0, 8)}-${hex(a, 4)}-4${hex(a >>> 16, 3)}-${hex(8 | (b & 3), 1)}${hex(b >>> 8, 3)}-${hex(c, 8)}${hex(b >>> 20, 4)}`;
}

export function indexOfGraphUserId(space: IdSpace, id: string): number {
  const lower = id.toLowerCase();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(lower)) return -1;
  const index = (parseInt(lower.slice(0, 8), 16) ^ hash3(space.seed, 0, Salt.guid)) >>> 0;
  if (index >= space.users) return -1;
  return graphUserIdOf(space, index) === lower ? index : -1;
}
