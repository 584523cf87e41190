import { ConsoleError, type DataSource } from '../../../shared/contract/index.ts';
import type { Migration } from '../../../shared/domain/platform.ts';
import type { DemoIdentity } from '../auth/identity-config.ts';
import { Emitter, type Event } from '../lifecycle/emitter.ts';
import type { Logger } from '../log/logger.ts';
import type { Deadline } from '../net/deadline.ts';
import type { PlatformClient } from '../platform/client.ts';
import { PlatformError } from '../platform/errors.ts';
import { createPlatformClient, GRAPH_URL } from '../workspace/platform-clients.ts';

/** What the demo sandbox hands the core: where to reach it. Started in-process by the host. */
export interface DemoSandboxHandle {
  platformUrl: string;
  apiKey: string;
  graphUrl: string;
  authorityUrl: string;
  /** The demo identity provider as MSAL needs it (authority, client id, CA, metadata); null when it is off. */
  identity: DemoIdentity | null;
  /** The demo's confidential verifier app (Calendars.Read) for sync verification; null when it is off. */
  verifier?: { clientId: string; clientSecret: string } | null;
  users: number;
  close(): Promise<void>;
}

export type StartDemoSandbox = () => Promise<DemoSandboxHandle>;

/** A real platform the operator configured (URL and API key, kept sealed by the settings feature). */
export interface PlatformConfig {
  baseUrl: string;
  apiKey: string;
  /** An overall deadline for every call of this run (the CLI's `--deadline`); the sync worker gets its instant. */
  deadline?: Deadline;
}

export interface DataSourceServiceOptions {
  logger: Logger;
  /** The configured platform, or null: then the console runs on the embedded demo sandbox. */
  platformConfig: () => PlatformConfig | null;
  /**
   * Why the configured platform cannot be used (its key cannot be opened, or belongs to another sign-in
   * registration), or null. Then the console says so instead of silently running on the demo.
   */
  platformProblem?: () => string | null;
  /** Null where no demo is available (then an unconfigured console says so instead). */
  startDemo: StartDemoSandbox | null;
  now?: () => Date;
}

/**
 * Owns the connection to the console's data source: the configured platform, or the embedded demo
 * sandbox when none is configured. Everything that needs the platform asks this service for its
 * client, so switching source (demo → real platform) happens in one place.
 */
export class DataSourceService {
  private readonly options: DataSourceServiceOptions;
  private readonly now: () => Date;
  private current: DataSource = {
    kind: 'none',
    label: 'No data source',
    lastRefreshedAt: null,
    state: 'starting',
    detail: null,
  };
  private client: PlatformClient | null = null;
  private connection: PlatformConfig | null = null;
  private demo: DemoSandboxHandle | null = null;
  private connecting: Promise<void> | null = null;
  private disposed = false;
  private readonly changed: Emitter<DataSource>;

  /** Every change of state (the UI's status bar follows it; the workspace host checks the source). */
  readonly onDidChangeState: Event<DataSource>;

  constructor(options: DataSourceServiceOptions) {
    this.options = options;
    this.now = options.now ?? (() => new Date());
    this.changed = new Emitter<DataSource>({
      onListenerError: (error) =>
        options.logger.warn('data source listener failed', {
          error: error instanceof Error ? error.message : String(error),
        }),
    });
    this.onDidChangeState = this.changed.event;
  }

  state(): DataSource {
    return { ...this.current };
  }

  /** Connects once; concurrent callers share the attempt. Never throws: failures become state. */
  connect(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (this.connecting) return this.connecting;
    const attempt = this.doConnect().finally(() => {
      // Only the attempt that is still current may clear itself.
      if (this.connecting === attempt) this.connecting = null;
    });
    this.connecting = attempt;
    return attempt;
  }

  /** The platform client, or a typed `unavailable` error the UI can show. */
  async platform(): Promise<PlatformClient> {
    if (!this.client) await this.connect();
    if (!this.client) {
      throw new ConsoleError('unavailable', this.current.detail ?? 'The data source is not connected.', {
        retryable: true,
      });
    }
    return this.client;
  }

  /**
   * Where the connected platform is and its key, for a worker thread that needs its own client
   * (the roster sync), or null while nothing is connected. Never logged, never sent to the UI.
   */
  async platformConnection(): Promise<PlatformConfig | null> {
    if (!this.client) await this.connect();
    return this.connection === null ? null : { ...this.connection };
  }

  /** Reads the migration summary; a success marks the source fresh, a failure marks it offline. */
  async migration(): Promise<Migration> {
    const client = await this.platform();
    try {
      const migration = await client.getMigration();
      this.update({ state: 'ready', lastRefreshedAt: this.now().toISOString(), detail: null });
      return migration;
    } catch (error) {
      // Recorded as state here; the dispatcher turns the error into a ConsoleError (ipc/error-mapping.ts).
      if (error instanceof PlatformError)
        this.update({
          state: error.status === 401 || error.status === 403 ? 'error' : 'offline',
          detail: error.message,
        });
      throw error;
    }
  }

