import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, wherever the clone lives. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The team's shared reference folder sits beside the clone (`../shared`), on developers' machines and in CI
 * alike. Tests read Microsoft's and other external test material from it; nothing at run time does.
 */
export const sharedDir = resolve(repoRoot, '..', 'shared');
export const testdataDir = join(sharedDir, 'testdata');

export function testdata(...parts: string[]): string {
  const path = join(testdataDir, ...parts);
  if (!existsSync(path)) throw new Error(`Test material missing: ${path} (is ../shared beside the clone?)`);
  return path;
}
