import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../electron/sandbox/index.ts';
import { repoRoot } from '../support/paths.ts';

const node = join(repoRoot, 'node_modules', '.bin', 'node');
const cli = join(repoRoot, 'electron', 'cli', 'main.ts');
let box: Sandbox;
let dir: string;

function run(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(node, [cli, ...args], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const seed = readFileSync(
  join(repoRoot, 'tests/fixtures/external/seed/office365-calendar-sync-v2-update.txt'),
  'utf8',
);

beforeAll(async () => {
  box = await startSandbox({ users: 600, identity: false, rateLimit: { perSecond: 1000, burst: 1000 } });
  dir = mkdtempSync(join(tmpdir(), 'mail-cli-'));
  // The platform's template pasted as-is, plus a first line with a subject and a magic link.
  writeFileSync(
    join(dir, 'platform.txt'),
    `Subject: Reconnect your [UNIVERSITY] calendar, {{FirstName}}\n\n${seed.slice(seed.indexOf('Hi {{FirstName}}'), seed.indexOf('How do I de-authorize'))}\n[Reconnect now]({{MagicLink}})\n`,
  );
  writeFileSync(
    join(dir, 'broken.txt'),
    'Subject: Hi\nHi {{Frist}},\nsee http://insecure.example and [OFFICE NAME].\n',
  );
}, 60_000);

afterAll(async () => {
  await box.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('mail render', () => {
  it('writes one .eml per recipient with magic links, through the contract, and prints one JSON document', async () => {
    const out = join(dir, 'out');
    const result = await run(
      [
        'mail',
        'render',
        '--template',
        join(dir, 'platform.txt'),
        '--filter',
        'status=legacy role=alumni',
        '--format',
        'eml',
        '--out',
        out,
        '--university',
        'Demo University',
        '--cutoff',
        '2026-12-15T23:59:00-05:00',
        '--from',
        'careers@demo-university.edu',
        '--platform-url',
        box.platformUrl,
        '--platform-key-env',
        'KEY',
        '--json',
      ],
      { KEY: box.apiKey },
    );
    expect(result.stderr).not.toMatch(/magic\//);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      folder: string;
      written: number;
      magicLinks: { created: number };
    };
    expect(report.written).toBeGreaterThan(0);
    expect(report.magicLinks.created).toBe(report.written);
    const files = readdirSync(report.folder).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(report.written);
    // Every message written is read back by a maintained parser.
    const links = new Set<string>();
    for (const file of files) {
      const parsed = await PostalMime.parse(readFileSync(join(report.folder, file)));
      expect(parsed.subject).toMatch(/^Reconnect your Demo University calendar, /);
      expect(parsed.from).toEqual({ name: '', address: 'careers@demo-university.edu' });
      expect(parsed.text).toContain('by December 15, 2026, your calendar connection');
      const link = /<a href="(http:\/\/127\.0\.0\.1:\d+\/magic\/[^"]+)">Reconnect now<\/a>/.exec(
        parsed.html ?? '',
      );
      expect(link).not.toBeNull();
      links.add(link?.[1] as string);
    }
    expect(links.size).toBe(files.length);
  }, 60_000);

  it('stops with exit 1 and every unresolved issue with its line and column in the file', async () => {
    const result = await run(
      [
        'mail',
        'render',
        '--template',
        join(dir, 'broken.txt'),
        '--out',
        join(dir, 'never'),
        '--university',
        'U',
        '--platform-url',
        box.platformUrl,
        '--platform-key-env',
        'KEY',
      ],
      { KEY: box.apiKey },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'broken.txt: body line 2, column 4: {{Frist}} is not a merge field. Did you mean {{FirstName}}?',
    );
    expect(result.stdout).toContain('body line 3, column 5: The link http://insecure.example is not https');
    expect(result.stdout).toContain('body line 3, column 33: [OFFICE NAME] is a placeholder');
    expect(() => readdirSync(join(dir, 'never'))).toThrow();
  }, 60_000);

  it('names a usage mistake (exit 2)', async () => {
    const result = await run([
      'mail',
      'render',
      '--template',
      join(dir, 'platform.txt'),
      '--out',
      dir,
      '--format',
      'pdf',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--format: "pdf" is not one of eml, csv, html.');
  });
});
