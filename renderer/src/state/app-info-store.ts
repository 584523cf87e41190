import { create } from 'zustand';
import { DataSource, type AppInfo } from '../../../shared/contract/index.ts';
import type { ConsoleClient } from '../api/client.ts';
import { errorMessage } from '../format/errors.ts';

interface AppInfoState {
  info: AppInfo | null;
  /** Kept apart from `info` because the `app.dataSource` event updates it on its own. */
  dataSource: DataSource | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  load(client: ConsoleClient): Promise<void>;
  /** Applies an `app.dataSource` event; returns false (and changes nothing) for a malformed payload. */
  applyDataSource(payload: unknown): boolean;
}

export const useAppInfoStore = create<AppInfoState>()((set) => ({
  info: null,
  dataSource: null,
  status: 'idle',
  error: null,
  load: async (client) => {
    set({ status: 'loading', error: null });
    try {
      const info = await client.app.info({});
      set({ info, dataSource: info.dataSource, status: 'ready', error: null });
    } catch (error) {
      set({ status: 'error', error: errorMessage(error) });
    }
  },
  applyDataSource: (payload) => {
    // The HTTP transport hands events over as parsed JSON without checking them.
    const parsed = DataSource.safeParse(payload);
    if (!parsed.success) return false;
    set({ dataSource: parsed.data });
    return true;
  },
}));
