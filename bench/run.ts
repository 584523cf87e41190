/**
 * `npm run bench [name]`: runs every bench/*.bench.ts (or those whose file name contains `name`)
 * one after another, each in its own Node process so one benchmark's heap and JIT state do not
 * colour the next, and prints one combined JSON document: { "<name>": <that bench's JSON> }.
 * A bench that fails or prints something other than JSON is reported with its exit code and
 * stderr tail, and the runner exits non-zero.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filter === undefined || f.includes(filter))
  .sort();

function runOne(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(here, file)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const results: Record<string, unknown> = {};
let failed = false;
if (files.length === 0) {
  console.error(`No benchmark matches ${filter ?? '*'}.`);
  process.exit(2);
}
for (const file of files) {
  const name = file.replace(/\.bench\.ts$/, '');
  console.error(`bench: ${name} ...`);
  const { code, stdout, stderr } = await runOne(file);
  try {
    if (code !== 0) throw new Error(`exit code ${code}`);
    results[name] = JSON.parse(stdout) as unknown;
  } catch (error) {
    failed = true;
    results[name] = {
      error: error instanceof Error ? error.message : String(error),
      stderr: stderr.slice(-2000),
    };
  }
}
console.log(
  JSON.stringify(
    { node: process.version, platform: `${process.platform}-${process.arch}`, results },
    null,
    2,
  ),
);
process.exit(failed ? 1 : 0);
