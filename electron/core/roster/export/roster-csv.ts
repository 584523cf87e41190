import Papa from 'papaparse';
import type { RosterRow } from '../../../../shared/contract/roster-query.ts';

/** The export's columns, in this order whatever the platform adds later. */
export const CSV_COLUMNS = [
  'userId',
  'firstName',
  'lastName',
  'preferredName',
  'email',
  'role',
  'status',
  'provider',
  'api',
  'statusChangedAt',
  'connectedAt',
  'lastSyncAt',
  'lastSyncOutcome',
  'lastErrorCode',
  'lastErrorMessage',
  'lastErrorAt',
  'syncedItemCount',
  'calendarMailbox',
  'updatedAt',
] as const;

/**
 * A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): a name
 * like `=HYPERLINK(…)` typed into the platform must arrive as text. Prefixing a single quote is
 * OWASP's advice; the value stays readable and the spreadsheet shows it as typed.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralizeFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

function cells(row: RosterRow): string[] {
  const values: Array<string | number | null> = [
    row.userId,
    row.firstName,
    row.lastName,
    row.preferredName,
    row.email,
    row.role,
    row.status,
    row.provider,
    row.api,
    row.statusChangedAt,
    row.connectedAt,
    row.lastSyncAt,
    row.lastSyncOutcome,
    row.lastError?.code ?? null,
    row.lastError?.message ?? null,
    row.lastError?.at ?? null,
    row.syncedItemCount,
    row.calendarMailbox,
    row.updatedAt,
  ];
  return values.map((value) =>
    value === null ? '' : typeof value === 'number' ? String(value) : neutralizeFormula(value),
  );
}

/** CSV (RFC 4180, CRLF, every field quoted) with a header row. */
export function rosterCsv(rows: Iterable<RosterRow>): string {
  const data: string[][] = [];
  for (const row of rows) data.push(cells(row));
  return Papa.unparse(
    { fields: [...CSV_COLUMNS], data },
    { quotes: true, newline: '\r\n', escapeFormulae: false },
  );
}
