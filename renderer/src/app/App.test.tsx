// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppInfo, Preferences } from '../../../shared/contract/index.ts';
import { createConsoleClient } from '../api/client.ts';
import { useAppInfoStore } from '../state/app-info-store.ts';
import { useNoticesStore } from '../state/notices-store.ts';
import { usePreferencesStore } from '../state/preferences-store.ts';
import { useRouteStore } from '../state/route-store.ts';
import { createFakeTransport, ok } from '../test-support/fake-transport.ts';
import { App } from './App.tsx';
import { pathFromHash } from './routing.ts';

const INFO: AppInfo = {
  productName: 'Calendar Sync Migration Console',
  version: '0.1.0',
  host: 'browser',
  dataSource: { kind: 'demo', label: 'Demo sandbox', lastRefreshedAt: null, state: 'starting', detail: null },
};

function setup(overrides: Parameters<typeof createFakeTransport>[0] = {}) {
  let saved: Preferences = { theme: 'system', navCollapsed: false };
  const fake = createFakeTransport({
    'app.info': () => ok(INFO),
    'preferences.get': () => ok(saved),
    'preferences.set': (input) => {
      saved = { ...saved, ...(input as Partial<Preferences>) };
      return ok(saved);
    },
    ...overrides,
  });
  render(<App client={createConsoleClient(fake.transport)} />);
  return fake;
}

// jsdom lays nothing out: give the pages the two layout APIs Chromium has, so they render for real
// instead of landing in their error boundary.
class NoLayoutResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
globalThis.ResizeObserver ??= NoLayoutResizeObserver as unknown as typeof ResizeObserver;
Element.prototype.scrollTo ??= function scrollTo() {};

beforeEach(() => {
  window.location.hash = '#/dashboard';
  useAppInfoStore.setState(useAppInfoStore.getInitialState(), true);
  usePreferencesStore.setState(usePreferencesStore.getInitialState(), true);
  useNoticesStore.setState(useNoticesStore.getInitialState(), true);
  useRouteStore.setState({ path: pathFromHash(window.location.hash), navigations: 0 });
});
afterEach(cleanup);

describe('App shell', () => {
  it('shows the page, product name, demo badge and data source', async () => {
    setup();
    expect(await screen.findByRole('heading', { level: 1, name: 'Dashboard' })).toBeTruthy();
    expect(screen.getByRole('banner').textContent).toContain('Calendar Sync Migration Console');
    expect(await screen.findByText('Demo data')).toBeTruthy();
    const status = screen.getByRole('status');
    expect(status.textContent).toContain('Demo sandbox');
    expect(status.textContent).toContain('Starting');
    expect(status.textContent).toContain('never refreshed');
    expect(document.title).toBe('Dashboard · Calendar Sync Migration Console');
  });

  it('has no demo badge for a real platform', async () => {
    setup({
      'app.info': () =>
        ok({ ...INFO, dataSource: { ...INFO.dataSource, kind: 'platform', label: 'careers.example.edu' } }),
    });
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('careers.example.edu'));
    expect(screen.queryByText('Demo data')).toBeNull();
  });

  it('updates the status bar from app.dataSource events', async () => {
    // Settings subscribes to nothing itself, so the one listener is the shell's status bar.
    window.location.hash = '#/settings';
    const fake = setup();
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('Starting'));
    expect(fake.listenerCount('app.dataSource')).toBe(1);
    act(() =>
      fake.emit('app.dataSource', {
        ...INFO.dataSource,
        state: 'ready',
        lastRefreshedAt: new Date(Date.now() - 3 * 60_000 - 5_000).toISOString(),
      }),
    );
    const status = screen.getByRole('status');
    expect(status.textContent).toContain('Ready');
    expect(status.textContent).toContain('refreshed 3 min ago');
  });

  it('warns about a malformed event instead of showing it', async () => {
    const fake = setup();
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('Starting'));
    act(() => fake.emit('app.dataSource', { state: 'exploded' }));
    expect(
      await screen.findByText(/data source update in a shape this window does not understand/),
    ).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('Starting');
  });

  it('shows the host’s error in a message bar, with the rest of the shell still working', async () => {
    setup({
      'app.info': () => ({
        ok: false,
        error: { code: 'unavailable', message: 'The console host did not answer.' },
      }),
    });
    const bar = await screen.findByTestId('app-info-error');
    expect(bar.textContent).toContain('The console host did not answer.');
    expect(screen.getByRole('status').textContent).toContain('Data source unknown');
    expect(screen.getByRole('navigation', { name: 'Console pages' })).toBeTruthy();
  });

  it('moves to a page with Alt+number and focuses its heading', async () => {
    setup();
    await screen.findByRole('heading', { level: 1, name: 'Dashboard' });
    fireEvent.keyDown(window, { code: 'Digit2', altKey: true });
    await waitFor(() => expect(window.location.hash).toBe('#/users'));
    act(() => window.dispatchEvent(new HashChangeEvent('hashchange')));
    const heading = await screen.findByRole('heading', { level: 1, name: 'Users' });
    expect(document.activeElement).toBe(heading);
    expect(document.title).toBe('Users · Calendar Sync Migration Console');
  });

  it('saves a theme picked in Settings and paints it at once', async () => {
    window.location.hash = '#/settings';
    useRouteStore.setState({ path: '/settings' });
    const fake = setup();
    const radio = await screen.findByRole('radio', { name: /^Dark/ });
    fireEvent.click(radio);
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('dark'));
    expect(fake.calls).toContainEqual({ method: 'preferences.set', input: { theme: 'dark' } });
  });

  it('explains a theme that could not be saved and goes back to the old one', async () => {
    window.location.hash = '#/settings';
    useRouteStore.setState({ path: '/settings' });
    setup({ 'preferences.set': () => ({ ok: false, error: { code: 'internal', message: 'Disk full.' } }) });
    fireEvent.click(await screen.findByRole('radio', { name: /^High contrast/ }));
    // Notices float over the page (a portal), outside main.
    const notices = await screen.findByRole('region', { name: 'Notices' });
    expect(await within(notices).findByText('Disk full.')).toBeTruthy();
    expect(document.documentElement.dataset.theme).toBe('light');
  });

  it('shows an unknown route as not found', async () => {
    window.location.hash = '#/nowhere';
    useRouteStore.setState({ path: '/nowhere' });
    setup();
    expect(await screen.findByRole('heading', { level: 1, name: 'Page not found' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Go to Dashboard' }).getAttribute('href')).toBe('#/dashboard');
  });
});
