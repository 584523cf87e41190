import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError, type Command, type OptionSpecs } from './command.ts';
import { GLOBAL_OPTIONS } from './globals.ts';

export interface Parsed {
  command: Command | null;
  values: Record<string, string | boolean | undefined>;
  /** The words name a group of commands (`roster`), not one: the commands under them. */
  group: { words: string; commands: Command[] } | null;
}

function descriptors(specs: OptionSpecs): NonNullable<ParseArgsConfig['options']> {
  const out: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, spec] of Object.entries(specs)) {
    out[name] = spec.short === undefined ? { type: spec.type } : { type: spec.type, short: spec.short };
  }
  return out;
}

/**
 * Finds the command (the longest run of leading words that names one) and parses its options
 * strictly with node:util parseArgs. Global options may come before or after the command.
 */
export function parseCommandLine(argv: readonly string[], commands: readonly Command[]): Parsed {
  // First pass, lenient, knowing every option so values are not mistaken for words.
  const all: OptionSpecs = { ...GLOBAL_OPTIONS };
  for (const command of commands) Object.assign(all, command.options);
  let words: string[];
  try {
    words = parseArgs({
      args: [...argv],
      options: descriptors(all),
      strict: false,
      allowPositionals: true,
    }).positionals;
  } catch (error) {
    throw usageFrom(error, null);
  }
  let command: Command | null = null;
  for (const candidate of commands) {
    const parts = candidate.name.split(' ');
    if (
      parts.every((part, i) => words[i] === part) &&
      (command === null || parts.length > command.name.split(' ').length)
    )
      command = candidate;
  }
  const options = command === null ? GLOBAL_OPTIONS : { ...GLOBAL_OPTIONS, ...command.options };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: descriptors(options),
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw usageFrom(error, command);
  }
  const expected = command === null ? 0 : command.name.split(' ').length;
  const extra = parsed.positionals.slice(expected);
  // Named arguments after the command words (`jobs show ID`) land in values under their names.
  const argumentNames = command?.arguments ?? [];
  const values = parsed.values as Record<string, string | boolean | undefined>;
  argumentNames.forEach((name, i) => {
    if (extra[i] !== undefined) values[name] = String(extra[i]);
  });
  extra.splice(0, argumentNames.length);
  if (command === null && parsed.positionals.length > 0) {
    const words = parsed.positionals.join(' ');
    const under = commands.filter((candidate) => candidate.name.startsWith(`${words} `));
    if (under.length > 0)
      return {
        command: null,
        values: parsed.values as Record<string, string | boolean | undefined>,
        group: { words, commands: under },
      };
    throw new UsageError(
      `Unknown command "${parsed.positionals.join(' ').slice(0, 100)}". Run with --help to list the commands.`,
    );
  }
  if (extra.length > 0) {
    throw new UsageError(
      `Unexpected argument "${String(extra[0]).slice(0, 100)}" for "${command?.name}". Run "${command?.name} --help".`,
    );
  }
  return { command, values, group: null };
}

/** Rewrites parseArgs' errors so the message names the argument and says where to look. */
function usageFrom(error: unknown, command: Command | null): UsageError {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const where = command === null ? 'Run with --help.' : `Run "${command.name} --help".`;
  const option = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    return new UsageError(`Unknown option ${option}${command ? ` for "${command.name}"` : ''}. ${where}`);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    return new UsageError(
      `Option ${option} ${/argument missing/.test(message) ? 'needs a value' : 'does not take a value'}. ${where}`,
    );
  }
  return new UsageError(`${message.split('\n')[0]} ${where}`);
}
