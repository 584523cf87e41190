// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuthStatus, RosterSyncState } from '../../../../shared/contract/index.ts';
import { createConsoleClient } from '../../api/client.ts';
import { ClientContext } from '../../app/client-context.ts';
import { useAuthStore } from '../../components/auth/auth-store.ts';
import { useRosterSyncStore } from '../../state/roster-sync-store.ts';
import { createFakeTransport, ok } from '../../test-support/fake-transport.ts';
import { SyncHealth } from './SyncHealth.tsx';

// jsdom lays nothing out; Fluent's menus and dialogs need these to render.
class NoLayoutResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
globalThis.ResizeObserver ??= NoLayoutResizeObserver as unknown as typeof ResizeObserver;

const director: AuthStatus = {
  state: 'signed-in',
  account: { name: 'Demo Director', username: 'director@x.edu', appRoles: ['Migration.Director'] },
  role: 'director',
  permissions: [
    'read',
    'act-one',
    'force-disconnect',
    'bulk',
    'send',
    'compose',
    'settings',
    'sign-in-setup',
  ],
  pending: null,
  identity: { kind: 'demo', authorityHost: 'localhost:1', detail: null },
  tokenCache: { persisted: true, explanation: null },
  warning: null,
  lastError: null,
};

function rosterState(change: Partial<RosterSyncState>): RosterSyncState {
  return {
    storeState: 'ready',
    storeDetail: null,
    rowCount: 0,
    lastFullSyncAt: null,
    lastIncrementalSyncAt: null,
    offline: false,
    running: null,
    lastError: null,
    ...change,
  };
}

function renderWith(status: RosterSyncState) {
  const fake = createFakeTransport({
    'roster.status': () => ok(status),
    'roster.rebuildCache': () => ok(rosterState({ storeDetail: 'Sealed on this computer.' })),
  });
  render(
    <ClientContext.Provider value={createConsoleClient(fake.transport)}>
      <SyncHealth />
    </ClientContext.Provider>,
  );
  return fake;
}

describe('SyncHealth: rebuilding a damaged roster cache', () => {
  beforeEach(() => {
    useAuthStore.setState({ status: director });
    useRosterSyncStore.setState({
      state: null,
      failure: null,
      loading: false,
      starting: false,
      syncFailure: null,
    });
  });
  afterEach(cleanup);

  it('offers the rebuild for a needs-rebuild store, asks first, then calls roster.rebuildCache', async () => {
    const fake = renderWith(
      rosterState({ storeState: 'needs-rebuild', storeDetail: 'The database is damaged.' }),
    );
    const offer = await screen.findByRole('button', { name: 'Rebuild the roster cache from the platform' });
    fireEvent.click(offer);
    expect(fake.calls.some((call) => call.method === 'roster.rebuildCache')).toBe(false);
    fireEvent.click(await screen.findByRole('button', { name: 'Set aside and rebuild' }));
    await waitFor(() => expect(fake.calls.some((call) => call.method === 'roster.rebuildCache')).toBe(true));
    await waitFor(() => expect(useRosterSyncStore.getState().state?.storeState).toBe('ready'));
    expect(screen.queryByRole('button', { name: 'Rebuild the roster cache from the platform' })).toBeNull();
  });

  it('does not offer it for a sound store, and not to an operator without the settings permission', async () => {
    renderWith(rosterState({ storeState: 'ready' }));
    await screen.findByTestId('roster-freshness');
    expect(screen.queryByRole('button', { name: 'Rebuild the roster cache from the platform' })).toBeNull();
    cleanup();
    useAuthStore.setState({
      status: { ...director, role: 'support', permissions: ['read', 'act-one', 'compose'] },
    });
    renderWith(rosterState({ storeState: 'locked', storeDetail: 'The key cannot be unlocked.' }));
    const offer = await screen.findByRole('button', { name: 'Rebuild the roster cache from the platform' });
    expect(offer.hasAttribute('disabled') || offer.getAttribute('aria-disabled') === 'true').toBe(true);
  });
});
