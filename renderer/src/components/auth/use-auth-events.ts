import { useEffect } from 'react';
import type { ConsoleClient } from '../../api/client.ts';
import { useNoticesStore } from '../../state/notices-store.ts';
import { useAuthStore } from './auth-store.ts';

/**
 * Loads the sign-in state and follows the host's auth events. In the browser host the core cannot
 * open the system browser, so it sends the sign-in page's address (`auth.openUrl`) and the page
 * opens it; if the browser blocks that pop-up, the dialog offers a button that opens it.
 */
const openInNewTab = (url: string): void => void window.open(url, '_blank', 'noopener,noreferrer');

export function useAuthEvents(client: ConsoleClient, openWindow: (url: string) => void = openInNewTab): void {
  useEffect(() => {
    void useAuthStore.getState().load(client);
    const offChanged = client.subscribe('auth.changed', (payload) => {
      if (!useAuthStore.getState().apply(payload)) {
        useNoticesStore.getState().push({
          key: 'malformed:auth',
          intent: 'warning',
          title: 'Update ignored',
          message:
            'The console host sent a sign-in update this window does not understand. Reload the console.',
        });
      }
    });
    const offOpen = client.subscribe('auth.openUrl', (payload) => {
      if (typeof payload?.url === 'string' && payload.url.startsWith('https://')) openWindow(payload.url);
    });
    return () => {
      offChanged();
      offOpen();
    };
  }, [client, openWindow]);
}
