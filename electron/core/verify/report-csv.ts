import Papa from 'papaparse';
import type { UserVerification } from '../../../shared/contract/verify.ts';
import { neutralizeFormula } from '../roster/export/roster-csv.ts';

/** The verification report's columns: one row per item, with the user's verdict beside it. */
export const VERIFY_CSV_COLUMNS = [
  'userId',
  'verdict',
  'itemId',
  'externalEventId',
  'class',
  'detail',
  'newId',
] as const;

/**
 * CSV (RFC 4180, CRLF, every field quoted, formula-safe): one row per item; a user without items
 * checked (platform-only, no mailbox, failed) gets one row with its verdict and what was not checked.
 */
export function verificationCsv(users: Iterable<UserVerification>): string {
  const data: string[][] = [];
  for (const u of users) {
    if (u.items.length === 0) {
      data.push(
        [u.userId, u.verdict, '', '', '', u.error ?? u.notChecked.join(' '), ''].map(neutralizeFormula),
      );
      continue;
    }
    for (const i of u.items)
      data.push(
        [u.userId, u.verdict, i.itemId, i.externalEventId, i.class, i.detail, i.newId ?? ''].map(
          neutralizeFormula,
        ),
      );
  }
  return Papa.unparse(
    { fields: [...VERIFY_CSV_COLUMNS], data },
    { quotes: true, newline: '\r\n', escapeFormulae: false },
  );
}
