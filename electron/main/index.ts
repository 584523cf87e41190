import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Notification,
  protocol,
  safeStorage,
  session,
  shell,
} from 'electron';
import Store from 'electron-store';
import { startConsoleApp } from './console-app.ts';

// Built to out/main/index.js; the renderer and preload builds sit beside it in out/.
const mainDir = dirname(fileURLToPath(import.meta.url));

startConsoleApp({
  electron: { app, BrowserWindow, dialog, ipcMain, Notification, protocol, safeStorage, session, shell },
  createStore: (options) => new Store(options),
  rendererDir: join(mainDir, '../renderer'),
  preloadPath: join(mainDir, '../preload/index.cjs'),
  // A second entry of the main build (electron.vite.config.ts): the roster sync runs in this worker.
  rosterWorkerPath: join(mainDir, 'roster-sync-worker.js'),
});
