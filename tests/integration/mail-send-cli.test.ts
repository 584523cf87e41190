import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../../electron/cli/test-support/run-cli.ts';
import { PlatformClient } from '../../electron/core/platform/client.ts';
import { startSandbox, type Sandbox } from '../../electron/sandbox/index.ts';

// `mail send` / `mail drafts` as users run them: a separate process against a running sandbox
// (platform, Graph, identity), a delegated Graph token from an environment variable.
let box: Sandbox;
let dir: string;
let env: Record<string, string>;
let audience: string[];
const FILTER = 'status=legacy role=career_center';

beforeAll(async () => {
  box = await startSandbox({ users: 150, rateLimit: { perSecond: 1000, burst: 1000 } });
  dir = mkdtempSync(join(tmpdir(), 'mail-send-cli-'));
  writeFileSync(
    join(dir, 'template.txt'),
    'Subject: Reconnect your [UNIVERSITY] calendar, {{FirstName}}\n\nHi {{FirstName}},\n\nplease reconnect: {{MagicLink}} before [DATE PROVIDED].\n',
  );
  env = { KEY: box.apiKey, GRAPH_TOKEN: box.mintOperatorToken('director') };
  const client = new PlatformClient({ baseUrl: box.platformUrl, apiKey: box.apiKey });
  audience = [];
  for await (const c of client.listConnections({ status: ['legacy'], role: ['career_center'] }))
    audience.push(c.email.toLowerCase());
}, 60_000);

afterAll(async () => {
  await box.close();
  rmSync(dir, { recursive: true, force: true });
});

const common = () => [
  '--template',
  join(dir, 'template.txt'),
  '--filter',
  FILTER,
  '--university',
  'Demo University',
  '--platform-url',
  box.platformUrl,
  '--platform-key-env',
  'KEY',
  '--graph-url',
  box.graphUrl,
  '--graph-token-env',
  'GRAPH_TOKEN',
];

async function perRecipient(kind: string): Promise<Record<string, number>> {
  const reply = await fetch(`${box.adminUrl}/side-effects/${kind}`);
  return ((await reply.json()) as { perUser: Record<string, number> }).perUser;
}

