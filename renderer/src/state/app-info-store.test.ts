// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import type { AppInfo } from '../../../shared/contract/index.ts';
import { createConsoleClient } from '../api/client.ts';
import { createFakeTransport, ok } from '../test-support/fake-transport.ts';
import { useAppInfoStore } from './app-info-store.ts';

const INFO: AppInfo = {
  productName: 'Calendar Sync Migration Console',
  version: '0.1.0',
  host: 'browser',
  dataSource: { kind: 'demo', label: 'Demo sandbox', lastRefreshedAt: null, state: 'starting', detail: null },
};

beforeEach(() => useAppInfoStore.setState(useAppInfoStore.getInitialState(), true));

describe('app info store', () => {
  it('loads the info and its data source', async () => {
    const fake = createFakeTransport({ 'app.info': () => ok(INFO) });
    await useAppInfoStore.getState().load(createConsoleClient(fake.transport));
    expect(useAppInfoStore.getState()).toMatchObject({
      status: 'ready',
      info: INFO,
      dataSource: INFO.dataSource,
      error: null,
    });
  });

  it('keeps the host’s message when it fails', async () => {
    const fake = createFakeTransport({
      'app.info': () => ({
        ok: false,
        error: { code: 'unauthorized', message: 'Open the console with the printed URL.' },
      }),
    });
    await useAppInfoStore.getState().load(createConsoleClient(fake.transport));
    expect(useAppInfoStore.getState()).toMatchObject({
      status: 'error',
      error: 'Open the console with the printed URL.',
    });
  });

  it('applies valid data-source events and ignores malformed ones', () => {
    const next = { ...INFO.dataSource, state: 'ready', lastRefreshedAt: '2026-03-10T12:00:00Z' };
    expect(useAppInfoStore.getState().applyDataSource(next)).toBe(true);
    expect(useAppInfoStore.getState().dataSource).toEqual(next);
    expect(useAppInfoStore.getState().applyDataSource({ ...next, state: 'on fire' })).toBe(false);
    expect(useAppInfoStore.getState().applyDataSource('ready')).toBe(false);
    expect(useAppInfoStore.getState().dataSource).toEqual(next);
  });
});
