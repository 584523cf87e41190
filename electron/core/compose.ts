import { createAppFeature } from './app/app-feature.ts';
import { createAuthFeature } from './auth/auth-feature.ts';
import { AuthService, type AuthServiceOptions } from './auth/auth-service.ts';
import type { AccessScope } from './auth/access-policy.ts';
import { resolveIdentity } from './auth/identity-config.ts';
import { SecretVault } from './auth/secret-vault.ts';
import type { KeyWrapper } from './crypto/key-wrapper.ts';
import { createDashboardFeature } from './dashboard/dashboard-feature.ts';
import { createDataSourceFeature } from './data-source/data-source-feature.ts';
import {
  DataSourceService,
  type PlatformConfig,
  type StartDemoSandbox,
} from './data-source/data-source-service.ts';
import { checkDistinctMethods, type AnyFeature } from './feature.ts';
import { createDispatcher, type Dispatch, type Handlers, type Operator } from './ipc/dispatcher.ts';
import { EventBus } from './ipc/event-bus.ts';
import { DisposableStore, toDisposable } from './lifecycle/disposable.ts';
import { AsyncEmitter } from './lifecycle/emitter.ts';
import type { Logger } from './log/logger.ts';
import type { AccessTokenProvider } from './graph/auth.ts';
import type { GraphClient } from './graph/client.ts';
import { deliveryPlatformOf, type DeliveryGraph } from './mail/delivery/delivery-kind.ts';
import { createDeliveryFeature, createDeliveryKinds } from './mail/delivery/delivery-feature.ts';
import { realRuntime } from './net/clock.ts';
import { createGraphClient, graphBudget } from './workspace/platform-clients.ts';
import { createMailFeature } from './mail/mail-feature.ts';
import { engineRosterAccess } from './mail/roster-access.ts';
import { operatorMailbox } from './mail/user-mail/operator-mailbox.ts';
import { createRemindersFeature } from './mail/reminders/reminders-feature.ts';
import { createUserMailFeature } from './mail/user-mail/user-mail-feature.ts';
import { createPreferencesFeature } from './preferences/preferences-feature.ts';
import { PreferencesService, type KeyValueStore } from './preferences/preferences-service.ts';
import type { ChooseSaveFile } from './roster/export/roster-csv-file.ts';
import { createRosterFeature } from './roster/roster-feature.ts';
import { createJobsWorkspaceFeature } from './jobs/jobs-workspace-feature.ts';
import { ConsoleError } from '../../shared/contract/index.ts';
import { checkExternalUrl, DEFAULT_EXTERNAL_HOSTS } from './security/external-links.ts';
import { CacheRegistry } from './settings/cache-registry.ts';
import type { PlatformKeyCheck } from './settings/platform-key-check.ts';
import { createSettingsFeature } from './settings/settings-feature.ts';
import { SettingsService } from './settings/settings-service.ts';
import { displayNameOf } from './verify/display-name.ts';
import { VerificationAccess, type AccessSource, type DemoGraph } from './verify/graph-access.ts';
import { createVerifyFeature } from './verify/verify-feature.ts';
import { createVerifyKind } from './verify/verify-kind.ts';
import { Workspace } from './workspace/workspace.ts';
import { WorkspaceHost } from './workspace/workspace-host.ts';

/**
 * What the core needs from its host. The Electron main process passes Electron's real
 * capabilities (shell.openExternal, electron-store); the browser host, the CLI and tests pass
 * Node stand-ins. Nothing in the core imports `electron`.
 */
export interface CoreCapabilities {
  host: 'electron' | 'browser' | 'cli';
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
  /** Asks the operator where to save a file (Electron's save dialog): `roster.exportFile` writes the CSV there. */
  chooseSaveFile?: ChooseSaveFile | null;
  /** The host's data folder for the encrypted roster cache; without one the roster stays in memory. */
  dataDir?: string | null;
  /** The built roster sync worker (Electron's bundle); by default the .ts file beside the service. */
  rosterWorkerUrl?: URL;
  /** How often the roster refreshes in the background (ms; 0 = only on start and on demand). */
  rosterSyncIntervalMs?: number;
  /**
   * Start the workspace's background work (the roster's first sync) at once; default true. The
   * CLI turns it off and asks for exactly what a command needs (`roster.sync` with `wait`).
   */
  startBackgroundWork?: boolean;
  /** A desktop notification when a long job ends (Electron's Notification); null in the browser host. */
  notify?: ((title: string, body: string) => void) | null;
  /** Job engine lease and concurrency (the CLI reads CONSOLE_JOB_LEASE_MS / CONSOLE_JOB_CONCURRENCY). */
  jobTuning?: { leaseMs?: number; concurrency?: number };
  /**
   * How verification reaches Graph; by default Settings → Verification, else the demo's verifier
   * app. The CLI passes its --graph-token-env / --graph-tenant options here.
   */
  verificationAccess?: (demo: () => DemoGraph | null) => AccessSource;
  /**
   * The delegated Graph token announcement delivery sends with, and the Graph it talks to; by
   * default the signed-in operator's (MSAL) and the data source's Graph. The CLI passes
   * --graph-token-env's token and --graph-url, or the demo director's token.
   */
  delivery?: { tokens: AccessTokenProvider; graphUrl?: string };
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
  /** The current data source's workspace (store, clients); rebuilt when the source changes. */
  workspaces: WorkspaceHost;
  dispose(): Promise<void>;
}