describe('mail send and mail drafts', () => {
  it('refuses without --dry-run or --yes (exit 2) and a real platform without a Graph token', async () => {
    const bare = await runCliProcess(['mail', 'send', ...common()], env);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/--dry-run.*--yes/);
    const noToken = await runCliProcess(['mail', 'send', ...common().slice(0, -2), '--dry-run'], {
      KEY: box.apiKey,
    });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/--graph-token-env VAR is required/);
  }, 60_000);

  it('prints the plan with --dry-run and sends nothing', async () => {
    expect(audience.length).toBeGreaterThan(0);
    const result = await runCliProcess(['mail', 'send', ...common(), '--dry-run', '--json'], env);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      dryRun: boolean;
      plan: { recipients: number; sender: { address: string }; earliestFinishAt: string };
    };
    expect(report.dryRun).toBe(true);
    expect(report.plan.recipients).toBe(audience.length);
    expect(report.plan.sender.address).toMatch(/@/);
    expect(await perRecipient('mail-recipient')).toEqual({});
  }, 60_000);

  it('says the plan in words, its time in the platform zone, and names a template error once', async () => {
    const result = await runCliProcess(['mail', 'send', ...common(), '--dry-run'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /Earliest finish at Exchange limits .*: \w{3} \d{1,2} \w{3} \d{4}, \d{2}:\d{2} E[SD]T/,
    );
    expect(result.stdout).toMatch(/valid 7 days after it/);
    expect(result.stdout).not.toMatch(/\d{4}-\d{2}-\d{2}T/);

    const withoutUniversity = common().filter(
      (_, i, all) => all[i] !== '--university' && all[i - 1] !== '--university',
    );
    const broken = await runCliProcess(['mail', 'send', ...withoutUniversity, '--dry-run'], env);
    expect(broken.code).toBe(1);
    const named = `${broken.stdout}${broken.stderr}`.match(/\[UNIVERSITY\] has no value/g) ?? [];
    expect(named).toHaveLength(1);
  }, 60_000);

  it('sends one message per recipient with --yes, and saves drafts with mail drafts', async () => {
    const result = await runCliProcess(['mail', 'send', ...common(), '--yes', '--json'], env);
    expect(result.stderr).not.toMatch(/\/magic\//);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { state: string; outcomes: Record<string, number> };
    expect(report.state).toBe('completed');
    expect(report.outcomes['sent']).toBe(audience.length);
    const sent = await perRecipient('mail-recipient');
    for (const email of audience) expect(sent[email], email).toBe(1);
    const drafts = await runCliProcess(['mail', 'drafts', ...common(), '--yes'], env);
    expect(drafts.code).toBe(0);
    expect(drafts.stdout).toMatch(/drafted/);
    const drafted = await perRecipient('draft-recipient');
    for (const email of audience) expect(drafted[email], email).toBe(1);
  }, 90_000);

  it('a CLI killed mid-send is resumed by "jobs resume" without mailing anyone twice', async () => {
    const own = await startSandbox({ users: 300, rateLimit: { perSecond: 1000, burst: 1000 } });
    const data = mkdtempSync(join(tmpdir(), 'mail-send-kill-'));
    try {
      const client = new PlatformClient({ baseUrl: own.platformUrl, apiKey: own.apiKey });
      const people: string[] = [];
      for await (const c of client.listConnections({ status: ['legacy'], role: ['career_center'] }))
        people.push(c.email.toLowerCase());
      expect(people.length).toBeGreaterThan(3);
      const args = (extra: string[]) => [
        'electron/cli/main.ts',
        ...extra,
        '--platform-url',
        own.platformUrl,
        '--platform-key-env',
        'KEY',
        '--graph-url',
        own.graphUrl,
        '--graph-token-env',
        'GRAPH_TOKEN',
        '--data-dir',
        data,
      ];
      const childEnv = {
        ...process.env,
        KEY: own.apiKey,
        GRAPH_TOKEN: own.mintOperatorToken('director'),
        CONSOLE_DATA_KEY: Buffer.alloc(32, 5).toString('base64'),
        CONSOLE_JOB_LEASE_MS: '1500',
      };
      // Killed about three messages in (they go 2 s apart), whatever it was doing then.
      const jobId = await new Promise<string>((done, fail) => {
        const child = spawn(
          resolve(import.meta.dirname, '../../node_modules/.bin/node'),
          args([
            'mail',
            'send',
            '--template',
            join(dir, 'template.txt'),
            '--filter',
            FILTER,
            '--university',
            'U',
            '--yes',
          ]),
          { cwd: resolve(import.meta.dirname, '../..'), env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let stderr = '';
        let id: string | null = null;
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString('utf8');
          const started = /Job (job_[A-Za-z0-9]+) started\./.exec(stderr);
          if (id === null && started !== null) {
            id = started[1] as string;
            setTimeout(() => child.kill('SIGKILL'), 5_000);
          }
        });
        child.on('close', (_code, signal) =>
          id !== null && signal === 'SIGKILL'
            ? done(id)
            : fail(new Error(`not killed mid-send: ${stderr.slice(-800)}`)),
        );
      });
      const before = await (await fetch(`${own.adminUrl}/side-effects/mail-recipient`)).json();
      expect(Object.keys((before as { perUser: object }).perUser).length).toBeLessThan(people.length);
      const resumed = await runCliProcess(args(['jobs', 'resume', jobId, '--json']).slice(1), childEnv);
      const final = JSON.parse(resumed.stdout) as { state: string; counts: Record<string, number> };
      expect(final.state, resumed.stderr).toBe('completed');
      expect((final.counts['sent'] ?? 0) + (final.counts['uncertain'] ?? 0)).toBe(people.length);
      const after = (
        (await (await fetch(`${own.adminUrl}/side-effects/mail-recipient`)).json()) as {
          perUser: Record<string, number>;
        }
      ).perUser;
      for (const email of people) expect(after[email] ?? 0, email).toBeLessThanOrEqual(1);
      // Everyone not marked uncertain got exactly one message.
      expect(Object.values(after).filter((n) => n === 1).length).toBeGreaterThanOrEqual(
        final.counts['sent'] ?? 0,
      );
    } finally {
      await own.close();
      rmSync(data, { recursive: true, force: true });
    }
  }, 120_000);
});
