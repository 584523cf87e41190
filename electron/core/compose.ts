import { ConsoleError } from '../../shared/contract/index.ts';
import {
  DataSourceService,
  type PlatformConfig,
  type StartDemoSandbox,
} from './data-source/data-source-service.ts';
import {
  createDispatcher,
  type CallContext,
  type Dispatch,
  type Handlers,
  type Operator,
} from './ipc/dispatcher.ts';
import { EventBus } from './ipc/event-bus.ts';
import type { Logger } from './log/logger.ts';
import { PreferencesService, type KeyValueStore } from './preferences/preferences-service.ts';
import { checkExternalUrl, DEFAULT_EXTERNAL_HOSTS } from './security/external-links.ts';
import { createRosterFeature, type RosterFeature } from './roster/roster-feature.ts';
import { disconnectPlatformOf } from './disconnect/platform-port.ts';
import { createJobsFeature, type JobsFeature } from './jobs/jobs-feature.ts';
import type { JournalDatabase } from './journal/journal-database.ts';
import { openJournal } from './journal/open-journal.ts';
import { AuthService, type AuthServiceOptions } from './auth/auth-service.ts';
import { resolveIdentity } from './auth/identity-config.ts';
import { SecretVault } from './auth/secret-vault.ts';
import type { KeyWrapper } from './crypto/key-wrapper.ts';
import { CacheRegistry } from './settings/cache-registry.ts';
import { buildDiagnostics } from './settings/diagnostics.ts';
import { SettingsService } from './settings/settings-service.ts';
import type { PlatformKeyCheck } from './settings/platform-key-check.ts';

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
  /** The configured platform, or null for demo mode; by default the Settings page's platform. */
  platformConfig?: () => PlatformConfig | null;
  /**
   * Protects secrets at rest (platform key, token cache): safeStorage in Electron,
   * CONSOLE_DATA_KEY elsewhere. Null or refusing: secrets stay in memory only, and the UI says so.
   */
  keyWrapper?: KeyWrapper | null;
  /** Sign-in tuning (tests: a short timeout, a free port, a network recorder). */
  auth?: Pick<AuthServiceOptions, 'preferredPort' | 'signInTimeoutMs' | 'wrapNetworkClient' | 'now'>;
  /** Test seam: how a platform URL + key is checked before it is saved. */
  checkPlatformKey?: PlatformKeyCheck;
  /** The host's data folder for the encrypted roster cache; without one the roster stays in memory. */
  dataDir?: string | null;
  /** The built roster sync worker (Electron's bundle); by default the .ts file beside the service. */
  rosterWorkerUrl?: URL;
  /** How often the roster refreshes in the background (ms; 0 = only on start and on demand). */
  rosterSyncIntervalMs?: number;
  /** A desktop notification when a long job ends (Electron's Notification); null in the browser host. */
  notify?: ((title: string, body: string) => void) | null;
}

export interface ConsoleCore {
  dispatch: Dispatch;
  events: EventBus;
  /** The signed-in operator (a `viewer` while nobody is signed in). */
  operator(): Operator;
  /** Features with a local cache register it here so Settings → Clear cache can clear it. */
  caches: CacheRegistry;
  /** Delegated access tokens for the signed-in operator (Graph); they never leave the main process. */
  auth: Pick<AuthService, 'accessToken' | 'status'>;
  dispose(): Promise<void>;
}

