// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../../shared/contract/index.ts';
import { createConsoleClient } from '../api/client.ts';
import { createFakeTransport, ok } from '../test-support/fake-transport.ts';
import { usePreferencesStore } from './preferences-store.ts';

const DEFAULTS = { theme: 'system', navCollapsed: false } as const;

beforeEach(() => usePreferencesStore.setState(usePreferencesStore.getInitialState(), true));

describe('preferences store', () => {
  it('loads the saved preferences', async () => {
    const fake = createFakeTransport({ 'preferences.get': () => ok({ theme: 'dark', navCollapsed: false }) });
    await usePreferencesStore.getState().load(createConsoleClient(fake.transport));
    expect(usePreferencesStore.getState()).toMatchObject({ status: 'ready', preferences: { theme: 'dark' } });
  });

  it('keeps the error message when loading fails', async () => {
    const fake = createFakeTransport({
      'preferences.get': () => ({
        ok: false,
        error: { code: 'unavailable', message: 'The console host did not answer.' },
      }),
    });
    await usePreferencesStore.getState().load(createConsoleClient(fake.transport));
    expect(usePreferencesStore.getState()).toMatchObject({
      status: 'error',
      error: 'The console host did not answer.',
    });
  });

  it('applies a theme before the host answers, then keeps what the host saved', async () => {
    let answer: (value: Envelope<unknown>) => void = () => {};
    const fake = createFakeTransport({
      'preferences.set': () => new Promise<Envelope<unknown>>((resolve) => (answer = resolve)),
    });
    usePreferencesStore.setState({ preferences: DEFAULTS, status: 'ready' });
    const saving = usePreferencesStore.getState().setTheme(createConsoleClient(fake.transport), 'dark');
    expect(usePreferencesStore.getState().preferences?.theme).toBe('dark');
    answer(ok({ theme: 'dark', navCollapsed: true }));
    await expect(saving).resolves.toEqual({ ok: true });
    expect(usePreferencesStore.getState().preferences).toEqual({ theme: 'dark', navCollapsed: true });
    expect(fake.calls).toEqual([{ method: 'preferences.set', input: { theme: 'dark' } }]);
  });

  it('puts the previous theme back and reports why when saving fails', async () => {
    const fake = createFakeTransport({
      'preferences.set': () => ({
        ok: false,
        error: { code: 'internal', message: 'The settings file is read-only.' },
      }),
    });
    usePreferencesStore.setState({ preferences: { theme: 'light', navCollapsed: false }, status: 'ready' });
    const result = await usePreferencesStore.getState().setTheme(createConsoleClient(fake.transport), 'dark');
    expect(result).toEqual({ ok: false, message: 'The settings file is read-only.' });
    expect(usePreferencesStore.getState().preferences?.theme).toBe('light');
  });

  it('does not let a slow reply to an older change undo a newer one', async () => {
    const pending: ((value: Envelope<unknown>) => void)[] = [];
    const fake = createFakeTransport({
      'preferences.set': () => new Promise<Envelope<unknown>>((resolve) => pending.push(resolve)),
    });
    const client = createConsoleClient(fake.transport);
    usePreferencesStore.setState({ preferences: DEFAULTS, status: 'ready' });
    const first = usePreferencesStore.getState().setTheme(client, 'dark');
    const second = usePreferencesStore.getState().setTheme(client, 'high-contrast');
    await Promise.resolve();
    pending[1]?.(ok({ theme: 'high-contrast', navCollapsed: false }));
    await second;
    pending[0]?.(ok({ theme: 'dark', navCollapsed: false }));
    await first;
    expect(usePreferencesStore.getState().preferences?.theme).toBe('high-contrast');
  });

  it('takes changes made in another window and refuses malformed ones', () => {
    usePreferencesStore.setState({ preferences: DEFAULTS, status: 'ready' });
    expect(usePreferencesStore.getState().applyRemote({ theme: 'dark', navCollapsed: false })).toBe(true);
    expect(usePreferencesStore.getState().preferences?.theme).toBe('dark');
    expect(usePreferencesStore.getState().applyRemote({ theme: 'purple', navCollapsed: false })).toBe(false);
    expect(usePreferencesStore.getState().preferences?.theme).toBe('dark');
  });
});
