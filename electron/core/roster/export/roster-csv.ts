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

const UNPARSE = { quotes: true, newline: '\r\n', escapeFormulae: false } as const;
/** Rows per piece: the cells of one piece exist at a time, not those of the whole roster. */
export const CSV_ROWS_PER_PIECE = 2000;

/**
 * CSV (RFC 4180, CRLF, every field quoted) in pieces: the header, then `rowsPerPiece` rows at a time, each
 * piece ending with CRLF except the last. Joined, they are `rosterCsv`; written one by one to a stream,
 * only one piece's cells are held at a time.
 */
export function* rosterCsvPieces(
  rows: Iterable<RosterRow>,
  rowsPerPiece = CSV_ROWS_PER_PIECE,
): Generator<string, void, undefined> {
  let piece: string[][] = [];
  let pending = Papa.unparse([[...CSV_COLUMNS]], UNPARSE);
  let any = false;
  for (const row of rows) {
    any = true;
    piece.push(cells(row));
    if (piece.length === rowsPerPiece) {
      yield `${pending}\r\n`;
      pending = Papa.unparse(piece, UNPARSE);
      piece = [];
    }
  }
  if (piece.length > 0) {
    yield `${pending}\r\n`;
    pending = Papa.unparse(piece, UNPARSE);
  }
  // Papa ends a header without rows with a line break: so does an empty export.
  yield any ? pending : `${pending}\r\n`;
}

/** CSV (RFC 4180, CRLF, every field quoted) with a header row. */
export function rosterCsv(rows: Iterable<RosterRow>): string {
  let csv = '';
  for (const piece of rosterCsvPieces(rows)) csv += piece;
  return csv;
}
