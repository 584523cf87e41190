import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ConsoleError } from '../../../../shared/contract/index.ts';
import type { RosterRow } from '../../../../shared/contract/roster-query.ts';
import { CSV_ROWS_PER_PIECE, rosterCsvPieces } from './roster-csv.ts';

/**
 * Where the host asks the operator to save a file (Electron's save dialog); resolves the chosen
 * path, or null when the dialog was closed. `suggestedName` is a bare file name.
 */
export type ChooseSaveFile = (suggestedName: string) => Promise<string | null>;

/**
 * Writes the roster as CSV to `path` a piece (`rowsPerPiece` rows) at a time, each written before
 * the next is built, so only one piece's text is held, however large the roster. It goes to a
 * hidden file beside the target first, readable by this account only (personal data), and is
 * renamed over `path` when complete: a failure halfway never leaves a truncated export (nor
 * clobbers the file the operator chose to replace). Failures are a ConsoleError naming the file.
 */
export async function writeRosterCsvFile(
  path: string,
  rows: Iterable<RosterRow>,
  rowsPerPiece = CSV_ROWS_PER_PIECE,
): Promise<{ bytes: number }> {
  return writePiecesFile(path, rosterCsvPieces(rows, rowsPerPiece));
}

/**
 * Writes text pieces to `path` the same way (each written before the next is built; a hidden
 * 0600 `.partial` file renamed over the target when complete): any export made of pieces.
 */
export async function writePiecesFile(path: string, pieces: Iterable<string>): Promise<{ bytes: number }> {
  const partial = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.partial`);
  let bytes = 0;
  try {
    const file = await open(partial, 'wx', 0o600);
    try {
      for (const piece of pieces) {
        const data = Buffer.from(piece, 'utf8');
        // A write may take part of the buffer: go on from where it stopped.
        for (let offset = 0; offset < data.length;) {
          const { bytesWritten } = await file.write(data, offset, data.length - offset, null);
          offset += bytesWritten;
        }
        bytes += data.length;
      }
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(partial, path);
    return { bytes };
  } catch (error) {
    await rm(partial, { force: true }).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOSPC'
        ? 'the disk is full'
        : code === 'EACCES' || code === 'EPERM'
          ? 'this account may not write there'
          : code === 'ENOENT' || code === 'ENOTDIR'
            ? 'that folder does not exist'
            : code === 'EROFS'
              ? 'that disk is read-only'
              : error instanceof Error
                ? error.message
                : String(error);
    throw new ConsoleError(
      'unavailable',
      `The export could not be saved to ${path.slice(0, 500)}: ${why}. Nothing was written there; choose another folder and try again.`,
      { cause: error },
    );
  }
}
