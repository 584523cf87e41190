import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRawServer, type RawServer } from '../../electron/core/platform/test-support/raw-server.ts';
import { repoRoot } from '../support/paths.ts';

/** The CLI as users run it, against replies a platform should never send and folders it cannot use. */
const node = join(repoRoot, 'node_modules', '.bin', 'node');
const cli = join(repoRoot, 'electron', 'cli', 'main.ts');

function run(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(node, [cli, ...args], {
      cwd: repoRoot,
      env: { ...process.env, CLI_TEST_KEY: 'test-platform-key-0001', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let server: RawServer;
let folder: string;
beforeAll(async () => {
  server = await startRawServer((request, response) => {
    if (request.url.startsWith('/html/')) {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html><body>Sign in to the campus portal</body></html>');
    } else if (request.url.startsWith('/redirect/')) {
      response.writeHead(302, { location: 'https://sso.example.edu/login' });
      response.end();
    } else {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"items": [{"userId": "u1", "email": ');
    }
  });
  folder = mkdtempSync(join(tmpdir(), 'cli-failures-'));
});
afterAll(async () => {
  await server.close();
  rmSync(folder, { recursive: true, force: true });
});

const sync = (base: string, ...extra: string[]) =>
  run([
    'roster',
    'sync',
    '--platform-url',
    `${server.url}/${base}`,
    '--platform-key-env',
    'CLI_TEST_KEY',
    ...extra,
  ]);

describe('roster sync says exactly what happened', () => {
  it('a web page instead of JSON is called a web page, not "invalid data for a connection"', async () => {
    const result = await sync('html');
    expect(result.code).toBe(1);
    expect(result.stderr, result.stderr).toMatch(/web page, not JSON/);
    expect(result.stderr).not.toMatch(/invalid data for a connection/);
  });

  it('a redirect names the platform URL to check, without pointing at a Settings page the CLI does not have', async () => {
    const result = await sync('redirect');
    expect(result.code).toBe(1);
    expect(result.stderr, result.stderr).toMatch(/redirected/);
    expect(result.stderr, result.stderr).toMatch(/--platform-url/);
    expect(result.stderr).not.toMatch(/check it in Settings/);
  });

  it('JSON cut off in the middle is called that', async () => {
    const result = await sync('broken');
    expect(result.code).toBe(1);
    expect(result.stderr, result.stderr).toMatch(/cut off or malformed/);
    expect(result.stderr).not.toMatch(/invalid data for a connection/);
  }, 60_000);
});

describe('CLI data-folder failures say which folder and what to do', () => {
  it('a file where the data folder should be', async () => {
    const notAFolder = join(folder, 'not-a-folder');
    writeFileSync(notAFolder, 'x');
    const result = await run(['roster', 'stats', '--data-dir', notAFolder], {
      CONSOLE_DATA_KEY: randomBytes(32).toString('base64'),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/Unexpected failure/);
    expect(result.stderr).toContain(notAFolder);
    expect(result.stderr, result.stderr).toMatch(/--data-dir/);
  });
});
