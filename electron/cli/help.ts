import type { Command, OptionSpecs } from './command.ts';
import { GLOBAL_OPTIONS } from './globals.ts';

const PROGRAM = 'npm run cli --';

function optionLines(specs: OptionSpecs): string[] {
  return Object.entries(specs).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : ''}`;
    return `  ${flag.padEnd(28)} ${spec.description}`;
  });
}

export function generalHelp(commands: readonly Command[]): string {
  return [
    'Calendar Sync Migration Console: command line',
    '',
    `Usage: ${PROGRAM} <command> [options]`,
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(28)} ${c.summary}`),
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Exit codes: 0 ok, 1 failure, 2 usage error.',
    '',
  ].join('\n');
}

/** `roster` alone: the commands it starts, and where to read about one. */
export function groupHelp(words: string, commands: readonly Command[]): string {
  return [
    `"${words}" commands:`,
    ...commands.map((c) => `  ${c.name.padEnd(28)} ${c.summary}`),
    '',
    `Run "${PROGRAM} ${words} <subcommand> --help" for one of them.`,
    '',
  ].join('\n');
}

export function commandHelp(command: Command): string {
  const own =
    Object.keys(command.options).length > 0 ? ['', 'Options:', ...optionLines(command.options)] : [];
  return [
    `${command.summary}`,
    '',
    `Usage: ${PROGRAM} ${command.name} [options]`,
    ...own,
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    ...(command.details ? ['', command.details] : []),
    '',
  ].join('\n');
}
