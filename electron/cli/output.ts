import type { Output } from './command.ts';

export interface Streams {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/**
 * stdout carries the result only: with --json exactly one JSON document, whatever happens;
 * everything else (progress, notices, errors in human mode) goes to stderr.
 */
export function createOutput(json: boolean, streams: Streams): Output & { written: boolean } {
  const output = {
    json,
    written: false,
    result(document: unknown, human: string): void {
      if (output.written) throw new Error('A command printed two results.');
      output.written = true;
      streams.stdout.write(
        json ? `${JSON.stringify(document)}\n` : human.endsWith('\n') ? human : `${human}\n`,
      );
    },
    log(message: string): void {
      streams.stderr.write(message.endsWith('\n') ? message : `${message}\n`);
    },
  };
  return output;
}
