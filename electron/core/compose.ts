import { DataSourceService, type PlatformConfig, type StartDemoSandbox } from './data-source/data-source-service.ts';
import { createDispatcher, type Dispatch, type Handlers, type Operator } from './ipc/dispatcher.ts';
import { EventBus } from './ipc/event-bus.ts';
import type { Logger } from './log/logger.ts';
import { PreferencesService, type KeyValueStore } from './preferences/preferences-service.ts';
import { checkExternalUrl, DEFAULT_EXTERNAL_HOSTS } from './security/external-links.ts';
import type { KeyWrapper } from './crypto/key-wrapper.ts';
import { createRosterFeature } from './roster/roster-feature.ts';

/**
 * What the core needs from its host. The Electron main process passes Electron's real
 * capabilities (shell.openExternal, electron-store); the browser host and tests pass Node
 * stand-ins. Nothing in the core imports `electron`.
 */
export interface CoreCapabilities {
  host: 'electron' | 'browser';
  productName: string;
  version: string;
  logger: Logger;
  store: KeyValueStore;
  /** Opens a vetted URL in the system browser; null where the UI opens links itself (browser host). */
  openExternal: ((url: string) => Promise<void>) | null;
  extraExternalHosts?: readonly string[];
  /** Starts the embedded demo sandbox in-process; used when no platform is configured. */
  startDemo?: StartDemoSandbox | null;
  /** The configured platform (settings), or null for demo mode. */
  platformConfig?: () => PlatformConfig | null;
  /** Protects the roster cache's data key at rest: safeStorage in Electron, CONSOLE_DATA_KEY elsewhere. */
  keyWrapper?: KeyWrapper | null;
  /** The host's data folder for the encrypted roster cache; without one the roster stays in memory. */
  dataDir?: string | null;
  /** The built roster sync worker (Electron's bundle); by default the .ts file beside the service. */
  rosterWorkerUrl?: URL;
  /** How often the roster refreshes in the background (ms; 0 = only on start and on demand). */
  rosterSyncIntervalMs?: number;
}

export interface ConsoleCore {
  dispatch: Dispatch;
  events: EventBus;
  /** The signed-in operator; a local director until the sign-in issue lands. */
  operator(): Operator;
  dispose(): Promise<void>;
}

/** The composition root: the one place that builds core services and wires them to the contract. */
export async function createConsoleCore(capabilities: CoreCapabilities): Promise<ConsoleCore> {
  const { logger } = capabilities;
  const events = new EventBus(logger.child({ component: 'events' }));
  const preferences = new PreferencesService(capabilities.store);
  const externalHosts = [...DEFAULT_EXTERNAL_HOSTS, ...(capabilities.extraExternalHosts ?? [])];
  const dataSource = new DataSourceService({
    logger: logger.child({ component: 'data-source' }),
    events,
    platformConfig: capabilities.platformConfig ?? (() => null),
    startDemo: capabilities.startDemo ?? null,
  });
  const roster = createRosterFeature({
    logger,
    events,
    dataSource,
    dataDir: capabilities.dataDir ?? null,
    keyWrapper: capabilities.keyWrapper ?? null,
    demo: (capabilities.platformConfig ?? (() => null))() === null,
    ...(capabilities.rosterWorkerUrl === undefined ? {} : { workerUrl: capabilities.rosterWorkerUrl }),
    ...(capabilities.rosterSyncIntervalMs === undefined ? {} : { syncIntervalMs: capabilities.rosterSyncIntervalMs }),
  });

  const handlers: Handlers = {
    'app.info': () => ({
      productName: capabilities.productName,
      version: capabilities.version,
      host: capabilities.host,
      dataSource: dataSource.state(),
    }),
    'app.openExternal': async ({ url }) => {
      const verdict = checkExternalUrl(url, externalHosts);
      if (!verdict.allowed || verdict.url === null) {
        logger.warn('external link refused', { reason: verdict.reason });
        return { opened: false, reason: verdict.reason };
      }
      if (capabilities.openExternal === null) {
        return { opened: false, reason: 'open-in-page' };
      }
      await capabilities.openExternal(verdict.url);
      return { opened: true, reason: null };
    },
    'migration.overview': () => dataSource.migration(),
    'dataSource.refresh': () => dataSource.refresh(),
    ...roster.handlers,
    'preferences.get': () => preferences.get(),
    'preferences.set': (change) => {
      const next = preferences.set(change);
      events.emit('preferences.changed', next);
      return next;
    },
  };

  const dispatch = createDispatcher({ handlers, logger: logger.child({ component: 'dispatch' }) });
  // Connect in the background: the window opens at once and the status bar follows the state.
  void dataSource.connect();
  // The roster shows its cache at once and syncs in a worker thread; failures end up in roster.status.
  void roster.start().catch((error: unknown) => logger.warn('roster start failed', { error: error instanceof Error ? error.message : String(error) }));
  return {
    dispatch,
    events,
    operator: () => ({ id: 'local', role: 'director' }),
    dispose: async () => {
      await roster.dispose();
      await dataSource.dispose();
    },
  };
}