/**
 * The composition root: builds the core services, the per-data-source workspace and the list of
 * features over them, and hands the features' handlers to the one dispatcher. A new feature is a
 * folder under electron/core/ with a `create…Feature` and one line in the list below.
 */
export async function createConsoleCore(capabilities: CoreCapabilities): Promise<ConsoleCore> {
  const { logger } = capabilities;
  const disposables = new DisposableStore();
  const events = new EventBus(logger.child({ component: 'events' }));
  const vault = new SecretVault({
    store: capabilities.store,
    keyWrapper: capabilities.keyWrapper ?? null,
    logger: logger.child({ component: 'secrets' }),
  });
  // Settings says when the platform or the sign-in setup changed; the data source and sign-in follow.
  const platformChanged = disposables.add(new AsyncEmitter<void>());
  const signInChanged = disposables.add(new AsyncEmitter<void>());
  const settings = new SettingsService({
    store: capabilities.store,
    vault,
    dataFolder: capabilities.dataDir ?? null,
    logger: logger.child({ component: 'settings' }),
    events,
    ...(capabilities.checkPlatformKey ? { checkPlatform: capabilities.checkPlatformKey } : {}),
    onPlatformChanged: () => platformChanged.fireAsync(),
    onSignInChanged: () => signInChanged.fireAsync(),
  });
  const platformConfig = capabilities.platformConfig ?? (() => settings.platformConfig());
  const dataSource = new DataSourceService({
    logger: logger.child({ component: 'data-source' }),
    platformConfig,
    // A saved platform whose key cannot be used is said to be unavailable, never replaced by the demo.
    ...(capabilities.platformConfig ? {} : { platformProblem: () => settings.platformProblem() }),
    startDemo: capabilities.startDemo ?? null,
  });
  // Signed out, the demo stays open; a configured platform (even one whose key cannot be read) does not.
  const accessScope = (): AccessScope =>
    (capabilities.platformConfig?.() ?? null) !== null || settings.get().platform.url !== null
      ? 'platform'
      : 'demo';
  disposables.add(toDisposable(() => dataSource.dispose()));
  const auth: AuthService = new AuthService({
    scope: accessScope,
    vault,
    logger: logger.child({ component: 'auth' }),
    events,
    ...capabilities.auth,
    resolveIdentity: async () => {
      await dataSource.connect();
      return resolveIdentity(settings.signInConfig(), dataSource.demoIdentity());
    },
    openBrowser: signInBrowser(capabilities.openExternal, () => auth.status().identity.authorityHost),
  });
  disposables.add(platformChanged.event(() => dataSource.reconnect().then(() => auth.identityChanged())));
  disposables.add(signInChanged.event(() => auth.identityChanged()));

  // One workspace per data source; switching platform in Settings (or back to the demo) builds a
  // new one without a restart, with its own cache.
  const workspaces = disposables.add(
    new WorkspaceHost({
      logger: logger.child({ component: 'workspace' }),
      // A configured platform that cannot be used (its key unreadable or bound elsewhere) keeps its own
      // roster cache on screen, never the demo's.
      currentSource: () => ({
        platformUrl:
          platformConfig()?.baseUrl ??
          (capabilities.platformConfig === undefined && settings.platformProblem() !== null
            ? settings.get().platform.url
            : null),
      }),
      open: (source) =>
        new Workspace({
          source,
          logger,
          dataSource,
          dataDir: capabilities.dataDir ?? null,
          keyWrapper: capabilities.keyWrapper ?? null,
        }),
    }),
  );
  disposables.add(dataSource.onDidChangeState(() => workspaces.sourceMayHaveChanged()));

  const caches = new CacheRegistry();
  const app = createAppFeature({
    logger,
    productName: capabilities.productName,
    version: capabilities.version,
    host: capabilities.host,
    dataSource,
    openExternal: capabilities.openExternal,
    externalHosts: () => [
      ...DEFAULT_EXTERNAL_HOSTS,
      ...(capabilities.extraExternalHosts ?? []),
      ...[settings.get().helpArticleUrl, settings.get().platform.url].flatMap((url) =>
        url === null ? [] : [new URL(url).hostname],
      ),
    ],
  });
  const preferences = createPreferencesFeature({
    preferences: new PreferencesService(capabilities.store),
    events,
  });
  const source = createDataSourceFeature({ dataSource, events });
  const signIn = createAuthFeature({ auth, logger });
  const settingsPage = createSettingsFeature({
    settings,
    caches,
    dataSource,
    auth,
    productName: capabilities.productName,
    version: capabilities.version,
    host: capabilities.host,
  });
  const roster = createRosterFeature({
    logger,
    events,
    workspaces,
    ...(capabilities.rosterWorkerUrl === undefined ? {} : { workerUrl: capabilities.rosterWorkerUrl }),
    // A host may pin the interval (tests, benchmarks); otherwise Settings → refresh interval decides.
    syncIntervalMs: () => capabilities.rosterSyncIntervalMs ?? settings.get().refreshIntervalMinutes * 60_000,
    syncIntervalChanged: settings.onDidChange,
    chooseSaveFile: capabilities.chooseSaveFile ?? null,
    // Read when a query runs (after composition): the verify feature's store of latest verifications.
    verdicts: () => verify.slot.peek()?.results.labels() ?? null,
  });
  // Templates and the record of announcements live in the current source's durable journal
  // (apart from the rebuildable roster cache); their `mail_*` tables are made there on first use.
  const mail = createMailFeature({
    logger: logger.child({ component: 'mail' }),
    db: () => workspaces.current.journal.db,
    settings: () => settings.get(),
    migration: () => dataSource.migration(),
    platform: () => dataSource.platform(),
    roster: () =>
      engineRosterAccess(
        () => roster.slot.current.sync.engine,
        () =>
          roster.slot.current.sync.state().lastFullSyncAt !== null ||
          roster.slot.current.sync.engine.size > 0,
      ),
    dataDir: capabilities.dataDir ?? null,
  });
  // The troubleshooter's mail about one user: what reached them, and a magic link from the operator's mailbox.
  const userMail = createUserMailFeature({
    logger: logger.child({ component: 'user-mail' }),
    db: () => workspaces.current.journal.db,
    platform: () => workspaces.current.platform(),
    mailbox: operatorMailbox({
      status: () => auth.status(),
      graph: () => deliveryGraphOf(workspaces.current).client(),
    }),
    settings: () => settings.get(),
    timeZone: async () => (await dataSource.migration()).timezone,
  });
  const dashboard = createDashboardFeature({
    logger,
    workspaces,
    dataSource,
    roster,
    announcementDays: (from, to) => mail.announcements.days(from, to),
    reminderDays: (timeZone) => reminders.upcomingDays(timeZone),
  });
  const demoGraph = () => dataSource.demoGraph();
  const verify = createVerifyFeature({
    logger: logger.child({ component: 'verify' }),
    workspaces,
    access:
      capabilities.verificationAccess?.(demoGraph) ??
      new VerificationAccess({
        store: capabilities.store,
        vault,
        logger: logger.child({ component: 'verify-access' }),
        demo: demoGraph,
      }),
    cutoffAt: async () => (await dataSource.migration()).cutoffAt,
    cachedConnection: (userId) => roster.slot.peek()?.sync.engine.get(userId),
    chooseSaveFile: capabilities.chooseSaveFile ?? null,
    usersMatching: (filter, verdicts) => {
      const engine = roster.slot.current.sync.engine;
      return engine
        .query(
          {
            filter,
            sort: { field: 'userId', direction: 'asc' },
            offset: 0,
            limit: Math.max(1, engine.size),
            now: new Date().toISOString(),
          },
          { verdicts },
        )
        .rows.map((row) => ({ userId: row.userId, email: row.email, name: displayNameOf(row) }));
    },
    jobs: () => {
      const current = jobs.current();
      if (current === null)
        throw new ConsoleError('unavailable', 'The job engine is not ready (the journal is being opened).');
      return current.engine;
    },
    // From the roster (instant, offline too); while it is empty (first start, the CLI) from the platform's search.
    findUsers: async (q, limit) => {
      const engine = roster.slot.current.sync.engine;
      if (engine.size > 0)
        return engine
          .query({
            filter: { q },
            sort: { field: 'lastName', direction: 'asc' },
            offset: 0,
            limit,
            now: new Date().toISOString(),
          })
          .rows.map((row) => ({
            userId: row.userId,
            name: displayNameOf(row),
            email: row.email,
            status: row.status,
          }));
      const found = [];
      for await (const c of (await workspaces.current.platform()).listConnections({ q })) {
        found.push({ userId: c.userId, name: displayNameOf(c), email: c.email, status: c.status });
        if (found.length >= limit) break;
      }
      return found;
    },
  });

  // Announcement delivery sends from the signed-in operator's mailbox (delegated Graph), paced by
  // the process's one sending budget; the CLI hands its own token (--graph-token-env, the demo's).
  const deliveryTokens: AccessTokenProvider = capabilities.delivery?.tokens ?? {
    getAccessToken: () => auth.accessToken(),
  };
  const deliveryGraphUrl = capabilities.delivery?.graphUrl;
  const deliveryGraphs = new WeakMap<Workspace, DeliveryGraph>();
  const deliveryGraphOf = (workspace: Workspace): DeliveryGraph => {
    let found = deliveryGraphs.get(workspace);
    if (found === undefined) {
      let client: GraphClient | null = null;
      found = {
        client: async () =>
          (client ??=
            deliveryGraphUrl === undefined
              ? workspace.graph(deliveryTokens)
              : createGraphClient(deliveryGraphUrl, deliveryTokens)),
        budget: graphBudget,
        runtime: realRuntime,
      };
      deliveryGraphs.set(workspace, found);
    }
    return found;
  };

  const jobs = createJobsWorkspaceFeature({
    logger,
    events,
    workspaces,
    roster,
    notify: capabilities.notify ?? null,
    verdicts: () => verify.slot.peek()?.results.labels() ?? null,
    // Verification jobs run on each source's engine, with that source's Graph access and results;
    // announcement deliveries with its platform and the operator's Graph.
    kinds: (workspace) => [
      createVerifyKind({
        deps: () => verify.slot.current.deps(),
        results: () => verify.slot.current.results,
      }),
      ...createDeliveryKinds({
        platform: deliveryPlatformOf(() => workspace.platform()),
        graph: deliveryGraphOf(workspace),
        composer: mail.composer,
        announcements: () => mail.announcements,
        logger: logger.child({ component: 'mail-delivery' }),
      }),
    ],
    ...(capabilities.jobTuning === undefined ? {} : { tuning: capabilities.jobTuning }),
  });

  const delivery = createDeliveryFeature({
    logger: logger.child({ component: 'mail-delivery' }),
    composer: mail.composer,
    engine: () => jobs.current()?.engine ?? null,
    graph: () => deliveryGraphOf(workspaces.current),
  });
  // Reminders are scheduled send jobs: the schedule is read from and edited on the current journal's engine.
  const reminders = createRemindersFeature({
    logger: logger.child({ component: 'reminders' }),
    db: () => workspaces.current.journal.db,
    engine: () => jobs.current()?.engine ?? null,
    migration: () => dataSource.migration(),
    startDelivery: async (input, context) => delivery.handlers['mail.startDelivery'](input, context),
  });

  // The features, in start order. Each answers its own methods; the type refuses a missing one.
  const all: readonly AnyFeature[] = [
    app,
    preferences,
    source,
    signIn,
    settingsPage,
    roster,
    mail,
    userMail,
    dashboard,
    verify,
    jobs,
    delivery,
    reminders,
  ];
  checkDistinctMethods(all);
  const handlers: Handlers = {
    ...app.handlers,
    ...preferences.handlers,
    ...source.handlers,
    ...signIn.handlers,
    ...settingsPage.handlers,
    ...roster.handlers,
    ...dashboard.handlers,
    ...verify.handlers,
    ...mail.handlers,
    ...userMail.handlers,
    ...jobs.handlers,
    ...delivery.handlers,
    ...reminders.handlers,
  };
  for (const feature of all) {
    for (const cache of feature.caches ?? []) disposables.add(toDisposable(caches.register(cache)));
    if (feature.dispose) {
      const dispose = feature.dispose.bind(feature);
      disposables.add(toDisposable(() => dispose()));
    }
  }
  const dispatch = createDispatcher({
    handlers,
    logger: logger.child({ component: 'dispatch' }),
    scope: accessScope,
    // The audit log sits at the one door: every change and sign-in, by any transport, once.
    onCall: (call) => jobs.recordCall(call),
  });
  for (const feature of all) await feature.start?.();
  if (capabilities.startBackgroundWork !== false) workspaces.start();
  return {
    dispatch,
    events,
    operator: () => auth.operator(),
    caches,
    auth,
    workspaces,
    dispose: () => disposables.dispose(),
  };
}

/** The system browser may open the sign-in page only on the authority's own host. */
function signInBrowser(
  openExternal: ((url: string) => Promise<void>) | null,
  authorityHost: () => string | null,
): ((url: string) => Promise<void>) | null {
  if (openExternal === null) return null;
  return async (url) => {
    const host = authorityHost();
    const verdict = checkExternalUrl(url, host === null ? [] : [new URL(`https://${host}`).hostname]);
    if (!verdict.allowed || verdict.url === null)
      throw new ConsoleError('forbidden', verdict.reason ?? 'The sign-in page is not on the authority.');
    await openExternal(verdict.url);
  };
}
