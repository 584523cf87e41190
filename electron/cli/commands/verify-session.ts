import type { MethodName, MethodOutput } from '../../../shared/contract/index.ts';
import { ConsoleError } from '../../../shared/contract/index.ts';
import { StaticTokenProvider } from '../../core/graph/auth.ts';
import { createDispatcher, type Dispatch, type Handlers } from '../../core/ipc/dispatcher.ts';
import { createLogger, stderrSink, type Logger } from '../../core/log/logger.ts';
import { PlatformClient } from '../../core/platform/client.ts';
import { RosterSyncService } from '../../core/roster/sync/roster-sync-service.ts';
import type { RosterFilter } from '../../../shared/contract/roster-query.ts';
import {
  ClientCredentialTokens,
  clientSecretAccess,
  GRAPH_URL,
  msalConfig,
  type AccessSource,
  type GraphAccess,
} from '../../core/verify/graph-access.ts';
import { displayNameOf } from '../../core/verify/display-name.ts';
import { createVerifyFeature } from '../../core/verify/verify-feature.ts';
import { UsageError, type CommandContext, type OptionSpecs } from '../command.ts';
import { secretFromEnv } from '../globals.ts';

/** Options `verify` and `doctor` share: how to reach Graph with an app (besides the global --graph-token-env). */
export const GRAPH_APP_OPTIONS: OptionSpecs = {
  'graph-tenant': {
    type: 'string',
    valueName: 'TENANT',
    description: 'Tenant id, domain or https authority of the verification app (with --graph-client-id).',
  },
  'graph-client-id': {
    type: 'string',
    valueName: 'ID',
    description: 'Application (client) id of the app with the Calendars.Read application permission.',
  },
  'graph-client-secret-env': {
    type: 'string',
    valueName: 'VAR',
    description: 'Name of the environment variable that holds that app’s client secret.',
  },
};

export interface VerifySession {
  /** The contract's door: every command calls methods through it, as the UI does. */
  call<K extends MethodName>(method: K, input: unknown): Promise<MethodOutput<K>>;
  /** User ids matching a roster filter expression (the roster synced for this command). */
  usersMatching(filter: RosterFilter): Promise<string[]>;
  platform: PlatformClient;
  graphKind: GraphAccess['kind'];
  close(): Promise<void>;
}

