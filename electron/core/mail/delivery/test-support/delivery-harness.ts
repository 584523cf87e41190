import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Connection } from '../../../../../shared/domain/platform.ts';
import { createScaledClock, type ScaledClock } from '../../../../sandbox/clock.ts';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../../sandbox/index.ts';
import { EnvKeyWrapper } from '../../../crypto/env-key-wrapper.ts';
import { StaticTokenProvider } from '../../../graph/auth.ts';
import { GraphClient } from '../../../graph/client.ts';
import { JobEngine } from '../../../jobs/job-engine.ts';
import { JobStore } from '../../../jobs/job-store.ts';
import { JournalDatabase } from '../../../journal/journal-database.ts';
import { createMemoryLogger } from '../../../log/logger.ts';
import { GraphBudget } from '../../../net/graph-budget.ts';
import { PlatformClient } from '../../../platform/client.ts';
import { RosterQueryEngine } from '../../../roster/query/roster-query-engine.ts';
import { createMailFeature, type MailFeature } from '../../mail-feature.ts';
import { engineRosterAccess } from '../../roster-access.ts';
import { createDeliveryKinds } from '../delivery-feature.ts';
import { deliveryPlatformOf, type DeliveryGraph } from '../delivery-kind.ts';
import { DeliveryService } from '../delivery-service.ts';

/**
 * A platform in front of the sandbox's that can be switched off (every connection dropped), to
 * play a platform outage in the middle of a send over real HTTP.
 */
export interface SwitchablePlatform {
  url: string;
  down: boolean;
  /** Drops the next `times` requests about one user (a blip that outlasts the client's own retries). */
  failFor(userId: string, times: number): void;
  close(): Promise<void>;
}

