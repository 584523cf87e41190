import { Preferences, type Preferences as PreferencesShape } from '../../../shared/contract/index.ts';

/**
 * Where small settings live. In Electron this is `electron-store`; in the browser host and the
 * CLI it is `conf` (the library electron-store is built on) in the data folder; in tests, memory.
 */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

export const DEFAULT_PREFERENCES: PreferencesShape = { theme: 'system', navCollapsed: false };

export function createMemoryStore(initial: Record<string, unknown> = {}): KeyValueStore {
  const data = new Map(Object.entries(initial));
  return { get: (key) => data.get(key), set: (key, value) => void data.set(key, value) };
}

export class PreferencesService {
  private readonly store: KeyValueStore;

  constructor(store: KeyValueStore) {
    this.store = store;
  }

  get(): PreferencesShape {
    // A hand-edited or older file must not break start-up: fall back field by field.
    const stored = Preferences.partial().safeParse(this.store.get('preferences') ?? {});
    return { ...DEFAULT_PREFERENCES, ...(stored.success ? stored.data : {}) };
  }

  set(change: Partial<PreferencesShape>): PreferencesShape {
    const next = Preferences.parse({ ...this.get(), ...change });
    this.store.set('preferences', next);
    return next;
  }
}
