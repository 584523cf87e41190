import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RosterRow } from '../../../../shared/contract/roster-query.ts';
import { syntheticRoster } from '../query/synthetic-roster.ts';
import { rosterCsv } from './roster-csv.ts';
import { writeRosterCsvFile } from './roster-csv-file.ts';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});
function folder(): string {
  const made = mkdtempSync(join(tmpdir(), 'csv-file-'));
  folders.push(made);
  return made;
}

describe('writeRosterCsvFile', () => {
  it('writes exactly rosterCsv, a piece at a time: each piece is on disk before the next rows are read', async () => {
    const dir = folder();
    const rows = syntheticRoster(23, { seed: 9 }) as RosterRow[];
    const sizesSeen: number[] = [];
    // The rows as a lazy source that looks at the file in progress whenever a new piece begins.
    function* source(): Generator<RosterRow> {
      for (const [index, row] of rows.entries()) {
        if (index > 0 && index % 5 === 0) {
          const partial = readdirSync(dir).find((name) => name.endsWith('.partial'));
          sizesSeen.push(partial === undefined ? -1 : statSync(join(dir, partial)).size);
        }
        yield row;
      }
    }
    const path = join(dir, 'roster.csv');
    const { bytes } = await writeRosterCsvFile(path, source(), 5);
    const text = readFileSync(path, 'utf8');
    expect(text).toBe(rosterCsv(rows));
    expect(bytes).toBe(Buffer.byteLength(text));
    // The file grew piece by piece while the rows were still being read.
    expect(sizesSeen).toHaveLength(4);
    expect(sizesSeen[0]).toBeGreaterThan(0);
    for (let i = 1; i < sizesSeen.length; i += 1) expect(sizesSeen[i]).toBeGreaterThan(sizesSeen[i - 1] ?? 0);
    expect(sizesSeen.at(-1)).toBeLessThan(bytes);
    // Personal data: this account only; nothing left beside it.
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['roster.csv']);
  });

  it('a failure halfway leaves the chosen file as it was and says where and why', async () => {
    const dir = folder();
    const path = join(dir, 'roster.csv');
    writeFileSync(path, 'the earlier export');
    function* failing(): Generator<RosterRow> {
      yield* syntheticRoster(7, { seed: 1 }) as RosterRow[];
      throw new Error('the roster went away');
    }
    await expect(writeRosterCsvFile(path, failing(), 3)).rejects.toMatchObject({
      name: 'ConsoleError',
      code: 'unavailable',
      message: expect.stringMatching(
        /could not be saved to .*roster\.csv: the roster went away\. Nothing was written/,
      ),
    });
    expect(readFileSync(path, 'utf8')).toBe('the earlier export');
    expect(readdirSync(dir)).toEqual(['roster.csv']);
  });

  it('names a folder that does not exist', async () => {
    const path = join(folder(), 'gone', 'roster.csv');
    await expect(writeRosterCsvFile(path, [])).rejects.toThrow(/that folder does not exist/);
  });
});
