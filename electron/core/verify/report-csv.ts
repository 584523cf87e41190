import Papa from 'papaparse';
import type { UserVerification } from '../../../shared/contract/verify.ts';
import { neutralizeFormula } from '../roster/export/roster-csv.ts';

/**
 * The verification report's columns: one row per item, with the user's verdict beside it, then
 * when it was checked and by which job (added at the end: scripts read the first seven by name).
 */
export const VERIFY_CSV_COLUMNS = [
  'userId',
  'verdict',
  'itemId',
  'externalEventId',
  'class',
  'detail',
  'newId',
  'checkedAt',
  'jobId',
] as const;

type Reported = UserVerification & { jobId?: string | null };

function rowsOf(u: Reported): string[][] {
  const tail = [u.checkedAt, u.jobId ?? ''];
  if (u.items.length === 0)
    return [
      [u.userId, u.verdict, '', '', '', u.error ?? u.notChecked.join(' '), '', ...tail].map(
        neutralizeFormula,
      ),
    ];
  return u.items.map((i) =>
    [u.userId, u.verdict, i.itemId, i.externalEventId, i.class, i.detail, i.newId ?? '', ...tail].map(
      neutralizeFormula,
    ),
  );
}

const UNPARSE = { quotes: true, newline: '\r\n', escapeFormulae: false } as const;

/** The CSV header line (with its CRLF). */
export function verificationCsvHeader(): string {
  return `${Papa.unparse([[...VERIFY_CSV_COLUMNS]], UNPARSE)}\r\n`;
}

/** Rows of some users, each line ending in CRLF (so pieces concatenate into one CSV). */
export function verificationCsvRows(users: Iterable<Reported>): string {
  const data: string[][] = [];
  for (const u of users) data.push(...rowsOf(u));
  return data.length === 0 ? '' : `${Papa.unparse(data, UNPARSE)}\r\n`;
}

/**
 * CSV (RFC 4180, CRLF, every field quoted, formula-safe): one row per item; a user without items
 * checked (platform-only, no mailbox, failed) gets one row with its verdict and what was not checked.
 */
export function verificationCsv(users: Iterable<Reported>): string {
  return verificationCsvHeader() + verificationCsvRows(users);
}
