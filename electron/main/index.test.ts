import { describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNEL_PREFIX } from '../../shared/contract/index.ts';
import type { FakeElectron } from './test-support/fake-electron.ts';
import { invokeEventFrom, makeFrame } from './test-support/fake-electron.ts';

const holder = vi.hoisted(() => ({ fake: null as FakeElectron | null, storeOptions: [] as unknown[] }));

vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./test-support/fake-electron.ts');
  holder.fake = createFakeElectron();
  return holder.fake.module;
});

vi.mock('electron-store', () => ({
  default: class {
    private readonly data = new Map<string, unknown>();
    constructor(options: unknown) {
      holder.storeOptions.push(options);
    }
    get(key: string): unknown {
      return this.data.get(key);
    }
    set(key: string, value: unknown): void {
      this.data.set(key, value);
    }
  },
}));

describe('electron/main/index.ts (the Electron entry, with electron mocked)', () => {
  it('composes the app from the real electron exports and the built file layout', async () => {
    await import('./index.ts');
    const fake = holder.fake;
    if (!fake) throw new Error('electron mock not loaded');
    expect(fake.module.protocol.registerSchemesAsPrivileged).toHaveBeenCalledTimes(1);
    expect(fake.module.app.requestSingleInstanceLock).toHaveBeenCalledTimes(1);

    fake.fireReady();
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
    const preload = (fake.windows[0]?.options.webPreferences as { preload: string }).preload;
    expect(preload.replaceAll('\\', '/')).toMatch(/\/preload\/index\.cjs$/);
    expect(holder.storeOptions).toEqual([{ name: 'settings', cwd: fake.userData, configFileMode: 0o600 }]);

    const handler = fake.ipcHandlers.get(`${INVOKE_CHANNEL_PREFIX}preferences.set`);
    expect(
      await handler?.(invokeEventFrom(makeFrame('app://console/index.html')), { theme: 'high-contrast' }),
    ).toMatchObject({
      ok: true,
      value: { theme: 'high-contrast' },
    });
  });
});
