import { ConsoleError } from '../../shared/contract/errors.ts';

const WHY: Record<string, string> = {
  ENOTDIR: 'part of that path is a file, not a folder',
  EEXIST: 'a file of that name is in the way',
  EISDIR: 'it is a folder, where a file was expected',
  EACCES: 'this account is not allowed to use it (permission denied)',
  EPERM: 'this account is not allowed to use it (operation not permitted)',
  EROFS: 'it is on a read-only file system',
  ENOSPC: 'the disk is full',
  ENOENT: 'it does not exist',
  ELOOP: 'it is a loop of symbolic links',
  ENAMETOOLONG: 'the path is too long',
};

/** Node's file-system error with a path, as `ENOTDIR`, `EACCES`… */
export function isFileSystemError(error: unknown): error is NodeJS.ErrnoException & { path: string } {
  return (
    error instanceof Error &&
    typeof (error as NodeJS.ErrnoException).code === 'string' &&
    typeof (error as NodeJS.ErrnoException).path === 'string'
  );
}

/** What went wrong with a path, in words, from a file-system error (its code kept for support). */
export function fileProblem(error: NodeJS.ErrnoException): string {
  const code = error.code ?? 'unknown';
  return `${WHY[code] ?? error.message.split(',')[0] ?? code} (${code})`;
}

/**
 * The data folder given with --data-dir cannot be used: which folder, what went wrong, what to do (rather
 * than `Unexpected failure: ENOTDIR…`).
 */
export function dataFolderError(dataDir: string, error: unknown): ConsoleError {
  const detail = isFileSystemError(error)
    ? `${error.path}: ${fileProblem(error)}`
    : error instanceof Error
      ? error.message
      : String(error);
  return new ConsoleError(
    'unavailable',
    `The data folder ${dataDir} cannot be used: ${detail}. Give --data-dir a folder this account can create and write to (it is made private, 0700), or leave --data-dir out to keep the roster cache in memory for this command only.`,
    { cause: error },
  );
}
