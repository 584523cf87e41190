import type { BrowserWindow } from 'electron';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../core/log/logger.ts';
import { createFakeElectron } from './test-support/fake-electron.ts';
import { createMainWindow, focusWindow, secureWebPreferences } from './window.ts';

describe('main window', () => {
  it('uses the hardened web preferences', () => {
    expect(secureWebPreferences('/p/index.cjs')).toEqual({
      preload: '/p/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      webviewTag: false,
      safeDialogs: true,
    });
  });

  it('loads app://console/index.html, hidden until painted', async () => {
    const fake = createFakeElectron();
    const logger = createMemoryLogger();
    const window = createMainWindow(fake.module.BrowserWindow as unknown as typeof BrowserWindow, {
      preloadPath: '/p/index.cjs',
      title: 'T',
      logger,
    });
    const created = fake.windows[0];
    expect(created).toBe(window);
    expect(created?.options).toMatchObject({
      show: false,
      title: 'T',
      webPreferences: { sandbox: true, contextIsolation: true, preload: '/p/index.cjs' },
    });
    expect(created?.loadURL).toHaveBeenCalledWith('app://console/index.html');
    expect(created?.show).not.toHaveBeenCalled();
    created?.emit('ready-to-show');
    expect(created?.show).toHaveBeenCalled();
  });

  it('logs a page that fails to load instead of leaving an unhandled rejection', async () => {
    const fake = createFakeElectron();
    const logger = createMemoryLogger();
    const Fake = fake.module.BrowserWindow;
    createMainWindow(
      class extends Fake {
        constructor(options: Record<string, unknown>) {
          super(options);
          this.loadURL.mockRejectedValueOnce(new Error('ERR_FILE_NOT_FOUND'));
        }
      } as unknown as typeof BrowserWindow,
      { preloadPath: '/p', title: 'T', logger },
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(logger.lines.some((line) => line.includes('ERR_FILE_NOT_FOUND'))).toBe(true);
  });

  it('focusWindow restores a minimised window and brings it forward', () => {
    const fake = createFakeElectron();
    const window = new fake.module.BrowserWindow({});
    window.minimized = true;
    focusWindow(window as unknown as BrowserWindow);
    expect(window.restore).toHaveBeenCalled();
    expect(window.show).toHaveBeenCalled();
    expect(window.focus).toHaveBeenCalled();
    window.destroyed = true;
    window.focus.mockClear();
    focusWindow(window as unknown as BrowserWindow);
    expect(window.focus).not.toHaveBeenCalled();
  });
});
