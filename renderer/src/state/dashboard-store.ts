import { useEffect } from 'react';
import { create } from 'zustand';
import type { DashboardSummary } from '../../../shared/contract/index.ts';
import type { Migration } from '../../../shared/domain/platform.ts';
import type { ConsoleClient } from '../api/client.ts';
import type { LoadFailure } from './roster-sync-store.ts';
import { errorCode, errorMessage } from '../format/errors.ts';

interface DashboardStore {
  summary: DashboardSummary | null;
  /**
   * The platform's own summary, used for counts and the cut-off when dashboard.summary cannot be
   * had (history and forecast then stay empty, and the page says so).
   */
  migration: Migration | null;
  /** Why dashboard.summary failed; the counts may still come from migration.overview. */
  summaryFailure: LoadFailure | null;
  /** Why neither source answered: nothing to show at all. */
  failure: LoadFailure | null;
  loading: boolean;
  load(client: ConsoleClient): Promise<void>;
}

const failureOf = (error: unknown): LoadFailure => ({ code: errorCode(error), message: errorMessage(error) });

let generation = 0;

export const useDashboardStore = create<DashboardStore>()((set) => ({
  summary: null,
  migration: null,
  summaryFailure: null,
  failure: null,
  loading: false,
  load: async (client) => {
    const mine = (generation += 1);
    set({ loading: true });
    try {
      const summary = await client.dashboard.summary({});
      if (mine !== generation) return;
      set({ summary, migration: summary.migration, summaryFailure: null, failure: null, loading: false });
      return;
    } catch (error) {
      if (mine !== generation) return;
      set({ summaryFailure: failureOf(error) });
    }
    try {
      const migration = await client.migration.overview({});
      if (mine !== generation) return;
      set({ summary: null, migration, failure: null, loading: false });
    } catch (error) {
      if (mine !== generation) return;
      set({ failure: failureOf(error), loading: false });
    }
  },
}));

/**
 * Loads the dashboard and loads it again when the roster changes (a sync finished) or the data
 * source reconnects, at most once per `settleMs` so a burst of events costs one request.
 */
export function useDashboard(client: ConsoleClient, settleMs = 1_000): void {
  useEffect(() => {
    void useDashboardStore.getState().load(client);
    let timer: ReturnType<typeof setTimeout> | null = null;
    const soon = (): void => {
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        void useDashboardStore.getState().load(client);
      }, settleMs);
    };
    const offChanged = client.subscribe('roster.changed', soon);
    const offSource = client.subscribe('app.dataSource', (payload) => {
      if ((payload as { state?: unknown } | null)?.state === 'ready') soon();
    });
    return () => {
      offChanged();
      offSource();
      if (timer !== null) clearTimeout(timer);
    };
  }, [client, settleMs]);
}
