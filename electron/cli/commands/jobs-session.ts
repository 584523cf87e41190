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
import { openPlatform } from '../platform-source.ts';

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
  const source = await openPlatform(context);
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
  const leaseMs = Number(context.env['CONSOLE_JOB_LEASE_MS'] ?? '');
  const feature = createJobsFeature({
    logger,
    events: null,
    journal,
    platform: disconnectPlatformOf(async () => source.client),
    migration: () => source.client.getMigration(),
    dueCheckMs: 0,
    ...(Number.isInteger(leaseMs) && leaseMs >= 200 ? { leaseMs } : {}),
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
