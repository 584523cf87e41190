/**
 * Collections for a million entries on the main thread without long garbage-collector pauses.
 *
 * A plain array or `Map` of a million entries grows by reallocating one huge backing store: the
 * copy is a long pause of its own, and the fresh store is a young large object full of pointers
 * that the next scavenge must walk whole (measured: scavenges of 60–220 ms at 1M rows). These keep
 * their entries in many small pieces instead, so every growth step is small.
 */
export const CHUNK_BITS = 14;
const CHUNK_SIZE = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_SIZE - 1;

/** An array indexed 0..n-1 stored as fixed-size chunks. Unset slots read as undefined. */
export class ChunkedArray<T> {
  readonly #chunks: T[][] = [];

  /** The chunk holding indices c·CHUNK_SIZE …, for tight loops (undefined past the end). */
  chunk(c: number): readonly T[] | undefined {
    return this.#chunks[c];
  }

  get(index: number): T | undefined {
    return this.#chunks[index >>> CHUNK_BITS]?.[index & CHUNK_MASK];
  }

  set(index: number, value: T): void {
    const c = index >>> CHUNK_BITS;
    // Each chunk is allocated at full size: filling a sparse `[]` by index would turn it into a slow dictionary.
    while (this.#chunks.length <= c) this.#chunks.push(new Array<T>(CHUNK_SIZE).fill(undefined as T));
    (this.#chunks[c] as T[])[index & CHUNK_MASK] = value;
  }
}

const SHARD_BITS = 8;
const SHARD_MASK = (1 << SHARD_BITS) - 1;

/** A string-keyed map split over 256 `Map`s by a hash of the key. */
export class ShardedMap<V> {
  readonly #shards: Map<string, V>[] = Array.from({ length: 1 << SHARD_BITS }, () => new Map<string, V>());
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(key: string): V | undefined {
    return (this.#shards[shardOf(key)] as Map<string, V>).get(key);
  }

  set(key: string, value: V): void {
    const shard = this.#shards[shardOf(key)] as Map<string, V>;
    const before = shard.size;
    shard.set(key, value);
    this.#size += shard.size - before;
  }

  clear(): void {
    for (const shard of this.#shards) shard.clear();
    this.#size = 0;
  }
}

/**
 * A hash of ten characters and the length: ids differ at the end, e-mail addresses at the start and
 * in the middle (their ends are the domain). An uneven spread only makes some shards larger.
 */
function shardOf(key: string): number {
  const n = key.length;
  const m = n >>> 1;
  let h = n;
  h = Math.imul(h ^ key.charCodeAt(0), 16777619);
  h = Math.imul(h ^ key.charCodeAt(1), 16777619);
  h = Math.imul(h ^ key.charCodeAt(2), 16777619);
  h = Math.imul(h ^ key.charCodeAt(m - 1), 16777619);
  h = Math.imul(h ^ key.charCodeAt(m), 16777619);
  h = Math.imul(h ^ key.charCodeAt(m + 1), 16777619);
  h = Math.imul(h ^ key.charCodeAt(n - 1), 16777619);
  h = Math.imul(h ^ key.charCodeAt(n - 2), 16777619);
  h = Math.imul(h ^ key.charCodeAt(n - 3), 16777619);
  h = Math.imul(h ^ key.charCodeAt(n - 9), 16777619);
  return (h ^ (h >>> 16) ^ (h >>> 8)) & SHARD_MASK;
}
