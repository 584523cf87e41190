import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNEL_PREFIX, methodNames } from '../../shared/contract/index.ts';
import { createMemoryStore } from '../core/preferences/preferences-service.ts';
import { startConsoleApp, type ElectronMain } from './console-app.ts';
import {
  createFakeElectron,
  invokeEventFrom,
  makeFrame,
  makeNavigationEvent,
} from './test-support/fake-electron.ts';

function start(options: { lock?: boolean; createStore?: () => ReturnType<typeof createMemoryStore> } = {}) {
  const fake = createFakeElectron();
  fake.module.app.singleInstanceLock = options.lock ?? true;
  const store = createMemoryStore();
  const consoleApp = startConsoleApp({
    electron: fake.module as unknown as ElectronMain,
    createStore: options.createStore ?? (() => store),
    rendererDir: '/nowhere/renderer',
    preloadPath: '/built/preload/index.cjs',
    disposeTimeoutMs: 200,
  });
  const invoke = (method: string, input: unknown, frame = makeFrame('app://console/index.html')) => {
    const handler = fake.ipcHandlers.get(`${INVOKE_CHANNEL_PREFIX}${method}`);
    if (!handler) throw new Error(`no handler for ${method}`);
    return handler(invokeEventFrom(frame), input);
  };
  return { fake, store, consoleApp, invoke };
}

async function startReady(options?: Parameters<typeof start>[0]) {
  const started = start(options);
  started.fake.fireReady();
  await started.consoleApp.ready;
  return started;
}

// Closing a whole core and flushing the log stream take seconds, not milliseconds, on a loaded machine.
const SLOW = { timeout: 15_000, interval: 50 };

