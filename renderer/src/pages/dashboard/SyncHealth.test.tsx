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

// jsdom lays nothing out; Fluent's menus need this to render.
class NoLayoutResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
globalThis.ResizeObserver ??= NoLayoutResizeObserver as unknown as typeof ResizeObserver;

/** Signed out on a real platform: browse, set up sign-in, nothing shared (auth.status as the core answers it). */
const signedOutOnPlatform: AuthStatus = {
  state: 'signed-out',
  account: null,
  role: 'viewer',
  permissions: ['read', 'sign-in-setup'],
  pending: null,
  identity: { kind: 'entra', authorityHost: 'login.microsoftonline.com', detail: null },
  tokenCache: { persisted: true, explanation: null },
  warning: null,
  lastError: null,
};

const ready: RosterSyncState = {
  storeState: 'ready',
  storeDetail: null,
  rowCount: 10,
  lastFullSyncAt: '2026-11-02T10:00:00Z',
  lastIncrementalSyncAt: null,
  offline: false,
  running: null,
  lastError: null,
};

function renderIt() {
  const fake = createFakeTransport({
    'roster.status': () => ok(ready),
    'roster.sync': () => ok(ready),
  });
  render(
    <ClientContext.Provider value={createConsoleClient(fake.transport)}>
      <SyncHealth />
    </ClientContext.Provider>,
  );
  return fake;
}

async function openFullSync(): Promise<HTMLElement> {
  fireEvent.click(await screen.findByRole('button', { name: 'More sync options' }));
  return screen.findByTestId('full-sync');
}

describe('SyncHealth: the full-sync control follows the change-shared permission', () => {
  beforeEach(() => {
    useRosterSyncStore.setState({
      state: null,
      failure: null,
      loading: false,
      starting: false,
      syncFailure: null,
    });
  });
  afterEach(cleanup);

  it('is disabled signed out on a real platform and says why; choosing it asks nothing of the core', async () => {
    useAuthStore.setState({ status: signedOutOnPlatform });
    const fake = renderIt();
    const item = await openFullSync();
    expect(item.getAttribute('aria-disabled')).toBe('true');
    expect(item.textContent).toContain('Sign in to change shared state (saved views, full syncs).');
    fireEvent.click(item);
    expect(fake.calls.some((call) => call.method === 'roster.sync')).toBe(false);
  });

  it('is offered to an operator who may change shared state (support, or anyone on the demo)', async () => {
    useAuthStore.setState({
      status: { ...signedOutOnPlatform, permissions: ['read', 'sign-in-setup', 'export', 'change-shared'] },
    });
    const fake = renderIt();
    const item = await openFullSync();
    expect(item.getAttribute('aria-disabled')).not.toBe('true');
    expect(item.textContent).not.toContain('Sign in');
    fireEvent.click(item);
    await waitFor(() =>
      expect(
        fake.calls.some(
          (call) => call.method === 'roster.sync' && JSON.stringify(call.input).includes('full'),
        ),
      ).toBe(true),
    );
  });
});
