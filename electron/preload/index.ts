import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadBridge } from './bridge.ts';

// The only thing the page receives from the preload. contextBridge copies it into the page's
// world, so the page holds proxies to these functions, never the objects behind them.
contextBridge.exposeInMainWorld('consoleApi', createPreloadBridge(ipcRenderer));
