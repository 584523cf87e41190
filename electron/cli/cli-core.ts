import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  ConsoleError,
  type MethodInput,
  type MethodName,
  type MethodOutput,
} from '../../shared/contract/index.ts';
import { createConsoleCore, type ConsoleCore, type CoreCapabilities } from '../core/compose.ts';
import { EnvKeyWrapper } from '../core/crypto/env-key-wrapper.ts';
import type { DemoSandboxHandle, PlatformConfig } from '../core/data-source/data-source-service.ts';
import type { CallContext } from '../core/ipc/dispatcher.ts';
import { createLogger, stderrSink } from '../core/log/logger.ts';
import { createMemoryStore } from '../core/preferences/preferences-service.ts';
import { cliOperator } from './cli-operator.ts';
import { UsageError, type CommandContext } from './command.ts';
import { secretFromEnv } from './globals.ts';
import { StaticTokenProvider } from '../core/graph/auth.ts';
import { GRAPH_URL } from '../core/workspace/platform-clients.ts';

export interface CliCore {
  /** Calls the core through the dispatcher (transport `cli`); a refused or failed call throws its ConsoleError. */
  call<K extends MethodName>(method: K, input: MethodInput<K>): Promise<MethodOutput<K>>;
  demo: boolean;
  /** Why the roster cache lives in memory only for this run (no --data-dir, no CONSOLE_DATA_KEY), or null when it persists. */
  memoryOnlyReason: string | null;
  close(): Promise<void>;
}

const PackageInfo = z.object({ productName: z.string().min(1), version: z.string().min(1) });

