import { ConsoleError } from '../../shared/contract/errors.ts';
import { redact } from '../core/log/logger.ts';
import { deadlineAfter } from '../core/net/deadline.ts';
import { UsageError, type Command } from './command.ts';
import { commands as registry } from './commands/index.ts';
import { dataFolderError, fileProblem, isFileSystemError } from './file-errors.ts';
import { DEFAULT_DEADLINE_SECONDS, readGlobals } from './globals.ts';
import { commandHelp, generalHelp, groupHelp } from './help.ts';
import { createOutput, type Streams } from './output.ts';
import { parseCommandLine } from './parse.ts';

export interface RunOptions extends Streams {
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  commands?: readonly Command[];
}

/** Runs one command line and returns the exit code: 0 ok, 1 failure, 2 usage error. */
export async function runCli(argv: readonly string[], options: RunOptions): Promise<number> {
  const commands = options.commands ?? registry;
  const json = argv.includes('--json');
  const out = createOutput(json, options);
  let dataDir: string | undefined;
  try {
    const { command, values, group } = parseCommandLine(argv, commands);
    if (group !== null) {
      // `roster` alone: the words name a group of commands, not one.
      if (values['help'] === true) {
        options.stdout.write(groupHelp(group.words, group.commands));
        return 0;
      }
      options.stderr.write(groupHelp(group.words, group.commands));
      throw new UsageError(
        `"${group.words}" needs a subcommand: ${group.commands.map((c) => c.name).join(', ')}.`,
      );
    }
    if (values['help'] === true) {
      options.stdout.write(command === null ? generalHelp(commands) : commandHelp(command));
      return 0;
    }
    if (command === null) {
      options.stderr.write(generalHelp(commands));
      throw new UsageError('Name a command.');
    }
    const globals = readGlobals(values);
    dataDir = globals.dataDir;
    // `sandbox start` runs until stopped, and a command that runs a job until it ends has no deadline
    // unless one is given (the job's pacing and breaker bound it; Ctrl+C pauses it); others have one.
    const deadline =
      command.name === 'sandbox start' || (command.runsJob === true && values['deadline'] === undefined)
        ? undefined
        : deadlineAfter(
            (globals.deadlineSeconds ?? command.defaultDeadlineSeconds ?? DEFAULT_DEADLINE_SECONDS) * 1000,
            options.signal,
          );
    try {
      return await command.run({
        values,
        globals,
        env: options.env,
        out,
        signal: deadline?.signal ?? options.signal,
        ...(deadline === undefined ? {} : { deadline }),
      });
    } finally {
      deadline?.dispose();
    }
  } catch (error) {
    if (error instanceof UsageError) {
      options.stderr.write(`usage error: ${error.message}\n`);
      if (json && !out.written) out.result({ error: { code: 'bad_input', message: error.message } }, '');
      return 2;
    }
    // Calls through the dispatcher fail with a typed ConsoleError (remote failures already mapped).
    // Redacted like a log line: an error must never echo a key or token (issue 10).
    const typed = error instanceof ConsoleError ? error : null;
    const message = String(
      redact(
        typed?.message ??
          (isFileSystemError(error)
            ? dataDir !== undefined && error.path.startsWith(dataDir)
              ? dataFolderError(dataDir, error).message
              : `Cannot use ${error.path}: ${fileProblem(error)}. Check the path you gave and that this account may use it.`
            : `Unexpected failure: ${error instanceof Error ? error.message : String(error)}`),
      ),
    );
    options.stderr.write(`error: ${message}\n`);
    if (json && !out.written)
      out.result({ error: typed ? { ...typed.toApiError(), message } : { code: 'internal', message } }, '');
    return 1;
  }
}

/** Entry point: `node electron/cli/main.ts …` (npm run cli -- …). */
async function main(): Promise<void> {
  const controller = new AbortController();
  const stop = (): void => controller.abort(new Error('signal'));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signal: controller.signal,
  });
  process.exitCode = code;
  process.removeListener('SIGINT', stop);
  process.removeListener('SIGTERM', stop);
  // Keep-alive sockets or a stray timer must not keep a finished command alive.
  setTimeout(() => process.exit(code), 2_000).unref();
}

if (import.meta.main) await main();
