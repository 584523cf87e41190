import {
  ConsoleError,
  type MethodName,
  type MethodOutput,
  type MethodInput,
} from '../../../shared/contract/index.ts';
import { EnvKeyWrapper } from '../../core/crypto/env-key-wrapper.ts';
import { disconnectPlatformOf } from '../../core/disconnect/platform-port.ts';
import { createDispatcher, type CallContext, type Handlers } from '../../core/ipc/dispatcher.ts';
import { createJobsFeature, type JobsFeature } from '../../core/jobs/jobs-feature.ts';
import { openJournal } from '../../core/journal/open-journal.ts';
import { createLogger, stderrSink } from '../../core/log/logger.ts';
import { defaultDataDir } from '../../host/serve-command.ts';
import { UsageError, type CommandContext } from '../command.ts';
import { PlatformClient } from '../../core/platform/client.ts';
import { secretFromEnv } from '../globals.ts';
import { openPlatform, type PlatformSource } from '../platform-source.ts';

function envInteger(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new UsageError(`${name} must be a whole number from ${min} to ${max}.`);
  return value;
}

/**
 * The platform, with the request rate a platform configured above the contract's default allows
 * (CONSOLE_PLATFORM_RATE_PER_SECOND; the client never goes above the server's RateLimit headers).
 */
async function openJobsPlatform(context: CommandContext): Promise<PlatformSource> {
  const rate = envInteger(context.env, 'CONSOLE_PLATFORM_RATE_PER_SECOND', 1, 10_000);
  const { globals } = context;
  if (rate === undefined || globals.platformUrl === undefined) return openPlatform(context);
  const apiKey = secretFromEnv('platform-key-env', globals.platformKeyEnv, context.env);
  return {
    client: new PlatformClient({
      baseUrl: globals.platformUrl,
      apiKey,
      rateLimit: { ratePerSecond: rate, burst: Math.max(1, Math.ceil(rate * 2)) },
    }),
    demo: false,
    close: async () => {},
  };
}

/** Calls one contract method through the dispatcher (validation, permission, audit) and unwraps it. */
export type CliCall = <K extends MethodName>(method: K, input: MethodInput<K>) => Promise<MethodOutput<K>>;

export interface JobsSession {
  call: CliCall;
  feature: JobsFeature;
  demo: boolean;
  close(): Promise<void>;
}

/**
 * What `disconnect`, `jobs …` and `audit …` run on: the platform (or the demo sandbox), the data
 * source's journal in the data folder (--data-dir, else the browser host's default folder; sealed
 * with CONSOLE_DATA_KEY when set), and the jobs feature's handlers behind the dispatcher, called
 * as transport `cli` by the holder of the platform key (its operator is the OS user and host).
 */
export async function openJobsSession(context: CommandContext): Promise<JobsSession> {
  const leaseMs = envInteger(context.env, 'CONSOLE_JOB_LEASE_MS', 200, 600_000);
  const concurrency = envInteger(context.env, 'CONSOLE_JOB_CONCURRENCY', 1, 64);
  const source = await openJobsPlatform(context);
  const platformUrl = source.demo ? null : source.client.baseUrl;
  const dataDir = source.demo ? null : (context.globals.dataDir ?? defaultDataDir(context.env));
  const keyWrapper = new EnvKeyWrapper(context.env);
  const journal = openJournal({ dataDir, keyWrapper, demo: source.demo, platformUrl });
  const status = journal.status();
  if (status.state === 'locked' || status.state === 'damaged') {
    await source.close();
    throw new ConsoleError('unavailable', status.explanation);
  }
  if (status.state === 'unsealed')
    context.out.log(
      'Note: CONSOLE_DATA_KEY is not set, so the journal keeps no personal values (emails, names).',
    );
  const logger = createLogger({ sink: stderrSink, level: 'warn', bindings: { process: 'cli' } });
  const feature = createJobsFeature({
    logger,
    events: null,
    journal,
    platform: disconnectPlatformOf(async () => source.client),
    migration: () => source.client.getMigration(),
    dueCheckMs: 0,
    ...(leaseMs === undefined ? {} : { leaseMs }),
    ...(concurrency === undefined ? {} : { concurrency }),
  });
  const dispatch = createDispatcher({
    // The CLI registers only what its commands call; any other method would be refused as internal.
    handlers: feature.handlers as unknown as Handlers,
    logger,
    onCall: (call) => feature.recordCall(call),
  });
  const callContext: CallContext = {
    transport: 'cli',
    operator: { id: 'cli', role: 'director' },
    signal: context.signal,
  };
  const call: CliCall = async (method, input) => {
    const envelope = await dispatch(method, input, callContext);
    if (!envelope.ok) {
      if (envelope.error.code === 'bad_input' && envelope.error.issues !== undefined)
        throw new UsageError(
          `${envelope.error.message} ${envelope.error.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
        );
      throw new ConsoleError(envelope.error.code, envelope.error.message);
    }
    return envelope.value as MethodOutput<typeof method>;
  };
  return {
    call,
    feature,
    demo: source.demo,
    async close() {
      await feature.dispose();
      journal.close();
      await source.close();
    },
  };
}
