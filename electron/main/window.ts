import type { BrowserWindow, WebPreferences } from 'electron';
import type { Logger } from '../core/log/logger.ts';
import { APP_ENTRY_URL } from './app-url.ts';

/**
 * The renderer gets nothing but the DOM and the preload's `window.consoleApi`: isolated world,
 * OS sandbox, no Node, same-origin policy on, no mixed content, no experimental Blink features,
 * no `<webview>`, and a file dropped on the window does not navigate it away from the app.
 */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
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
  };
}

export interface MainWindowOptions {
  preloadPath: string;
  title: string;
  logger: Logger;
}

export function createMainWindow(
  BrowserWindowClass: typeof BrowserWindow,
  options: MainWindowOptions,
): BrowserWindow {
  const window = new BrowserWindowClass({
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    title: options.title,
    // Shown once painted, so the operator never sees a blank white frame.
    show: false,
    webPreferences: secureWebPreferences(options.preloadPath),
  });
  window.once('ready-to-show', () => window.show());
  window.loadURL(APP_ENTRY_URL).catch((error: unknown) => {
    options.logger.error('the console page did not load', {
      error: error instanceof Error ? error.message : String(error),
    });
  });
  return window;
}

/** Brings an existing window to the front, e.g. when the operator starts the app a second time. */
export function focusWindow(window: BrowserWindow): void {
  if (window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
