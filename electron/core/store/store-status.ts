/**
 * What the UI shows about local data. Every state other than `ready` comes with an explanation
 * written for the operator; none of them ever deletes anything on its own.
 *
 * - `ready`: personal data is sealed and persisted.
 * - `memory-only`: the key wrapper refused (no keychain, basic_text, no CONSOLE_DATA_KEY), and no
 *   sealed data exists yet. Personal data (the roster cache) stays in memory only; history
 *   snapshots of counts are still kept.
 * - `locked`: sealed data exists but its key cannot be had right now (wrong or missing
 *   CONSOLE_DATA_KEY, another OS account, missing or damaged key file, newer schema). The files are
 *   untouched; the operator can fix the cause and restart, or rebuild.
 * - `needs-rebuild`: the database file itself is damaged (torn write, truncation, garbage). The
 *   file is kept; `rebuildFromScratch()` sets it aside and starts a fresh cache.
 */
export type StoreState = 'ready' | 'memory-only' | 'locked' | 'needs-rebuild';

export interface StoreStatus {
  state: StoreState;
  personalDataPersisted: boolean;
  explanation: string;
  remedy: string | null;
  /** True when `rebuildFromScratch()` is a sensible offer (the UI asks for confirmation first). */
  canRebuild: boolean;
  dataFolder: string;
}
