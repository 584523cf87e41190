import { create } from 'zustand';
import { Preferences, type ThemeName } from '../../../shared/contract/index.ts';
import type { ConsoleClient } from '../api/client.ts';
import { errorMessage } from '../format/errors.ts';

interface PreferencesState {
  preferences: Preferences | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  load(client: ConsoleClient): Promise<void>;
  /**
   * Applies the theme at once, then saves it. If saving fails the previous theme comes back and
   * the error is returned so the caller can show it.
   */
  setTheme(client: ConsoleClient, theme: ThemeName): Promise<{ ok: true } | { ok: false; message: string }>;
  /**
   * Saves other preferences (column layout, last dashboard visit): applied at once, saved in the
   * background; a failed save keeps the local change for this session and returns the error.
   */
  update(
    client: ConsoleClient,
    change: Omit<Partial<Preferences>, 'theme'>,
  ): Promise<{ ok: true } | { ok: false; message: string }>;
  /** Applies a `preferences.changed` event; false for a malformed payload. */
  applyRemote(payload: unknown): boolean;
}

// Each save gets a number so a slow reply to an older change cannot undo a newer one.
let saveSeq = 0;
// While one of our saves is in flight, the host's echo of an older save would briefly repaint the
// old theme; the save's own reply carries the full state, so echoes are ignored meanwhile.
let savesInFlight = 0;

export const usePreferencesStore = create<PreferencesState>()((set, get) => ({
  preferences: null,
  status: 'idle',
  error: null,
  load: async (client) => {
    set({ status: 'loading', error: null });
    try {
      const preferences = await client.preferences.get({});
      set({ preferences, status: 'ready', error: null });
    } catch (error) {
      set({ status: 'error', error: errorMessage(error) });
    }
  },
  setTheme: async (client, theme) => {
    const before = get().preferences;
    const seq = ++saveSeq;
    set({ preferences: { ...(before ?? { navCollapsed: false }), theme } });
    savesInFlight++;
    try {
      const saved = await client.preferences.set({ theme });
      if (seq === saveSeq) set({ preferences: saved, status: 'ready', error: null });
      return { ok: true };
    } catch (error) {
      if (seq === saveSeq) set({ preferences: before });
      return { ok: false, message: errorMessage(error) };
    } finally {
      savesInFlight--;
    }
  },
  update: async (client, change) => {
    const before = get().preferences;
    if (before !== null) set({ preferences: { ...before, ...change } });
    const seq = ++saveSeq;
    savesInFlight++;
    try {
      const saved = await client.preferences.set(change);
      if (seq === saveSeq) set({ preferences: saved, status: 'ready', error: null });
      return { ok: true };
    } catch (error) {
      return { ok: false, message: errorMessage(error) };
    } finally {
      savesInFlight--;
    }
  },
  applyRemote: (payload) => {
    const parsed = Preferences.safeParse(payload);
    if (!parsed.success) return false;
    if (savesInFlight > 0) return true;
    set({ preferences: parsed.data, status: 'ready', error: null });
    return true;
  },
}));
