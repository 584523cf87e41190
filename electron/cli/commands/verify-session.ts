import type { VerificationAccessState } from '../../../shared/contract/index.ts';
import { ConsoleError } from '../../../shared/contract/index.ts';
import { StaticTokenProvider } from '../../core/graph/auth.ts';
import { createLogger, stderrSink } from '../../core/log/logger.ts';
import {
  clientSecretAccess,
  GRAPH_URL,
  type AccessSource,
  type GraphAccess,
} from '../../core/verify/graph-access.ts';
import { openCliCore, type CliCore } from '../cli-core.ts';
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

function str(values: CommandContext['values'], name: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} needs a value.`);
  return value.trim();
}

/** Graph access from the command line: an access source the core's verify feature uses instead of Settings. */
function cliAccess(access: GraphAccess, clientId: string | null): AccessSource {
  const state = (): VerificationAccessState => ({
    kind: access.kind === 'configured' && access.fingerprint === 'token' ? 'token' : access.kind,
    authority: null,
    clientId,
    credential: null,
    secret: { configured: access.kind !== 'none', endsWith: null },
    certificateThumbprint: null,
    detail: access.kind === 'none' ? access.reason : 'Graph access from the command line.',
  });
  return {
    resolve: () => access,
    state,
    set: () => {
      throw new ConsoleError(
        'forbidden',
        'The command line takes Graph access from its options, not from settings.',
      );
    },
  };
}

/**
 * The core for `verify` and `doctor`: the platform (--platform-url, or the in-process demo with
 * its Graph and identity provider) and Graph access from --graph-token-env VAR (a ready token), or
 * --graph-tenant, --graph-client-id and --graph-client-secret-env (MSAL client credentials), or in
 * demo mode the sandbox's verifier app. Without any, verification is platform-only and says so.
 */
export async function openVerifyCore(
  context: CommandContext,
  options: { saveTo?: string; operatorMail?: boolean } = {},
): Promise<CliCore & { graphKind: GraphAccess['kind'] }> {
  const { globals, values, env } = context;
  const tenant = str(values, 'graph-tenant');
  const clientId = str(values, 'graph-client-id');
  const secretEnv = str(values, 'graph-client-secret-env');
  const given = [tenant, clientId, secretEnv].filter((v) => v !== undefined).length;
  if (given > 0 && given < 3)
    throw new UsageError(
      '--graph-tenant, --graph-client-id and --graph-client-secret-env go together: give all three.',
    );
  if (given === 3 && globals.graphTokenEnv !== undefined)
    throw new UsageError(
      'Give either --graph-token-env or the --graph-tenant/--graph-client-id/--graph-client-secret-env trio, not both.',
    );
  if (
    clientId !== undefined &&
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(clientId)
  )
    throw new UsageError('--graph-client-id: a client id is a GUID.');
  const graphUrl = globals.graphUrl ?? GRAPH_URL;
  const logger = createLogger({ sink: stderrSink, level: 'warn', bindings: { process: 'cli' } });
  let explicit: GraphAccess | null = null;
  if (globals.graphTokenEnv !== undefined) {
    const token = secretFromEnv('graph-token-env', globals.graphTokenEnv, env);
    explicit = { kind: 'configured', graphUrl, fingerprint: 'token', tokens: new StaticTokenProvider(token) };
  } else if (tenant !== undefined && clientId !== undefined && secretEnv !== undefined) {
    const clientSecret = secretFromEnv('graph-client-secret-env', secretEnv, env);
    explicit = clientSecretAccess({ tenant, clientId, clientSecret, graphUrl }, null, logger);
  }
  const demo = globals.platformUrl === undefined;
  // Without options the core's own Settings → Verification logic applies: the CLI keeps no
  // settings, so that is the demo's verifier app in demo mode, and platform-only otherwise.
  const core = await openCliCore(context, {
    withGraph: explicit === null && demo,
    ...(options.saveTo === undefined ? {} : { saveTo: options.saveTo }),
    ...(options.operatorMail === true ? { operatorMail: true } : {}),
    ...(explicit === null ? {} : { verificationAccess: () => cliAccess(explicit, clientId ?? null) }),
  });
  const kind: GraphAccess['kind'] = explicit?.kind ?? (demo ? 'demo' : 'none');
  return { ...core, graphKind: kind };
}