  /** Reconnects if needed and checks the source with one cheap call. */
  async refresh(): Promise<DataSource> {
    await this.connect();
    await this.check();
    return this.state();
  }

  /** The running demo's Graph, identity provider and verifier app, or null (no demo running). */
  demoGraph(): {
    graphUrl: string;
    identity: DemoIdentity;
    verifier: { clientId: string; clientSecret: string };
  } | null {
    const demo = this.demo;
    if (!demo?.identity || !demo.verifier || demo.graphUrl === '') return null;
    return { graphUrl: demo.graphUrl, identity: demo.identity, verifier: demo.verifier };
  }

  /** One cheap call that marks the source ready or offline; never re-enters `connect`. */
  private async check(): Promise<void> {
    if (!this.client) return;
    try {
      await this.migration();
    } catch (error) {
      this.options.logger.warn('data source check failed', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** The Graph this source's mailboxes live in: the demo sandbox's, or Microsoft's. */
  graphUrl(): string {
    return this.demo?.graphUrl ?? GRAPH_URL;
  }

  /** The running demo's identity provider, or null (no demo, or a platform is configured). */
  demoIdentity(): DemoIdentity | null {
    return this.demo?.identity ?? null;
  }

  /**
   * The configured platform changed: drop the current client (and stop the demo if one ran) and
   * connect again, so a saved platform replaces the demo without a restart.
   */
  async reconnect(): Promise<void> {
    if (this.disposed) return;
    await this.closeCurrent();
    this.current = { ...this.current, lastRefreshedAt: null };
    await this.connect();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.closeCurrent();
    this.changed.dispose();
  }

  private async closeCurrent(): Promise<void> {
    // A connection still under way must finish (or fail) before there is anything to close.
    await this.connecting?.catch(() => {});
    const demo = this.demo;
    this.demo = null;
    this.client = null;
    this.connection = null;
    if (demo) await demo.close();
  }

  private async doConnect(): Promise<void> {
    if (this.client) return;
    const problem = this.options.platformProblem?.() ?? null;
    if (problem !== null) {
      this.options.logger.warn('configured platform unavailable', { reason: problem });
      this.update({
        kind: 'platform',
        label: 'Configured platform',
        state: 'error',
        detail: problem.slice(0, 500),
      });
      return;
    }
    const config = this.options.platformConfig();
    if (config) {
      try {
        this.client = createPlatformClient(config, this.options.logger);
      } catch (error) {
        // A saved URL or key the client refuses (http to another host, a key with a line break).
        this.update({
          kind: 'platform',
          label: 'Career platform',
          state: 'error',
          detail: error instanceof Error ? error.message : String(error),
        });
        return;
      }
      this.connection = {
        baseUrl: config.baseUrl,
        apiKey: config.apiKey,
        // The sync worker's client keeps to the run's deadline too (it gets its instant).
        ...(config.deadline === undefined ? {} : { deadline: config.deadline }),
      };
      this.update({ kind: 'platform', label: new URL(config.baseUrl).host, state: 'starting', detail: null });
      // Not `refresh()`: it would call `connect()` from inside the attempt that `connect()` runs.
      await this.check();
      return;
    }
    if (!this.options.startDemo) {
      this.update({
        kind: 'none',
        label: 'No data source',
        state: 'offline',
        detail: 'No platform is configured. Add its URL and API key in Settings.',
      });
      return;
    }
    this.update({
      kind: 'demo',
      label: 'Demo sandbox',
      state: 'starting',
      detail: 'Starting the embedded demo university…',
    });
    try {
      const demo = await this.options.startDemo();
      if (this.disposed) {
        await demo.close();
        return;
      }
      this.demo = demo;
      this.client = createPlatformClient(
        { baseUrl: demo.platformUrl, apiKey: demo.apiKey },
        this.options.logger,
      );
      this.connection = { baseUrl: demo.platformUrl, apiKey: demo.apiKey };
      this.update({ label: `Demo sandbox (${demo.users.toLocaleString('en-US')} users)`, detail: null });
      this.options.logger.info('demo sandbox started', { platformUrl: demo.platformUrl });
    } catch (error) {
      this.options.logger.error('demo sandbox failed to start', {
        error: error instanceof Error ? error.message : String(error),
      });
      this.update({
        state: 'error',
        detail: 'The demo sandbox could not start. The details are in the log.',
      });
      return;
    }
    try {
      await this.migration();
    } catch {
      // migration() already recorded the failure in the state.
    }
  }

  private update(change: Partial<DataSource>): void {
    this.current = { ...this.current, ...change };
    this.changed.fire(this.state());
  }
}
