import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../core/log/logger.ts';
import { createFileLogSink, LOG_FILE_NAME, PREVIOUS_LOG_FILE_NAME } from './file-log-sink.ts';

describe('file log sink', () => {
  it('appends redacted JSON lines to logs/main.jsonl, readable by the owner only', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'log-sink-')), 'logs');
    const sink = createFileLogSink(dir);
    const logger = createLogger({ sink });
    logger.info('hello', { token: 'eyJsecret', count: 2 });
    logger.warn('second');
    await sink.close();
    const lines = readFileSync(join(dir, LOG_FILE_NAME), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toMatchObject([
      { level: 'info', message: 'hello', token: '[redacted]', count: 2 },
      { level: 'warn', message: 'second' },
    ]);
    if (process.platform !== 'win32') expect(statSync(join(dir, LOG_FILE_NAME)).mode & 0o777).toBe(0o600);
  });

  it('moves an oversized log aside at start-up and starts a fresh one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'log-sink-'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, LOG_FILE_NAME), 'x'.repeat(2000));
    const sink = createFileLogSink(dir, { maxBytes: 1000 });
    sink.write('{"fresh":true}\n');
    await sink.close();
    expect(readFileSync(join(dir, PREVIOUS_LOG_FILE_NAME), 'utf8')).toHaveLength(2000);
    expect(readFileSync(join(dir, LOG_FILE_NAME), 'utf8')).toBe('{"fresh":true}\n');
  });

  it('falls back to the fallback sink when the file cannot be written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'log-sink-'));
    // A folder where the log file should be makes every write fail.
    mkdirSync(join(dir, LOG_FILE_NAME));
    const fallback: string[] = [];
    const sink = createFileLogSink(dir, { fallback: { write: (line) => void fallback.push(line) } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    sink.write('{"after":true}\n');
    expect(fallback.some((line) => line.includes('log file unwritable'))).toBe(true);
    expect(fallback).toContain('{"after":true}\n');
    await sink.close();
    expect(existsSync(join(dir, LOG_FILE_NAME))).toBe(true);
  });
});
