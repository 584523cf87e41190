import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LogSink } from '../core/log/logger.ts';

export const LOG_FILE_NAME = 'main.jsonl';
export const PREVIOUS_LOG_FILE_NAME = 'main.1.jsonl';
const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

export interface FileLogSink extends LogSink {
  readonly path: string;
  close(): Promise<void>;
}

/**
 * JSON lines appended to `<dir>/main.jsonl`, readable by the operator only. At start-up a file
 * over the size cap becomes `main.1.jsonl` (replacing the older one), so a long-lived install
 * keeps at most two files. If the disk refuses a write the line goes to stderr instead: a full
 * disk must not take the console down with it.
 */
export function createFileLogSink(
  dir: string,
  options: { maxBytes?: number; fallback?: LogSink } = {},
): FileLogSink {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const fallback = options.fallback ?? { write: (line: string) => void process.stderr.write(line) };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, LOG_FILE_NAME);
  if (existsSync(path) && statSync(path).size > maxBytes) renameSync(path, join(dir, PREVIOUS_LOG_FILE_NAME));
  const stream = createWriteStream(path, { flags: 'a', mode: 0o600 });
  let broken = false;
  stream.on('error', (error) => {
    broken = true;
    fallback.write(
      `${JSON.stringify({ at: new Date().toISOString(), level: 'error', message: 'log file unwritable', error: error.message })}\n`,
    );
  });
  return {
    path,
    write(line) {
      if (broken || stream.destroyed) fallback.write(line);
      else stream.write(line);
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (stream.destroyed || stream.writableEnded) resolve();
        else stream.end(() => resolve());
      }),
  };
}