describe('startConsoleApp', () => {
  it('before ready: privileges the app scheme, sandboxes every renderer, and opens nothing yet', () => {
    const { fake, consoleApp } = start();
    expect(consoleApp.primary).toBe(true);
    expect(fake.module.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(fake.module.app.enableSandbox).toHaveBeenCalled();
    expect(fake.module.app.listenerCount('web-contents-created')).toBe(1);
    expect(fake.windows).toHaveLength(0);
    expect(fake.ipcHandlers.size).toBe(0);
    expect(fake.module.protocol.handle).not.toHaveBeenCalled();
  });

  it('on ready: locks down the session and registers everything before the window loads', async () => {
    const { fake } = await startReady();
    const [window] = fake.windows;
    expect(fake.windows).toHaveLength(1);
    expect(window?.options).toMatchObject({
      webPreferences: {
        preload: '/built/preload/index.cjs',
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
      },
    });
    expect(window?.loadURL).toHaveBeenCalledWith('app://console/index.html');
    expect(fake.module.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect([...fake.ipcHandlers.keys()].sort()).toEqual(
      methodNames.map((m) => `${INVOKE_CHANNEL_PREFIX}${m}`).sort(),
    );
    const loadOrder = window?.loadURL.mock.invocationCallOrder[0] ?? 0;
    for (const spy of [
      fake.defaultSession.setPermissionRequestHandler,
      fake.defaultSession.setPermissionCheckHandler,
      fake.defaultSession.webRequest.onBeforeRequest,
      fake.module.protocol.handle,
      fake.module.ipcMain.handle,
    ]) {
      expect(spy.mock.invocationCallOrder[0]).toBeLessThan(loadOrder);
    }
    // The window's web contents was guarded as it was created.
    expect(window?.webContents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({
      action: 'deny',
    });
    const away = makeNavigationEvent('https://evil.example/');
    window?.webContents.emit('will-navigate', away);
    expect(away.defaultPrevented).toBe(true);
    const callback = vi.fn();
    fake.defaultSession.permissionRequestHandler?.({}, 'media', callback, {});
    expect(callback).toHaveBeenCalledWith(false);
  });

  it('wires the core: app.info, preferences with events to windows, and vetted external links', async () => {
    const { fake, invoke, store } = await startReady();
    expect(await invoke('app.info', {})).toMatchObject({
      ok: true,
      value: { productName: 'Calendar Sync Migration Console', version: '0.1.0', host: 'electron' },
    });
    expect(await invoke('preferences.set', { navCollapsed: true })).toMatchObject({
      ok: true,
      value: { navCollapsed: true },
    });
    expect(store.get('preferences')).toEqual({ theme: 'system', navCollapsed: true });
    expect(fake.windows[0]?.webContents.send).toHaveBeenCalledWith('console:event:preferences.changed', {
      theme: 'system',
      navCollapsed: true,
    });

    expect(
      await invoke('app.openExternal', { url: 'https://learn.microsoft.com/graph/migrate' }),
    ).toMatchObject({ ok: true, value: { opened: true } });
    expect(await invoke('app.openExternal', { url: 'https://evil.example/' })).toMatchObject({
      ok: true,
      value: { opened: false },
    });
    expect(fake.module.shell.openExternal).toHaveBeenCalledExactlyOnceWith(
      'https://learn.microsoft.com/graph/migrate',
    );

    expect(await invoke('app.info', {}, makeFrame('https://evil.example/'))).toMatchObject({
      ok: false,
      error: { code: 'bad_sender' },
    });
  });

  it('roster.exportFile: the save dialog chooses the file, and the core writes the CSV there (never to the window)', async () => {
    const { fake, invoke } = await startReady();
    // The demo roster (signed out, the demo stays open) once its first sync is in.
    await vi.waitFor(async () => {
      const status = (await invoke('roster.status', {})) as { ok: boolean; value: { rowCount: number } };
      expect(status.value.rowCount).toBeGreaterThan(0);
    }, SLOW);
    const input = { filter: { role: ['student'] }, sort: { field: 'userId', direction: 'asc' } };
    fake.saveDialog.next = null;
    expect(await invoke('roster.exportFile', input)).toEqual({
      ok: true,
      value: { saved: false, filename: '', rowCount: 0 },
    });
    const target = join(fake.userData, 'students.csv');
    fake.saveDialog.next = target;
    const saved = (await invoke('roster.exportFile', input)) as {
      ok: boolean;
      value: { saved: boolean; filename: string; rowCount: number };
    };
    expect(saved).toMatchObject({ ok: true, value: { saved: true, filename: 'students.csv' } });
    expect(saved.value.rowCount).toBeGreaterThan(0);
    const lines = readFileSync(target, 'utf8').split('\r\n');
    expect(lines[0]).toMatch(/^"userId","firstName"/);
    expect(lines).toHaveLength(saved.value.rowCount + 1);
    expect(lines.slice(1).every((line) => line.includes('"student"'))).toBe(true);
    expect(JSON.stringify(saved)).not.toMatch(/userId/);
    // Modal over the console's window, starting in Downloads with the dated name.
    expect(fake.module.dialog.showSaveDialog).toHaveBeenLastCalledWith(
      fake.windows[0],
      expect.objectContaining({ defaultPath: expect.stringMatching(/roster-\d{4}-\d{2}-\d{2}\.csv$/) }),
    );
  }, 30_000);

  it('writes its log as JSON lines under userData/logs', async () => {
    const { fake } = await startReady();
    // The write stream flushes asynchronously.
    await vi.waitFor(() => {
      const lines = readFileSync(join(fake.userData, 'logs', 'main.jsonl'), 'utf8')
        .trim()
        .split('\n');
      expect(
        lines.map((line) => JSON.parse(line) as { message: string }).map((line) => line.message),
      ).toContain('console started');
    }, SLOW);
  });

  it('a second instance quits at once and registers nothing', () => {
    const { fake, consoleApp } = start({ lock: false });
    expect(consoleApp.primary).toBe(false);
    expect(fake.module.app.quit).toHaveBeenCalled();
    expect(fake.module.app.whenReady).not.toHaveBeenCalled();
    expect(fake.module.app.listenerCount('web-contents-created')).toBe(0);
  });

  it('the first instance focuses its window when a second one starts', async () => {
    const { fake } = await startReady();
    const [window] = fake.windows;
    if (!window) throw new Error('no window');
    window.minimized = true;
    fake.module.app.emit('second-instance', {}, ['app'], '/');
    expect(window.restore).toHaveBeenCalled();
    expect(window.focus).toHaveBeenCalled();
  });

  it('reopens a window on activate when none is open', async () => {
    const { fake } = await startReady();
    fake.windows[0]!.destroyed = true;
    fake.module.app.emit('activate');
    expect(fake.module.BrowserWindow.getAllWindows()).toHaveLength(1);
    fake.module.app.emit('activate');
    expect(fake.module.BrowserWindow.getAllWindows()).toHaveLength(1);
  });

  it('quits when all windows close (not on macOS), and releases the core before quitting', async () => {
    const { fake } = await startReady();
    fake.module.app.emit('window-all-closed');
    if (process.platform !== 'darwin') expect(fake.module.app.quit).toHaveBeenCalledTimes(1);
    const first = makeNavigationEvent('');
    fake.module.app.emit('will-quit', first);
    expect(first.defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(fake.ipcHandlers.size).toBe(0), SLOW);
    await vi.waitFor(
      () => expect(fake.module.app.quit).toHaveBeenCalledTimes(process.platform !== 'darwin' ? 2 : 1),
      SLOW,
    );
    const second = makeNavigationEvent('');
    fake.module.app.emit('will-quit', second);
    expect(second.defaultPrevented).toBe(false);
  });

  it('exits with status 1 and a log line when start-up fails', async () => {
    const { fake, consoleApp } = start({
      createStore: () => {
        throw new Error('disk on fire');
      },
    });
    fake.fireReady();
    await consoleApp.ready;
    expect(fake.module.app.exit).toHaveBeenCalledWith(1);
    expect(fake.windows).toHaveLength(0);
    await vi.waitFor(
      () => expect(readFileSync(join(fake.userData, 'logs', 'main.jsonl'), 'utf8')).toContain('disk on fire'),
      SLOW,
    );
  });
});
