import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';

/**
 * The console's data is for the operator's account alone: folders 0700, files 0600. Applied on every start,
 * not only at creation, so a folder or file made looser (a copy, a restore, an older console that created
 * files 0644) is tightened again. Windows has no such modes (its folders inherit the profile's ACL).
 */
const POSIX = process.platform !== 'win32';
export const PRIVATE_FOLDER_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates the folder (and missing parents) 0700, and tightens it if it already existed. */
export function ensurePrivateFolder(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  if (POSIX) tighten(path, PRIVATE_FOLDER_MODE);
}

/** Tightens each existing file to 0600; absent ones are skipped. */
export function tightenFiles(paths: readonly string[]): void {
  if (!POSIX) return;
  for (const path of paths) tighten(path, PRIVATE_FILE_MODE);
}

/**
 * Creates an empty file 0600 if none exists, so a library that creates it later (SQLite uses the process
 * umask, usually giving 0644) finds it private; SQLite gives its -wal and -shm files the database's mode.
 */
export function createPrivateFile(path: string): void {
  closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  if (POSIX) tighten(path, PRIVATE_FILE_MODE);
}

function tighten(path: string, mode: number): void {
  let current: number;
  try {
    current = statSync(path).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (current !== mode) chmodSync(path, mode);
}