/** The composition root: the one place that builds core services and wires them to the contract. */
export async function createConsoleCore(capabilities: CoreCapabilities): Promise<ConsoleCore> {
  const { logger } = capabilities;
  const events = new EventBus(logger.child({ component: 'events' }));
  const preferences = new PreferencesService(capabilities.store);
  const vault = new SecretVault({
    store: capabilities.store,
    keyWrapper: capabilities.keyWrapper ?? null,
    logger: logger.child({ component: 'secrets' }),
  });
  const caches = new CacheRegistry();
  // Settings and sign-in react to each other's changes; both are built before anything runs.
  const late: { auth?: AuthService; dataSource?: DataSourceService } = {};
  const settings = new SettingsService({
    store: capabilities.store,
    vault,
    logger: logger.child({ component: 'settings' }),
    events,
    ...(capabilities.checkPlatformKey ? { checkPlatform: capabilities.checkPlatformKey } : {}),
    onPlatformChanged: async () => {
      await late.dataSource?.reconnect();
      await late.auth?.identityChanged();
    },
    onSignInChanged: async () => {
      await late.auth?.identityChanged();
    },
  });
  const externalHosts = (): string[] => {
    const configured = [settings.get().helpArticleUrl, settings.get().platform.url].flatMap((url) =>
      url === null ? [] : [new URL(url).hostname],
    );
    return [...DEFAULT_EXTERNAL_HOSTS, ...(capabilities.extraExternalHosts ?? []), ...configured];
  };
  const dataSource = new DataSourceService({
    logger: logger.child({ component: 'data-source' }),
    events,
    platformConfig: capabilities.platformConfig ?? (() => settings.platformConfig()),
    startDemo: capabilities.startDemo ?? null,
  });
  const openExternal = capabilities.openExternal;
  const auth = new AuthService({
    vault,
    logger: logger.child({ component: 'auth' }),
    events,
    ...capabilities.auth,
    resolveIdentity: async () => {
      await dataSource.connect();
      return resolveIdentity(settings.signInConfig(), dataSource.demoIdentity());
    },
    // The system browser may open the sign-in page only on the authority's own host.
    openBrowser:
      openExternal === null
        ? null
        : async (url) => {
            const host = auth.status().identity.authorityHost;
            const verdict = checkExternalUrl(url, host === null ? [] : [new URL(`https://${host}`).hostname]);
            if (!verdict.allowed || verdict.url === null)
              throw new ConsoleError(
                'forbidden',
                verdict.reason ?? 'The sign-in page is not on the authority.',
              );
            await openExternal(verdict.url);
          },
  });
  late.auth = auth;
  late.dataSource = dataSource;
  const platformConfig = capabilities.platformConfig ?? (() => settings.platformConfig());
  const makeJournal = (platformUrl: string | null): JournalDatabase =>
    openJournal({
      dataDir: capabilities.dataDir ?? null,
      keyWrapper: capabilities.keyWrapper ?? null,
      demo: platformUrl === null,
      platformUrl,
    });
  // Jobs, force-disconnect and the audit log live in the data source's journal, beside its roster.
  const makeJobs = (source: JournalDatabase, rosterOf: () => RosterFeature): JobsFeature =>
    createJobsFeature({
      logger,
      events,
      journal: source,
      platform: disconnectPlatformOf(() => dataSource.platform()),
      migration: () => dataSource.migration(),
      cachedStatus: (userId) => rosterOf().sync.engine.get(userId)?.status,
      notify: capabilities.notify ?? null,
    });
  const makeRoster = (platformUrl: string | null, source: JournalDatabase): RosterFeature =>
    createRosterFeature({
      journal: source,
      logger,
      events,
      dataSource,
      dataDir: capabilities.dataDir ?? null,
      keyWrapper: capabilities.keyWrapper ?? null,
      demo: platformUrl === null,
      platformUrl,
      ...(capabilities.rosterWorkerUrl === undefined ? {} : { workerUrl: capabilities.rosterWorkerUrl }),
      syncIntervalMs: rosterIntervalMs(),
    });
  // A host may pin the interval (tests, benchmarks); otherwise Settings → refresh interval decides.
  const rosterIntervalMs = (): number =>
    capabilities.rosterSyncIntervalMs ?? settings.get().refreshIntervalMinutes * 60_000;
  let rosterPlatformUrl = platformConfig()?.baseUrl ?? null;
  let journal = makeJournal(rosterPlatformUrl);
  let roster = makeRoster(rosterPlatformUrl, journal);
  let jobs = makeJobs(journal, () => roster);
  let rosterSwitch: Promise<void> = Promise.resolve();
  // Switching platform in Settings (or back to the demo) takes effect without a restart: the
  // roster of the old source is closed and a fresh one, with its own cache, starts for the new.
  events.subscribe((name) => {
    if (name === 'settings.changed') roster.sync.setIntervalMs(rosterIntervalMs());
    if (name !== 'app.dataSource') return;
    const next = platformConfig()?.baseUrl ?? null;
    if (next === rosterPlatformUrl) return;
    rosterPlatformUrl = next;
    const previous = roster;
    const previousJobs = jobs;
    const previousJournal = journal;
    journal = makeJournal(next);
    roster = makeRoster(next, journal);
    jobs = makeJobs(journal, () => roster);
    const current = roster;
    const currentJobs = jobs;
    rosterSwitch = rosterSwitch
      .then(() => previousJobs.dispose())
      .then(() => previous.dispose())
      .then(() => previousJournal.close())
      .then(() => currentJobs.start())
      .then(() => current.start())
      .catch((error: unknown) =>
        logger.warn('roster switch failed', {
          error: error instanceof Error ? error.message : String(error),
        }),
      );
  });
  caches.register({ name: 'Roster cache', clear: () => roster.clearCache() });
  // Handlers always reach the roster of the current source.
  const rosterHandlers = Object.fromEntries(
    Object.keys(roster.handlers).map((name) => [
      name,
      (input: unknown, context: CallContext) =>
        (roster.handlers as Record<string, (input: unknown, context: CallContext) => unknown>)[name]?.(
          input,
          context,
        ),
    ]),
  ) as unknown as RosterFeature['handlers'];
  const jobsHandlers = Object.fromEntries(
    Object.keys(jobs.handlers).map((name) => [
      name,
      (input: unknown, context: CallContext) =>
        (jobs.handlers as Record<string, (input: unknown, context: CallContext) => unknown>)[name]?.(
          input,
          context,
        ),
    ]),
  ) as unknown as JobsFeature['handlers'];

  const handlers: Handlers = {
    'app.info': () => ({
      productName: capabilities.productName,
      version: capabilities.version,
      host: capabilities.host,
      dataSource: dataSource.state(),
    }),
    'app.openExternal': async ({ url }) => {
      const verdict = checkExternalUrl(url, externalHosts());
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
    ...rosterHandlers,
    ...jobsHandlers,
    'auth.status': () => auth.status(),
    'auth.signIn': ({ flow, user }) => auth.signIn(flow, user),
    'auth.cancel': () => auth.cancel(),
    'auth.signOut': () => auth.signOut(),
    'settings.get': () => settings.get(),
    'settings.update': (change) => settings.update(change),
    'settings.setSignIn': (change) => settings.setSignIn(change),
    'settings.setPlatformKey': (change) => settings.setPlatformKey(change),
    'settings.clearCache': async () => {
      const { cleared, failed } = await caches.clearAll();
      if (failed.length > 0)
        throw new ConsoleError(
          'unavailable',
          `Could not clear: ${failed.join(', ')}. Cleared: ${cleared.join(', ') || 'nothing'}. Try again.`,
          { retryable: true },
        );
      return { cleared };
    },
    'settings.exportDiagnostics': () =>
      buildDiagnostics({
        productName: capabilities.productName,
        version: capabilities.version,
        host: capabilities.host,
        dataSource: dataSource.state(),
        settings: settings.get(),
        auth: auth.status(),
        now: new Date(),
      }),
    'preferences.get': () => preferences.get(),
    'preferences.set': (change) => {
      const next = preferences.set(change);
      events.emit('preferences.changed', next);
      return next;
    },
  };

  const dispatch = createDispatcher({
    handlers,
    logger: logger.child({ component: 'dispatch' }),
    // The audit log sits at the one door: every change, by any transport, is recorded once.
    onCall: (call) => jobs.recordCall(call),
  });
  jobs.start();
  // Connect in the background: the window opens at once and the status bar follows the state.
  void dataSource.connect();
  // The roster shows its cache at once and syncs in a worker thread; failures end up in roster.status.
  void roster
    .start()
    .catch((error: unknown) =>
      logger.warn('roster start failed', { error: error instanceof Error ? error.message : String(error) }),
    );
  // A remembered operator is signed in silently from the sealed token cache, also in the background.
  void auth.restore().catch((error: unknown) =>
    logger.warn('sign-in restore failed', {
      error: error instanceof Error ? error.message : String(error),
    }),
  );
  return {
    dispatch,
    events,
    operator: () => auth.operator(),
    caches,
    auth,
    dispose: async () => {
      auth.dispose();
      await rosterSwitch;
      await jobs.dispose();
      await roster.dispose();
      journal.close();
      await dataSource.dispose();
    },
  };
}