function packageInfo(): z.infer<typeof PackageInfo> {
  const file = fileURLToPath(new URL('../../package.json', import.meta.url));
  return PackageInfo.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/**
 * An in-process demo sandbox. Without the identity provider (the CLI never signs in), unless a
 * command reads the demo calendars through Graph (`verify`, `doctor`): then with it and its
 * verifier app, which Graph needs.
 */
async function startCliDemo(
  withGraph: boolean,
  operatorMail: ((mint: (user: 'director') => string) => void) | null,
): Promise<DemoSandboxHandle> {
  const { startSandbox } = await import('../sandbox/index.ts');
  const { DEMO_USERS, demoIdentity, startDemoSandbox } = await import('../sandbox/demo.ts');
  if (operatorMail !== null) {
    // Sending from the CLI in demo mode: the demo director's mailbox, with a delegated token the
    // in-process identity provider issues (nobody can sign in interactively here).
    const sandbox = await startSandbox({ users: DEMO_USERS });
    operatorMail((user) => sandbox.mintOperatorToken(user, 3600));
    return {
      platformUrl: sandbox.platformUrl,
      apiKey: sandbox.apiKey,
      graphUrl: sandbox.graphUrl,
      authorityUrl: sandbox.authorityUrl,
      identity: demoIdentity(sandbox.authorityUrl, sandbox.caCertPem),
      verifier: sandbox.graphClient,
      users: DEMO_USERS,
      close: () => sandbox.close(),
    };
  }
  if (withGraph) return startDemoSandbox({ users: DEMO_USERS });
  // The same demo university the app shows, so figures from the CLI and the console agree.
  const sandbox = await startSandbox({ users: DEMO_USERS, identity: false });
  return {
    platformUrl: sandbox.platformUrl,
    apiKey: sandbox.apiKey,
    graphUrl: sandbox.graphUrl,
    authorityUrl: sandbox.authorityUrl,
    identity: null,
    users: DEMO_USERS,
    close: () => sandbox.close(),
  };
}

function envInteger(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new UsageError(`${name} must be a whole number from ${min} to ${max}.`);
  return value;
}

/** The job engine's lease (how soon a killed runner's job shows as interrupted) and concurrency. */
function jobTuningFrom(env: NodeJS.ProcessEnv): { leaseMs?: number; concurrency?: number } {
  const leaseMs = envInteger(env, 'CONSOLE_JOB_LEASE_MS', 200, 600_000);
  const concurrency = envInteger(env, 'CONSOLE_JOB_CONCURRENCY', 1, 64);
  return {
    ...(leaseMs === undefined ? {} : { leaseMs }),
    ...(concurrency === undefined ? {} : { concurrency }),
  };
}

/**
 * The console's core as a command sees it: the same composition as the app, with the platform
 * from --platform-url (key from --platform-key-env) or an in-process demo sandbox, the roster
 * cache in --data-dir sealed under CONSOLE_DATA_KEY, and every call through the dispatcher, so
 * contract validation, permission checks and the audit log apply to scripts as to the app.
 */
export async function openCliCore(
  context: CommandContext,
  options: {
    /** The command reads calendars through Graph: the demo starts its identity provider too. */
    withGraph?: boolean;
    verificationAccess?: CoreCapabilities['verificationAccess'];
    /**
     * The command sends mail from the operator's mailbox (`mail send`, `mail drafts`): the token
     * from --graph-token-env (Graph at --graph-url), or in demo mode the demo director's.
     */
    operatorMail?: boolean;
    /** Where a command's file goes (`verify --out`): the core's "save as" answered without a dialog. */
    saveTo?: string;
  } = {},
): Promise<CliCore> {
  const { globals, env } = context;
  const platform: PlatformConfig | null =
    globals.platformUrl === undefined
      ? null
      : {
          baseUrl: globals.platformUrl,
          apiKey: secretFromEnv('platform-key-env', globals.platformKeyEnv, env),
          // The command's overall deadline, so a hung platform ends it on time and it says so.
          ...(context.deadline === undefined ? {} : { deadline: context.deadline }),
        };
  let delivery: CoreCapabilities['delivery'];
  let mintDemoToken: ((user: 'director') => string) | null = null;
  if (options.operatorMail === true) {
    if (globals.graphTokenEnv !== undefined) {
      const token = secretFromEnv('graph-token-env', globals.graphTokenEnv, env);
      delivery = {
        tokens: new StaticTokenProvider(token),
        ...(globals.graphUrl === undefined && platform === null
          ? {}
          : { graphUrl: globals.graphUrl ?? GRAPH_URL }),
      };
    } else if (platform !== null) {
      throw new UsageError(
        '--graph-token-env VAR is required to send from a real platform: name the environment variable holding a delegated Graph token (Mail.Send, Mail.ReadWrite) for your mailbox.',
      );
    } else {
      delivery = {
        tokens: {
          getAccessToken: async () => {
            if (mintDemoToken === null)
              throw new ConsoleError('unavailable', 'The demo sandbox has not started.');
            return mintDemoToken('director');
          },
        },
      };
    }
  }
  if (platform === null)
    context.out.log(
      'Demo mode: no --platform-url given, so this runs against an in-process sandbox with made-up users.',
    );
  const keyWrapper = new EnvKeyWrapper(env);
  const memoryOnlyReason =
    globals.dataDir === undefined
      ? 'no --data-dir'
      : keyWrapper.check().available
        ? null
        : 'CONSOLE_DATA_KEY is not set or not usable';
  const logger = createLogger({ sink: stderrSink, level: 'warn', bindings: { process: 'cli' } });
  const core: ConsoleCore = await createConsoleCore({
    host: 'cli',
    ...packageInfo(),
    logger,
    store: createMemoryStore(),
    openExternal: null,
    platformConfig: () => platform,
    startDemo:
      platform === null
        ? () =>
            startCliDemo(
              options.withGraph === true,
              options.operatorMail === true && delivery !== undefined && globals.graphTokenEnv === undefined
                ? (mint) => {
                    mintDemoToken = mint;
                  }
                : null,
            )
        : null,
    ...(delivery === undefined ? {} : { delivery }),
    ...(options.verificationAccess === undefined ? {} : { verificationAccess: options.verificationAccess }),
    ...(options.saveTo === undefined
      ? {}
      : { chooseSaveFile: () => Promise.resolve(options.saveTo ?? null) }),
    keyWrapper,
    dataDir: globals.dataDir ?? null,
    rosterSyncIntervalMs: 0,
    startBackgroundWork: false,
    jobTuning: jobTuningFrom(env),
  });
  const callContext: CallContext = {
    transport: 'cli',
    operator: cliOperator(env),
    signal: context.signal,
  };
  return {
    async call(method, input) {
      const envelope = await core.dispatch(method, input, callContext);
      if (!envelope.ok) throw ConsoleError.fromApiError(envelope.error);
      // The dispatcher has checked the value against this method's output schema.
      return envelope.value as MethodOutput<typeof method>;
    },
    demo: platform === null,
    memoryOnlyReason,
    close: () => core.dispose(),
  };
}
