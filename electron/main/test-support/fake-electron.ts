import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';

/**
 * A stand-in for the parts of `electron` the main process uses, for `vi.mock('electron')` and for
 * direct injection. It records what the glue registers (IPC handlers, the protocol handler,
 * permission handlers, app and web-contents listeners) so tests can call them directly, the way
 * Bitwarden's desktop tests do. Electron itself cannot start on CI machines without its binary.
 */
type Listener = (...args: never[]) => unknown;

export class FakeEmitter {
  readonly listenersByEvent = new Map<string, Listener[]>();

  on(event: string, listener: Listener): this {
    const list = this.listenersByEvent.get(event) ?? [];
    list.push(listener);
    this.listenersByEvent.set(event, list);
    return this;
  }

  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }

  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listenersByEvent.get(event) ?? [])
      (listener as (...a: unknown[]) => unknown)(...args);
  }

  listenerCount(event: string): number {
    return this.listenersByEvent.get(event)?.length ?? 0;
  }
}

export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

export function makeFrame(url: string, parent: FakeFrame | null = null): FakeFrame {
  return { url, parent };
}

/** A navigation-style event: `preventDefault` is recorded. */
export function makeNavigationEvent(url: string): {
  url: string;
  preventDefault: () => void;
  defaultPrevented: boolean;
} {
  const event = {
    url,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

export class FakeWebContents extends FakeEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  readonly mainFrame: FakeFrame = makeFrame('app://console/index.html');
  readonly send = vi.fn();
  destroyed = false;

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export function createFakeElectron(options: { userData?: string } = {}) {
  const userData = options.userData ?? mkdtempSync(join(tmpdir(), 'console-main-'));
  let resolveReady: () => void = () => {};
  const readyPromise = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });

  const app = Object.assign(new FakeEmitter(), {
    singleInstanceLock: true,
    requestSingleInstanceLock: vi.fn((): boolean => app.singleInstanceLock),
    enableSandbox: vi.fn(),
    quit: vi.fn(),
    exit: vi.fn(),
    getPath: vi.fn((_name: string) => userData),
    getName: vi.fn(() => 'Calendar Sync Migration Console'),
    getVersion: vi.fn(() => '0.1.0'),
    whenReady: vi.fn(() => readyPromise),
  });

  const windows: FakeBrowserWindow[] = [];

  class FakeBrowserWindow extends FakeEmitter {
    static getAllWindows(): FakeBrowserWindow[] {
      return windows.filter((window) => !window.destroyed);
    }

    static getFocusedWindow(): FakeBrowserWindow | null {
      return null;
    }

    readonly options: Record<string, unknown>;
    readonly webContents = new FakeWebContents();
    readonly loadURL = vi.fn(async (_url: string) => {});
    readonly show = vi.fn();
    readonly focus = vi.fn();
    readonly restore = vi.fn();
    minimized = false;
    destroyed = false;

    constructor(options: Record<string, unknown>) {
      super();
      this.options = options;
      windows.push(this);
      // Electron announces every new web contents on the app, before any page loads.
      app.emit('web-contents-created', {}, this.webContents);
    }

    isMinimized(): boolean {
      return this.minimized;
    }

    isDestroyed(): boolean {
      return this.destroyed;
    }
  }

  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  const protocol = {
    registerSchemesAsPrivileged: vi.fn(),
    handle: vi.fn((scheme: string, handler: (request: Request) => Promise<Response>) => {
      protocolHandlers.set(scheme, handler);
    }),
  };

  const ipcHandlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>();
  const ipcMain = {
    handle: vi.fn((channel: string, handler: (event: unknown, ...args: unknown[]) => Promise<unknown>) => {
      if (ipcHandlers.has(channel))
        throw new Error(`Attempted to register a second handler for '${channel}'`);
      ipcHandlers.set(channel, handler);
    }),
    removeHandler: vi.fn((channel: string) => {
      ipcHandlers.delete(channel);
    }),
  };

  const defaultSession = {
    permissionRequestHandler: null as
      | null
      | ((wc: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void),
    permissionCheckHandler: null as
      null | ((wc: unknown, permission: string, origin: string, details: unknown) => boolean),
    devicePermissionHandler: null as null | ((details: unknown) => boolean),
    beforeRequest: null as
      | null
      | ((
          details: { url: string; resourceType: string },
          callback: (response: { cancel?: boolean }) => void,
        ) => void),
    setPermissionRequestHandler: vi.fn((handler: typeof defaultSession.permissionRequestHandler) => {
      defaultSession.permissionRequestHandler = handler;
    }),
    setPermissionCheckHandler: vi.fn((handler: typeof defaultSession.permissionCheckHandler) => {
      defaultSession.permissionCheckHandler = handler;
    }),
    setDevicePermissionHandler: vi.fn((handler: typeof defaultSession.devicePermissionHandler) => {
      defaultSession.devicePermissionHandler = handler;
    }),
    webRequest: {
      onBeforeRequest: vi.fn((handler: typeof defaultSession.beforeRequest) => {
        defaultSession.beforeRequest = handler;
      }),
    },
  };

  const shell = { openExternal: vi.fn(async (_url: string) => {}) };
  /** The save dialog: answers with `saveDialog.next` (a path, or null for a closed dialog). */
  const saveDialog = { next: null as string | null };
  const dialog = {
    showSaveDialog: vi.fn(async (..._args: unknown[]) =>
      saveDialog.next === null
        ? { canceled: true, filePath: '' }
        : { canceled: false, filePath: saveDialog.next },
    ),
  };
  // Like a Linux desktop without a keyring: the core must keep secrets in memory only.
  const safeStorage = {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => 'basic_text' as const,
    encryptString: (text: string) => Buffer.from(text, 'utf8'),
    decryptString: (data: Buffer) => data.toString('utf8'),
  };

  return {
    userData,
    windows,
    protocolHandlers,
    ipcHandlers,
    defaultSession,
    saveDialog,
    /** Fires `ready`, as Electron does once Chromium is up. */
    fireReady: () => resolveReady(),
    module: {
      app,
      BrowserWindow: FakeBrowserWindow,
      dialog,
      ipcMain,
      protocol,
      safeStorage,
      session: { defaultSession },
      shell,
      Notification: class {
        static isSupported(): boolean {
          return false;
        }
        show(): void {}
      },
    },
  };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;

/** An IPC invoke event from the given frame, as the main process receives it. */
export function invokeEventFrom(frame: FakeFrame | null, mainFrame: FakeFrame | null = frame) {
  return { senderFrame: frame, sender: { mainFrame } };
}
