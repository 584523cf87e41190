import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * The wrapped data key, beside the database. It holds no secret in clear: `wrappedKey` can only
 * be opened by the wrapper named in `wrapper` (the OS keychain or CONSOLE_DATA_KEY).
 * `keyId` is also written into the database, so a key file from another data folder is recognised
 * as such instead of failing in a confusing way later.
 */
export const KeyFileContents = z.object({
  format: z.literal(1),
  wrapper: z.string().min(1).max(50),
  keyId: z.string().regex(/^[0-9a-f]{32}$/),
  wrappedKey: z.base64(),
  createdAt: z.string(),
});
export type KeyFileContents = z.infer<typeof KeyFileContents>;

export type KeyFileRead =
  { kind: 'absent' } | { kind: 'damaged'; reason: string } | { kind: 'present'; contents: KeyFileContents };

export function readKeyFile(path: string): KeyFileRead {
  if (!existsSync(path)) return { kind: 'absent' };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return {
      kind: 'damaged',
      reason: `it cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'damaged', reason: 'it is not complete JSON (a torn write or an edit)' };
  }
  const parsed = KeyFileContents.safeParse(json);
  if (!parsed.success) return { kind: 'damaged', reason: 'its fields are not those of a key file' };
  return { kind: 'present', contents: parsed.data };
}

/**
 * Write-to-temporary, fsync, rename, fsync the folder: after a crash the key file is either the
 * old one or the new one, never half of each. Losing the key file loses the data, so this is the
 * one write that must be atomic even though SQLite already is.
 */
export function writeKeyFileAtomically(path: string, contents: KeyFileContents): void {
  const temporary = `${path}.tmp-${process.pid}`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(contents, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  try {
    const dir = openSync(dirname(path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // Windows cannot open a directory for fsync; NTFS journals the rename itself.
  }
}
