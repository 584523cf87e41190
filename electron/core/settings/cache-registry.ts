/**
 * Local caches that can be fetched again (the roster cache, count snapshots, …). A feature that
 * keeps one registers how to clear it; "Clear cache" in Settings clears them all and never
 * touches settings, secrets or the sign-in.
 */
export interface ClearableCache {
  /** Shown to the operator: "Roster cache". */
  name: string;
  clear(): Promise<void> | void;
}

export class CacheRegistry {
  readonly #caches = new Map<string, ClearableCache>();

  register(cache: ClearableCache): () => void {
    this.#caches.set(cache.name, cache);
    return () => {
      this.#caches.delete(cache.name);
    };
  }

  /** Clears every cache; one failing does not stop the others, and the failure is reported. */
  async clearAll(): Promise<{ cleared: string[]; failed: string[] }> {
    const cleared: string[] = [];
    const failed: string[] = [];
    for (const cache of this.#caches.values()) {
      try {
        await cache.clear();
        cleared.push(cache.name);
      } catch {
        failed.push(cache.name);
      }
    }
    return { cleared, failed };
  }
}
