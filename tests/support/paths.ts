import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, wherever the clone lives. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Externally written test material (Microsoft's Graph samples, the Big List of Naughty Strings, …), copied
 * unedited into the repository with each source's SOURCES.md and licence, so a fresh clone tests itself with
 * nothing beside it.
 */
export const externalFixturesDir = join(repoRoot, 'tests', 'fixtures', 'external');

/** The path of one external fixture, e.g. `external('graph', 'user-get.response.json')`. */
export function external(source: string, ...parts: string[]): string {
  const path = resolve(externalFixturesDir, source, ...parts);
  const inside = relative(externalFixturesDir, path);
  if (inside.startsWith('..') || inside.startsWith(sep)) throw new Error(`Not an external fixture: ${path}`);
  if (!existsSync(path)) {
    throw new Error(
      `Test material missing: ${path}. Copy it unedited from the source named in tests/fixtures/external/${source}/SOURCES.md.`,
    );
  }
  return path;
}
