import { useEffect } from 'react';
import { create } from 'zustand';
import { RosterSyncState } from '../../../shared/contract/index.ts';
import type { ConsoleClient } from '../api/client.ts';
import { errorCode, errorMessage } from '../format/errors.ts';

export interface LoadFailure {
  code: string | null;
  message: string;
}

interface RosterSyncStore {
  state: RosterSyncState | null;
  /** Why roster.status failed (e.g. `unavailable` while the roster service is not built or starting). */
  failure: LoadFailure | null;
  loading: boolean;
  /** A roster.sync call is on its way (before the first progress event). */
  starting: boolean;
  /** Why the last roster.sync call was refused, if it was. */
  syncFailure: LoadFailure | null;
  load(client: ConsoleClient): Promise<void>;
  sync(client: ConsoleClient, mode: 'full' | 'incremental'): Promise<void>;
  /** Applies a roster.syncState event; a malformed payload changes nothing (the HTTP transport does not check events). */
  apply(payload: unknown): boolean;
}

const failureOf = (error: unknown): LoadFailure => ({ code: errorCode(error), message: errorMessage(error) });

export const useRosterSyncStore = create<RosterSyncStore>()((set) => ({
  state: null,
  failure: null,
  loading: false,
  starting: false,
  syncFailure: null,
  load: async (client) => {
    set({ loading: true });
    try {
      const state = await client.roster.status({});
      set({ state, failure: null, loading: false });
    } catch (error) {
      set({ failure: failureOf(error), loading: false });
    }
  },
  sync: async (client, mode) => {
    set({ starting: true, syncFailure: null });
    try {
      const state = await client.roster.sync({ mode });
      set({ state, failure: null, starting: false });
    } catch (error) {
      set({ syncFailure: failureOf(error), starting: false });
    }
  },
  apply: (payload) => {
    const parsed = RosterSyncState.safeParse(payload);
    if (!parsed.success) return false;
    set({ state: parsed.data, failure: null });
    return true;
  },
}));

/** Loads the sync state and follows its events while the calling page is shown. */
export function useRosterSync(client: ConsoleClient): void {
  useEffect(() => {
    const store = useRosterSyncStore.getState();
    void store.load(client);
    return client.subscribe('roster.syncState', (payload) => {
      useRosterSyncStore.getState().apply(payload);
    });
  }, [client]);
}