export async function switchablePlatform(target: string): Promise<SwitchablePlatform> {
  const state = { down: false };
  const failing = new Map<string, number>();
  const origin = new URL(target).origin;
  const server: Server = createServer(async (req, res) => {
    const about = /\/connections\/([^/?]+)/.exec(req.url ?? '')?.[1];
    const left = about === undefined ? 0 : (failing.get(decodeURIComponent(about)) ?? 0);
    if (left > 0) failing.set(decodeURIComponent(about as string), left - 1);
    if (state.down || left > 0) {
      res.socket?.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers))
      if (typeof value === 'string' && key !== 'host' && key !== 'connection') headers.set(key, value);
    const reply = await fetch(`${origin}${req.url ?? '/'}`, {
      method: req.method ?? 'GET',
      headers,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    });
    const out: Record<string, string> = {};
    reply.headers.forEach((value, key) => {
      if (key !== 'content-encoding' && key !== 'content-length' && key !== 'transfer-encoding')
        out[key] = value;
    });
    res.writeHead(reply.status, out);
    res.end(Buffer.from(await reply.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const path = new URL(target).pathname;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    get down() {
      return state.down;
    },
    set down(value: boolean) {
      state.down = value;
    },
    failFor(userId, times) {
      failing.set(userId, times);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface DeliveryHarness {
  sandbox: Sandbox;
  proxy: SwitchablePlatform | null;
  clock: ScaledClock;
  platform: PlatformClient;
  /** Every connection the sandbox has, as the roster would hold it. */
  everyone: Connection[];
  /** Replaces the roster the announcement reads (the tests choose exactly who is in the audience). */
  setRoster(rows: Connection[]): void;
  journal: JournalDatabase;
  mail: MailFeature;
  budget: GraphBudget;
  graph: DeliveryGraph;
  store: JobStore;
  engine(runnerId?: string): JobEngine;
  service: DeliveryService;
  /** Executed side effects per recipient address (lower case) of `mail-recipient` or `draft-recipient`. */
  perRecipient(kind?: 'mail-recipient' | 'draft-recipient'): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/**
 * The console's delivery pieces over a real sandbox (platform, Graph, identity), all on one
 * accelerated clock: the sandbox's Exchange windows, the Graph budget, the job engine's timestamps.
 */
export async function deliveryHarness(options: {
  factor: number;
  users?: number;
  graphLimits?: SandboxOptions['graphLimits'];
  recipientsWindowMs?: number;
  /** Put a switchable proxy between the console and the platform (`harness.proxy`). */
  proxy?: boolean;
}): Promise<DeliveryHarness> {
  const clock = createScaledClock({ factor: options.factor });
  const sandbox = await startSandbox({
    users: options.users ?? 300,
    now: new Date('2026-11-24T15:00:00Z'),
    rateLimit: { perSecond: 1000, burst: 1000 },
    graphClock: () => clock.now(),
    ...(options.graphLimits === undefined ? {} : { graphLimits: options.graphLimits }),
  });
  const proxy = options.proxy === true ? await switchablePlatform(sandbox.platformUrl) : null;
  const platform = new PlatformClient({
    baseUrl: proxy?.url ?? sandbox.platformUrl,
    apiKey: sandbox.apiKey,
    retry: { maxAttempts: 2, maxTotalDelayMs: 500, baseDelayMs: 20 },
    timeoutMs: 2_000,
  });
  const direct = new PlatformClient({ baseUrl: sandbox.platformUrl, apiKey: sandbox.apiKey });
  const everyone: Connection[] = [];
  for await (const row of direct.listConnections({})) everyone.push(row);
  let roster = RosterQueryEngine.from(everyone);
  const journal = JournalDatabase.open({
    folder: null,
    keyWrapper: new EnvKeyWrapper({ CONSOLE_DATA_KEY: Buffer.alloc(32, 7).toString('base64') }),
  });
  const now = () => new Date(clock.now());
  const logger = createMemoryLogger();
  const mail = createMailFeature({
    logger,
    db: journal.db,
    settings: () => ({ universityName: 'Demo University', helpArticleUrl: null }),
    migration: () => direct.getMigration(),
    platform: async () => platform,
    roster: () =>
      engineRosterAccess(
        () => roster,
        () => true,
      ),
    dataDir: null,
    now,
  });
  const budget = new GraphBudget({
    runtime: clock,
    ...(options.recipientsWindowMs === undefined
      ? {}
      : { recipientsPerSender: { limit: 10_000, windowMs: options.recipientsWindowMs } }),
  });
  const client = new GraphClient({
    baseUrl: sandbox.graphUrl,
    tokens: new StaticTokenProvider(sandbox.mintOperatorToken('director')),
    runtime: clock,
    budget,
  });
  const graph: DeliveryGraph = { client: async () => client, budget, runtime: clock };
  const kinds = createDeliveryKinds({
    platform: deliveryPlatformOf(async () => platform),
    graph,
    composer: mail.composer,
    announcements: () => mail.announcements,
    logger,
  });
  const store = new JobStore(journal, now);
  let current: JobEngine | null = null;
  const engine = (runnerId?: string): JobEngine => {
    if (runnerId === undefined && current !== null) return current;
    const made = new JobEngine({
      store,
      logger,
      kinds,
      now,
      // Leases in scaled time: 300 ms of real time, with a heartbeat every 50 ms.
      leaseMs: 300 * options.factor,
      heartbeatMs: 50,
      concurrency: 6,
      ...(runnerId === undefined ? {} : { runnerId }),
    });
    if (runnerId === undefined) current = made;
    return made;
  };
  const service = new DeliveryService({
    composer: mail.composer,
    engine: () => engine(),
    graph: () => graph,
    logger,
  });
  return {
    sandbox,
    proxy,
    clock,
    platform,
    everyone,
    setRoster(rows) {
      roster = RosterQueryEngine.from(rows);
    },
    journal,
    mail,
    budget,
    graph,
    store,
    engine,
    service,
    async perRecipient(kind = 'mail-recipient') {
      const reply = await fetch(`${sandbox.adminUrl}/side-effects/${kind}`);
      return ((await reply.json()) as { perUser: Record<string, number> }).perUser;
    },
    async close() {
      journal.close();
      await proxy?.close();
      await sandbox.close();
    },
  };
}
