import type { IpcMain } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNEL_PREFIX, methodNames } from '../../shared/contract/index.ts';
import { createConsoleCore } from '../core/compose.ts';
import { createMemoryLogger } from '../core/log/logger.ts';
import { createMemoryStore } from '../core/preferences/preferences-service.ts';
import { checkSender, registerIpcHandlers, type IpcCore } from './ipc.ts';
import { createFakeElectron, invokeEventFrom, makeFrame } from './test-support/fake-electron.ts';

async function setup() {
  const fake = createFakeElectron();
  const logger = createMemoryLogger();
  const store = createMemoryStore();
  const core = await createConsoleCore({
    host: 'electron',
    productName: 'Test',
    version: '1.2.3',
    logger,
    store,
    openExternal: async () => {},
  });
  const unregister = registerIpcHandlers(fake.module.ipcMain as unknown as IpcMain, core, logger);
  const call = (method: string, event: unknown, input: unknown) => {
    const handler = fake.ipcHandlers.get(`${INVOKE_CHANNEL_PREFIX}${method}`);
    if (!handler) throw new Error(`no handler for ${method}`);
    return handler(event, input);
  };
  return { fake, core, logger, store, unregister, call };
}

const appFrame = () => makeFrame('app://console/index.html');

describe('checkSender', () => {
  it('trusts only the main frame of app://console', () => {
    expect(checkSender(invokeEventFrom(appFrame()) as never)).toEqual({ trusted: true });
    expect(checkSender(invokeEventFrom(makeFrame('app://console/deep/page.html#x')) as never)).toEqual({
      trusted: true,
    });
  });

  it('refuses a missing frame, an iframe, a frame that is not the sender’s main frame, and foreign origins', () => {
    expect(checkSender(invokeEventFrom(null) as never)).toEqual({
      trusted: false,
      reason: 'no sender frame',
    });
    const top = appFrame();
    const child = makeFrame('app://console/index.html', top);
    expect(checkSender(invokeEventFrom(child, top) as never)).toMatchObject({
      trusted: false,
      reason: 'not the main frame',
    });
    expect(checkSender(invokeEventFrom(appFrame(), appFrame()) as never)).toMatchObject({
      trusted: false,
      reason: 'not the main frame',
    });
    for (const url of [
      'https://console/index.html',
      'app://evil/index.html',
      'app://console.evil/index.html',
      'app://console:8080/index.html',
      'app://user@console/index.html',
      'file:///opt/console/out/renderer/index.html',
      'http://127.0.0.1:5173/',
      'about:blank',
      '',
    ]) {
      expect(checkSender(invokeEventFrom(makeFrame(url)) as never), url).toMatchObject({
        trusted: false,
        reason: 'foreign origin',
      });
    }
  });

  it('recognises the main frame by process and routing id when Electron hands out a fresh wrapper', () => {
    const frame = { ...appFrame(), processId: 4, routingId: 1 };
    const sameFrameOtherWrapper = { ...appFrame(), processId: 4, routingId: 1 };
    const otherFrame = { ...appFrame(), processId: 4, routingId: 2 };
    expect(checkSender(invokeEventFrom(frame, sameFrameOtherWrapper) as never)).toEqual({ trusted: true });
    expect(checkSender(invokeEventFrom(frame, otherFrame) as never)).toMatchObject({
      trusted: false,
      reason: 'not the main frame',
    });
  });

  it('treats a frame that throws on access (destroyed) as untrusted instead of crashing', () => {
    const destroyed = {
      get parent(): never {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
      url: 'app://console/index.html',
    };
    expect(checkSender({ senderFrame: destroyed, sender: {} } as never)).toEqual({
      trusted: false,
      reason: 'sender frame gone',
    });
  });
});

describe('registerIpcHandlers', () => {
  it('registers exactly one prefixed channel per contract method and removes them all', async () => {
    const { fake, unregister } = await setup();
    expect([...fake.ipcHandlers.keys()].sort()).toEqual(
      methodNames.map((name) => `${INVOKE_CHANNEL_PREFIX}${name}`).sort(),
    );
    unregister();
    expect(fake.ipcHandlers.size).toBe(0);
  });

  it('dispatches calls from the app window to the core', async () => {
    const { call, store } = await setup();
    expect(await call('app.info', invokeEventFrom(appFrame()), {})).toMatchObject({
      ok: true,
      value: { productName: 'Test', version: '1.2.3', host: 'electron' },
    });
    expect(await call('preferences.set', invokeEventFrom(appFrame()), { theme: 'dark' })).toEqual({
      ok: true,
      value: { theme: 'dark', navCollapsed: false },
    });
    expect(store.get('preferences')).toEqual({ theme: 'dark', navCollapsed: false });
  });

  it('answers bad_sender without reaching the core for iframes, foreign origins and missing frames', async () => {
    const { call, store, logger } = await setup();
    const top = appFrame();
    const events = [
      invokeEventFrom(null),
      invokeEventFrom(makeFrame('app://console/index.html', top), top),
      invokeEventFrom(makeFrame('https://evil.example/')),
    ];
    for (const event of events) {
      expect(await call('preferences.set', event, { theme: 'dark' })).toEqual({
        ok: false,
        error: { code: 'bad_sender', message: expect.any(String) },
      });
    }
    expect(store.get('preferences')).toBeUndefined();
    expect(logger.lines.filter((line) => line.includes('bad sender'))).toHaveLength(3);
  });

  it('answers an internal envelope when the core itself throws, never a rejection', async () => {
    const fake = createFakeElectron();
    const logger = createMemoryLogger();
    const core: IpcCore = {
      dispatch: vi.fn(async () => {
        throw new Error('boom');
      }),
      operator: () => ({ id: 'local', role: 'director' }),
    };
    registerIpcHandlers(fake.module.ipcMain as unknown as IpcMain, core, logger);
    const handler = fake.ipcHandlers.get(`${INVOKE_CHANNEL_PREFIX}app.info`);
    await expect(handler?.(invokeEventFrom(appFrame()), {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'internal' },
    });
    expect(core.dispatch).toHaveBeenCalledWith(
      'app.info',
      {},
      { transport: 'ipc', operator: { id: 'local', role: 'director' } },
    );
  });
});
