import { useEffect } from 'react';
import type { ConsoleClient } from '../api/client.ts';
import { useAppInfoStore } from '../state/app-info-store.ts';
import { useNoticesStore } from '../state/notices-store.ts';
import { usePreferencesStore } from '../state/preferences-store.ts';

/** Loads what the shell needs and follows the host's events for as long as the window lives. */
export function useConsoleBootstrap(client: ConsoleClient): void {
  useEffect(() => {
    void useAppInfoStore.getState().load(client);
    void usePreferencesStore.getState().load(client);
    const malformed = (what: string): void =>
      useNoticesStore.getState().push({
        key: `malformed:${what}`,
        intent: 'warning',
        title: 'Update ignored',
        message: `The console host sent a ${what} update in a shape this window does not understand. Reload the console if the display looks out of date.`,
      });
    const offDataSource = client.subscribe('app.dataSource', (payload) => {
      if (!useAppInfoStore.getState().applyDataSource(payload)) malformed('data source');
    });
    const offPreferences = client.subscribe('preferences.changed', (payload) => {
      if (!usePreferencesStore.getState().applyRemote(payload)) malformed('preferences');
    });
    return () => {
      offDataSource();
      offPreferences();
    };
  }, [client]);
}
