/**
 * Fast, seedable integer hashing. Every generated fact about a user is a pure function of
 * (seed, user index, salt), so a user costs no memory until something overrides them and the
 * same seed always produces the same university.
 */

/** MurmurHash3's finaliser: a cheap, well-mixing 32-bit bijection. */
export function fmix32(input: number): number {
  let h = input | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units, finalised; used to turn seed strings and salts into numbers. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** Combines three 32-bit values into one well-mixed 32-bit value. */
export function hash3(a: number, b: number, c: number): number {
  return fmix32(Math.imul(a | 0, 0x9e3779b1) ^ fmix32((b + Math.imul(c | 0, 0x85ebca77)) | 0));
}

/** A uniform draw in [0, 1) for (seed, index, salt). */
export function unit(seed: number, index: number, salt: number): number {
  return hash3(seed, index, salt) / 4294967296;
}

/** A uniform integer in [min, max] for (seed, index, salt). */
export function intIn(seed: number, index: number, salt: number, min: number, max: number): number {
  return min + Math.floor(unit(seed, index, salt) * (max - min + 1));
}

/** mulberry32: a tiny sequential generator for when one user needs many draws (names, items). */
export function stream(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks from a non-empty list with a draw in [0, 1). */
export function pick<T>(list: readonly T[], draw: number): T {
  const item = list[Math.min(list.length - 1, Math.floor(draw * list.length))];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** Salts, named so two facts never share a draw by accident. */
export const Salt = {
  role: 1,
  kind: 2,
  path: 3,
  created: 4,
  legacyConnect: 5,
  reauthTime: 6,
  reauthGap: 7,
  futureFate: 8,
  errorTime: 9,
  errorCode: 10,
  syncPeriod: 11,
  syncPhase: 12,
  firstSyncDelay: 13,
  itemCount: 14,
  anomaly: 15,
  name: 16,
  items: 17,
  personal: 18,
  futureError: 19,
  guid: 20,
  gap: 21,
  ulid: 22,
} as const;
