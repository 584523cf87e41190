import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../test-support/run-cli.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'cli-reminders-'));
const env = { CONSOLE_DATA_KEY: Buffer.alloc(32, 5).toString('base64') };
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('cli: mail reminders', () => {
  it('run-due is listed under "mail reminders" and says what it does', async () => {
    const group = await runCliProcess(['mail', 'reminders']);
    expect(group.code).toBe(2);
    expect(group.stderr).toContain('mail reminders run-due');
    expect(group.stderr).toContain('mail reminders list');
    const help = await runCliProcess(['mail', 'reminders', 'run-due', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('still not\nmigrated');
  });

  it('with nothing due, runs nothing and says so (JSON: an empty list)', async () => {
    const json = await runCliProcess(['mail', 'reminders', 'run-due', '--data-dir', dataDir, '--json'], env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ jobs: [] });
    const list = await runCliProcess(['mail', 'reminders', 'list', '--data-dir', dataDir, '--json'], env);
    expect(list.code).toBe(0);
    const schedule = JSON.parse(list.stdout) as {
      defaultDays: number[];
      upcoming: unknown[];
      cutoffAt: string;
    };
    expect(schedule.defaultDays).toEqual([14, 7, 1]);
    expect(schedule.upcoming).toEqual([]);
    expect(Date.parse(schedule.cutoffAt)).not.toBeNaN();
  });
});
