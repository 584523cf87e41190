import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Electron from 'electron';
import { createConsoleCore, type ConsoleCore } from '../core/compose.ts';
import { createLogger, type Logger } from '../core/log/logger.ts';
import { registerAppScheme, serveRendererOverAppProtocol } from './app-protocol.ts';
import { electronCapabilities } from './capabilities.ts';
import { forwardCoreEvents } from './event-forwarding.ts';
import { createFileLogSink, type FileLogSink } from './file-log-sink.ts';
import { registerIpcHandlers } from './ipc.ts';
import { blockNonAppRequests, denyAllPermissions } from './permissions.ts';
import { openSettingsStore, type StoreFactory } from './settings-store.ts';
import { guardWebContents } from './web-contents-guards.ts';
import { createMainWindow, focusWindow } from './window.ts';

export type ElectronMain = Pick<
  typeof Electron,
  'app' | 'BrowserWindow' | 'dialog' | 'ipcMain' | 'protocol' | 'safeStorage' | 'session' | 'shell'
> &
  // Optional: a desktop notification when a long job ends (tests run without it).
  Partial<Pick<typeof Electron, 'Notification'>>;

export interface ConsoleAppOptions {
  electron: ElectronMain;
  createStore: StoreFactory;
  /** The built renderer (`out/renderer`) and preload (`out/preload/index.cjs`). */
  rendererDir: string;
  preloadPath: string;
  /** How long quitting waits for the core to release its resources. */
  disposeTimeoutMs?: number;
  /** The built roster sync worker (`out/main/roster-sync-worker.js`). */
  rosterWorkerPath?: string;
}

export interface ConsoleApp {
  /** False when another instance already runs: this one is quitting. */
  readonly primary: boolean;
  /** Resolves once the core is composed and the first window is created. */
  readonly ready: Promise<void>;
}

/**
 * The main process, start to finish. Order matters and is the security baseline:
 * 1. before `ready`: the `app://` scheme is privileged, every renderer is sandboxed, a second
 *    instance hands over to the first, and every future web contents gets its guards;
 * 2. on `ready`, before any window: permissions denied, non-app requests cancelled, the renderer
 *    served, the core composed, IPC registered;
 * 3. only then the window.
 */
export function startConsoleApp(options: ConsoleAppOptions): ConsoleApp {
  const { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, shell } = options.electron;

  registerAppScheme(protocol);
  app.enableSandbox();

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { primary: false, ready: Promise.resolve() };
  }

  const userData = app.getPath('userData');
  let logSink: FileLogSink | null = null;
  let logger: Logger;
  try {
    logSink = createFileLogSink(join(userData, 'logs'));
    logger = createLogger({ sink: logSink, bindings: { process: 'main' } });
  } catch (error) {
    logger = createLogger({
      sink: { write: (line) => void process.stderr.write(line) },
      bindings: { process: 'main' },
    });
    logger.error('log folder unavailable; logging to stderr', {
      error: error instanceof Error ? error.message : String(error),
    });
  }

  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, logger));

  app.on('second-instance', () => {
    const [first] = BrowserWindow.getAllWindows();
    if (first) focusWindow(first);
  });

  let core: ConsoleCore | null = null;
  const teardown: Array<() => void> = [];
  const openWindow = (): void => {
    createMainWindow(BrowserWindow, { preloadPath: options.preloadPath, title: app.getName(), logger });
  };

  const ready = app.whenReady().then(async () => {
    const ses = session.defaultSession;
    denyAllPermissions(ses, logger);
    blockNonAppRequests(ses, logger);
    serveRendererOverAppProtocol(protocol, { rendererDir: options.rendererDir, logger });

    const store = openSettingsStore(options.createStore, { dir: userData, logger });
    const rosterWorker =
      options.rosterWorkerPath === undefined
        ? {}
        : { rosterWorkerUrl: pathToFileURL(options.rosterWorkerPath) };
    const { Notification } = options.electron;
    core = await createConsoleCore({
      ...electronCapabilities({
        app,
        shell,
        safeStorage,
        store,
        logger,
        dataDir: userData,
        ...rosterWorker,
        dialog,
        window: () => BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0] ?? null,
        downloadsDir: app.getPath('downloads'),
      }),
      notify:
        Notification === undefined
          ? null
          : (title, body) => {
              if (Notification.isSupported()) new Notification({ title, body }).show();
            },
    });
    teardown.push(registerIpcHandlers(ipcMain, core, logger));
    teardown.push(forwardCoreEvents(core.events, () => BrowserWindow.getAllWindows(), logger));

    openWindow();
    logger.info('console started', { version: app.getVersion() });
  });
  ready.catch((error: unknown) => {
    logger.error('console failed to start', {
      error: error instanceof Error ? error.message : String(error),
    });
    app.exit(1);
  });

  app.on('activate', () => {
    // macOS: clicking the dock icon with no window open reopens one, once the core is up.
    if (core !== null && BrowserWindow.getAllWindows().length === 0) openWindow();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  let shutdown: Promise<void> | null = null;
  app.on('will-quit', (event) => {
    if (shutdown === null) {
      shutdown = releaseResources(core, teardown, logger, logSink, options.disposeTimeoutMs ?? 5000);
      event.preventDefault();
      void shutdown.finally(() => app.quit());
    }
  });

  return { primary: true, ready: ready.catch(() => undefined) };
}

async function releaseResources(
  core: ConsoleCore | null,
  teardown: Array<() => void>,
  logger: Logger,
  logSink: FileLogSink | null,
  timeoutMs: number,
): Promise<void> {
  for (const step of teardown.splice(0)) step();
  if (core !== null) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const outcome = await Promise.race([core.dispose().then(() => 'done' as const), timeout]);
      if (outcome === 'timeout')
        logger.warn('core did not finish releasing resources in time', { timeoutMs });
    } catch (error) {
      logger.error('core failed to release resources', {
        error: error instanceof Error ? error.message : String(error),
      });
    } finally {
      clearTimeout(timer);
    }
  }
  logger.info('console stopped');
  await logSink?.close();
}
