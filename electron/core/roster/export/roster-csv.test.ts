import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { external } from '../../../../tests/support/paths.ts';
import { syntheticRoster } from '../query/synthetic-roster.ts';
import { CSV_COLUMNS, neutralizeFormula, rosterCsv, rosterCsvPieces } from './roster-csv.ts';

const parse = (csv: string) => Papa.parse<string[]>(csv, { header: false, skipEmptyLines: true }).data;

describe('roster CSV export', () => {
  it('comes in pieces that join to one CSV, whatever the piece size (the same as unparsing all rows at once)', () => {
    const rows = syntheticRoster(53, { seed: 6 });
    const whole = Papa.unparse(
      { fields: [...CSV_COLUMNS], data: parse(rosterCsv(rows)).slice(1) },
      { quotes: true, newline: '\r\n', escapeFormulae: false },
    );
    expect(rosterCsv(rows)).toBe(whole);
    for (const size of [1, 7, 53, 100]) {
      const pieces = [...rosterCsvPieces(rows, size)];
      expect(pieces.join(''), String(size)).toBe(whole);
      expect(pieces.length).toBe(1 + Math.ceil(53 / size));
    }
    expect([...rosterCsvPieces([])].join('')).toBe(
      Papa.unparse({ fields: [...CSV_COLUMNS], data: [] }, { quotes: true }),
    );
  });

  it('writes a header in the fixed column order and one row per user', () => {
    const rows = syntheticRoster(25, { seed: 4 });
    const table = parse(rosterCsv(rows));
    expect(table[0]).toEqual([...CSV_COLUMNS]);
    expect(table).toHaveLength(26);
    expect(table.slice(1).map((r) => r[0])).toEqual(rows.map((r) => r.userId));
    const first = rows[0];
    expect(table[1]?.[CSV_COLUMNS.indexOf('syncedItemCount')]).toBe(String(first?.syncedItemCount));
  });

  it('neutralizes cells a spreadsheet would run as a formula, and only those', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r'])
      expect(neutralizeFormula(`${start}HYPERLINK("x")`)).toBe(`'${start}HYPERLINK("x")`);
    for (const safe of ['Ana', ' =1', "O'Brien", '', '1+1']) expect(neutralizeFormula(safe)).toBe(safe);
    const [row] = syntheticRoster(1, { seed: 9 });
    if (row === undefined) throw new Error('no row');
    const evil = {
      ...row,
      firstName: '=cmd|" /C calc"!A0',
      lastName: '+SUM(A1)',
      preferredName: '@evil',
      email: '-x@example.edu',
      calendarMailbox: '\tmbx',
      lastError: { code: 'unknown' as const, message: '\rline', at: row.updatedAt },
    };
    const table = parse(rosterCsv([evil]));
    const cell = (name: (typeof CSV_COLUMNS)[number]) => table[1]?.[CSV_COLUMNS.indexOf(name)];
    expect(cell('firstName')).toBe(`'=cmd|" /C calc"!A0`);
    expect(cell('lastName')).toBe("'+SUM(A1)");
    expect(cell('preferredName')).toBe("'@evil");
    expect(cell('email')).toBe("'-x@example.edu");
    expect(cell('calendarMailbox')).toBe("'\tmbx");
    expect(cell('lastErrorMessage')).toBe("'\rline");
  });

  it('round-trips tricky real names (scripts, quotes, commas, newlines) exactly', () => {
    const names = JSON.parse(readFileSync(external('names', 'unicode_names.json'), 'utf8')) as string[];
    const base = syntheticRoster(names.length, { seed: 2 });
    const rows = base.map((row, i) => ({
      ...row,
      firstName: names[i] ?? '',
      lastName: `"${names[i] ?? ''}", jr.\nline`,
    }));
    const table = parse(rosterCsv(rows));
    rows.forEach((row, i) => {
      expect(table[i + 1]?.[CSV_COLUMNS.indexOf('firstName')]).toBe(neutralizeFormula(row.firstName));
      expect(table[i + 1]?.[CSV_COLUMNS.indexOf('lastName')]).toBe(row.lastName);
    });
  });
});