function str(values: CommandContext['values'], name: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} needs a value.`);
  return value.trim();
}

/**
 * The platform (--platform-url or an in-process demo sandbox with its Graph and identity provider)
 * and Graph access: --graph-token-env VAR (a ready token), or --graph-tenant, --graph-client-id and
 * --graph-client-secret-env (MSAL client credentials), or in demo mode the sandbox's verifier app.
 * Without any of these, verification is platform-only and says so.
 */
export async function openVerifySession(context: CommandContext): Promise<VerifySession> {
  const { globals, values, env } = context;
  const logger: Logger = createLogger({ sink: stderrSink, level: 'warn', bindings: { process: 'cli' } });
  const tenant = str(values, 'graph-tenant');
  const clientId = str(values, 'graph-client-id');
  const secretEnv = str(values, 'graph-client-secret-env');
  const appOptions = [tenant, clientId, secretEnv].filter((v) => v !== undefined).length;
  if (appOptions > 0 && appOptions < 3)
    throw new UsageError(
      '--graph-tenant, --graph-client-id and --graph-client-secret-env go together: give all three.',
    );
  if (appOptions === 3 && globals.graphTokenEnv !== undefined)
    throw new UsageError(
      'Give either --graph-token-env or the --graph-tenant/--graph-client-id/--graph-client-secret-env trio, not both.',
    );
  const cleanups: Array<() => Promise<void> | void> = [];
  let platformUrl: string;
  let apiKey: string;
  let access: GraphAccess = {
    kind: 'none',
    reason:
      'no Graph access was given (--graph-token-env, or --graph-tenant with --graph-client-id and --graph-client-secret-env)',
  };
  const graphUrl = globals.graphUrl ?? GRAPH_URL;
  if (globals.platformUrl !== undefined) {
    platformUrl = globals.platformUrl;
    apiKey = secretFromEnv('platform-key-env', globals.platformKeyEnv, env);
  } else {
    context.out.log(
      'Demo mode: no --platform-url given, so this runs against an in-process sandbox with made-up users.',
    );
    const { startSandbox } = await import('../../sandbox/index.ts');
    const { DEMO_USERS, demoIdentity } = await import('../../sandbox/demo.ts');
    const sandbox = await startSandbox({ users: DEMO_USERS });
    cleanups.push(() => sandbox.close());
    platformUrl = sandbox.platformUrl;
    apiKey = sandbox.apiKey;
    if (globals.graphTokenEnv === undefined && appOptions === 0) {
      const identity = demoIdentity(sandbox.authorityUrl, sandbox.caCertPem);
      access = {
        kind: 'demo',
        graphUrl: sandbox.graphUrl,
        fingerprint: 'demo',
        tokens: new ClientCredentialTokens(
          msalConfig(
            identity.authority,
            sandbox.graphClient.clientId,
            { clientSecret: sandbox.graphClient.clientSecret },
            identity,
            logger,
          ),
        ),
      };
    }
  }
  if (globals.graphTokenEnv !== undefined) {
    const token = secretFromEnv('graph-token-env', globals.graphTokenEnv, env);
    access = { kind: 'configured', graphUrl, fingerprint: 'token', tokens: new StaticTokenProvider(token) };
  } else if (tenant !== undefined && clientId !== undefined && secretEnv !== undefined) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(clientId))
      throw new UsageError('--graph-client-id: a client id is a GUID.');
    const clientSecret = secretFromEnv('graph-client-secret-env', secretEnv, env);
    access = clientSecretAccess({ tenant, clientId, clientSecret, graphUrl }, null, logger);
  }
  const platform = new PlatformClient({ baseUrl: platformUrl, apiKey, logger });
  let roster: RosterSyncService | null = null;
  const source: AccessSource = {
    resolve: () => access,
    state: () => ({
      kind: access.kind === 'configured' && access.fingerprint === 'token' ? 'token' : access.kind,
      authority: null,
      clientId: clientId ?? null,
      credential: null,
      secret: { configured: access.kind !== 'none', endsWith: null },
      certificateThumbprint: null,
      detail: access.kind === 'none' ? access.reason : 'Graph access from the command line.',
    }),
    set: () => {
      throw new ConsoleError(
        'forbidden',
        'The command line takes Graph access from its options, not from settings.',
      );
    },
  };
  const rosterFor = async (): Promise<RosterSyncService> => {
    if (roster !== null) return roster;
    roster = new RosterSyncService({
      logger,
      events: null,
      store: null,
      platform: async () => ({ baseUrl: platformUrl, apiKey }),
      intervalMs: 0,
    });
    cleanups.push(() => roster?.dispose());
    await roster.start();
    const state = roster.state();
    if (state.lastError !== null) throw new ConsoleError('unavailable', state.lastError);
    return roster;
  };
  const feature = createVerifyFeature({
    logger,
    platform: () => Promise.resolve(platform),
    access: source,
    cutoffAt: async () => (await platform.getMigration()).cutoffAt,
    findUsers: async (q, limit) => {
      const items: Array<{ userId: string; name: string; email: string; status: string }> = [];
      for await (const c of platform.listConnections({ q }, {})) {
        items.push({ userId: c.userId, name: displayNameOf(c), email: c.email, status: c.status });
        if (items.length >= limit) break;
      }
      return items;
    },
  });
  // The CLI runs with the API key's holder's authority: the director's permissions.
  const dispatch: Dispatch = createDispatcher({ handlers: feature.handlers as unknown as Handlers, logger });
  return {
    platform,
    graphKind: access.kind,
    async call(method, input) {
      const reply = await dispatch(method, input, {
        transport: 'cli',
        operator: { id: 'cli', role: 'director' },
        signal: context.signal,
      });
      if (!reply.ok) throw new ConsoleError(reply.error.code, reply.error.message);
      return reply.value as MethodOutput<typeof method>;
    },
    async usersMatching(filter) {
      const sync = await rosterFor();
      const engine = sync.engine;
      const result = engine.query({
        filter,
        sort: { field: 'userId', direction: 'asc' },
        offset: 0,
        limit: Math.max(1, engine.size),
        now: new Date().toISOString(),
      });
      return result.rows.map((r) => r.userId);
    },
    async close() {
      for (const cleanup of cleanups.reverse()) await cleanup();
    },
  };
}
