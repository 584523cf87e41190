import type { ParseArgsOptionDescriptor } from 'node:util';
import type { Deadline } from '../core/net/deadline.ts';

/** An option of a command or a global one, with what `--help` says about it. */
export interface OptionSpec extends ParseArgsOptionDescriptor {
  description: string;
  /** Placeholder shown in help, e.g. `N` or `URL`. */
  valueName?: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

/** What every command receives: parsed options (global and its own), I/O and a stop signal. */
export interface CommandContext {
  /** Global and command options, after validation (see globals.ts). */
  values: Record<string, string | boolean | undefined>;
  globals: GlobalOptions;
  env: NodeJS.ProcessEnv;
  /** Human output (ignored with --json) and the single JSON document (with --json). */
  out: Output;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
  /**
   * The command's overall deadline (`--deadline`, default 60 s, roster commands 30 min) for the platform and Graph
   * clients; absent for commands that run until stopped (`sandbox start`).
   */
  deadline?: Deadline;
}

export interface GlobalOptions {
  platformUrl: string | undefined;
  platformKeyEnv: string | undefined;
  graphUrl: string | undefined;
  graphTokenEnv: string | undefined;
  dataDir: string | undefined;
  json: boolean;
  /** `--deadline`: seconds a command may take in all (retries and waits included); unset: the command's default. */
  deadlineSeconds?: number | undefined;
}

export interface Output {
  readonly json: boolean;
  /** The command's result: a JSON document with --json, otherwise the human text. */
  result(document: unknown, human: string): void;
  /** Progress and notices: always stderr, so stdout stays one JSON document. */
  log(message: string): void;
}

export interface Command {
  /** One or more words: `migration`, `sandbox start`. */
  name: string;
  summary: string;
  /** Extra help text after the options. */
  details?: string;
  options: OptionSpecs;
  /** Runs a job in the foreground until it ends: no overall deadline unless --deadline is given. */
  runsJob?: boolean;
  /** Positional arguments after the command words, e.g. ['id'] for `jobs show ID`; found in `values`. */
  arguments?: readonly string[];
  /** The overall deadline without `--deadline` (default DEFAULT_DEADLINE_SECONDS, 60). */
  defaultDeadlineSeconds?: number;
  /** Exit code: 0 ok, 1 failure (2 is for usage errors, thrown as UsageError). */
  run(context: CommandContext): Promise<number>;
}

/** A mistake in the command line: exit code 2, and the message names the argument. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
