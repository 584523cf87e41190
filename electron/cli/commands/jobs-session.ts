import type { CliCore } from '../cli-core.ts';
import type { CommandContext } from '../command.ts';
import { openVerifyCore } from './verify-session.ts';

export type JobsSession = CliCore;

/**
 * What `disconnect`, `jobs …` and `audit …` run on: the console's core as the CLI opens it (the
 * platform or the demo sandbox, the workspace's journal in --data-dir sealed under
 * CONSOLE_DATA_KEY), every call a contract method through the dispatcher (validation, permission,
 * audit). Without --data-dir the journal lives in memory: jobs then last only for this command.
 */
export async function openJobsSession(context: CommandContext): Promise<JobsSession> {
  // With the same Graph access as `verify` (--graph-token-env, or the demo's verifier app), so
  // `jobs resume` of a verification job checks calendars as its start did; an announcement delivery
  // sends with --graph-token-env's delegated token (the demo director's in demo mode).
  const { globals } = context;
  const core = await openVerifyCore(context, {
    operatorMail: globals.platformUrl === undefined || globals.graphTokenEnv !== undefined,
  });
  if (context.globals.dataDir === undefined)
    context.out.log('Note: without --data-dir the job journal lives in memory and ends with this command.');
  else if (core.memoryOnlyReason !== null)
    context.out.log(
      `Note: ${core.memoryOnlyReason}, so the journal keeps no personal values (emails, names).`,
    );
  return core;
}

/** Runs `work` in a jobs session and closes it, whatever happens. */
export async function withJobsSession(
  context: CommandContext,
  work: (session: JobsSession) => Promise<number>,
): Promise<number> {
  const session = await openJobsSession(context);
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}
