import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main.ts';
import { startSandbox, type Sandbox } from '../../electron/sandbox/index.ts';

/** `verify` and `doctor` end to end through runCli, against a sandbox and in demo mode (MSAL client credentials). */
let box: Sandbox;
const csvFile = join(mkdtempSync(join(tmpdir(), 'verify-cli-')), 'report.csv');

async function cli(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env,
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  box = await startSandbox({ users: 3_000, seed: 'verify-cli', rateLimit: { perSecond: 1000, burst: 1000 } });
});
afterAll(() => box.close());

const platform = () => ['--platform-url', box.platformUrl, '--platform-key-env', 'SANDBOX_KEY'];
const graph = () => ['--graph-url', box.graphUrl, '--graph-token-env', 'GRAPH_TOKEN'];
const env = () => ({ SANDBOX_KEY: box.apiKey, GRAPH_TOKEN: box.graphAppToken });

describe('verify', () => {
  it('--user --json: the documented per-user and per-item shapes, the planted anomaly found', async () => {
    const planted = box.university.anomalies().find((a) => a.class === 'mismatch')!;
    const { code, stdout } = await cli(
      ['verify', '--user', planted.userId, '--json', ...platform(), ...graph()],
      env(),
    );
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as {
      userId: string;
      verdict: string;
      counts: Record<string, number>;
      items: Array<Record<string, unknown>>;
    };
    expect(doc.userId).toBe(planted.userId);
    expect(doc.verdict).toBe('anomalies');
    expect(Object.keys(doc.counts).sort()).toEqual([
      'duplicate',
      'id_changed',
      'legacy_id',
      'mismatch',
      'missing',
      'ok',
      'unverified',
    ]);
    const item = doc.items.find((i) => i['itemId'] === planted.itemId)!;
    expect(Object.keys(item).sort()).toEqual(['class', 'detail', 'externalEventId', 'itemId', 'userId']);
    expect(item['class']).toBe('mismatch');
  });

  it('--filter: users matching a roster filter, platform-only without Graph access, saying so', async () => {
    const { code, stdout, stderr } = await cli(
      [
        'verify',
        '--filter',
        'status=error error=consent_revoked',
        '--limit',
        '5',
        '--json',
        '--csv',
        csvFile,
        ...platform(),
      ],
      env(),
    );
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as {
      users: Array<{ verdict: string; notChecked: string[] }>;
      items: unknown[];
    };
    expect(doc.users.length).toBeGreaterThan(0);
    expect(doc.users.length).toBeLessThanOrEqual(5);
    for (const u of doc.users) expect(['platform_only', 'no_items']).toContain(u.verdict);
    expect(doc.items).toEqual([]);
    expect(stderr).toMatch(/platform-only/);
    const csv = readFileSync(csvFile, 'utf8').split('\r\n');
    expect(csv[0]).toBe(
      '"userId","verdict","itemId","externalEventId","class","detail","newId","checkedAt","jobId"',
    );
    expect(csv.filter((l) => l.length > 0)).toHaveLength(doc.users.length + 1);
  });

  it('--filter runs a verification job kept in --data-dir; roster export then filters on its verdicts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'verify-cli-data-'));
    const keyed = { ...env(), CONSOLE_DATA_KEY: Buffer.alloc(32, 9).toString('base64') };
    const reportFile = join(dataDir, 'report.json');
    const planted = box.university.anomalies();
    const anomalyUser = planted.find((a) => a.class === 'missing')!.userId;
    const run = await cli(
      [
        'verify',
        '--filter',
        `q=${anomalyUser} status=migrated,legacy,reauth_pending,error`,
        '--json',
        '--out',
        reportFile,
        '--data-dir',
        dataDir,
        ...platform(),
        ...graph(),
      ],
      keyed,
    );
    expect(run.stderr).toMatch(/Job job_\w+ started/);
    const doc = JSON.parse(run.stdout) as {
      jobId: string;
      state: string;
      byVerdict: Record<string, number>;
      users: Array<{ userId: string; verdict: string; counts: Record<string, number>; jobId: string }>;
      items: Array<{ userId: string; class: string }>;
    };
    expect(doc.state).toBe('completed');
    expect(doc.users.map((u) => u.userId)).toEqual([anomalyUser]);
    expect(doc.users[0]).toMatchObject({ verdict: 'anomalies', jobId: doc.jobId });
    expect(doc.users[0]!.counts['missing']).toBeGreaterThan(0);
    expect(doc.byVerdict['anomalies']).toBe(1);
    expect(doc.items.some((i) => i.class === 'missing')).toBe(true);
    expect(JSON.parse(readFileSync(reportFile, 'utf8'))).toEqual(doc);

    // The same journal answers the Users filter language: verdict=missing is that user, and only them.
    const exported = join(dataDir, 'missing.csv');
    const exportRun = await cli(
      [
        'roster',
        'export',
        '--filter',
        'verdict=missing',
        '--out',
        exported,
        '--data-dir',
        dataDir,
        '--json',
        ...platform(),
      ],
      keyed,
    );
    expect(exportRun.code, exportRun.stderr).toBe(0);
    const rows = readFileSync(exported, 'utf8')
      .split('\r\n')
      .filter((line) => line !== '');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(anomalyUser);
    // And the report of that job again, as CSV, by its id.
    const csvOut = join(dataDir, 'again.csv');
    const again = await cli(
      ['verify', '--report', doc.jobId, '--out', csvOut, '--data-dir', dataDir, ...platform()],
      keyed,
    );
    expect(again.code).toBe(0);
    const table = readFileSync(csvOut, 'utf8')
      .split('\r\n')
      .filter((line) => line !== '');
    expect(table.length - 1).toBe(doc.items.filter((i) => i.userId === anomalyUser).length);
  }, 120_000);

  it('usage errors: neither or both of --user/--filter, a bad filter, half of the app trio', async () => {
    expect((await cli(['verify'])).code).toBe(2);
    expect((await cli(['verify', '--user', 'u', '--filter', 'status=legacy'])).code).toBe(2);
    expect((await cli(['verify', '--filter', 'colour=blue'])).code).toBe(2);
    const half = await cli(['verify', '--user', 'u', '--graph-tenant', 'contoso.onmicrosoft.com']);
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/go together/);
  });
});

describe('doctor', () => {
  it('--user EMAIL --json in demo mode: diagnosis with code, severity, explanation and next step', async () => {
    // Demo mode: the in-process sandbox; the demo university's error users include consent_revoked.
    const demo = await startSandbox({ users: 12_000, identity: false });
    const email = (
      (await (
        await fetch(`${demo.platformUrl}/connections?status=error&limit=200`, {
          headers: { authorization: `Bearer ${demo.apiKey}` },
        })
      ).json()) as { items: Array<{ email: string; lastError: { code: string } }> }
    ).items.find((c) => c.lastError.code === 'consent_revoked')!.email;
    await demo.close();
    const { code, stdout } = await cli(['doctor', '--user', email, '--json', '--verify']);
    const doc = JSON.parse(stdout) as {
      connection: { email: string };
      diagnoses: Array<{ code: string; severity: string; explanation: string; nextStep: string }>;
      latestVerification: { verdict: string; graphChecked: boolean } | null;
      supportSummary: string;
    };
    expect(doc.connection.email).toBe(email);
    expect(doc.diagnoses[0]).toMatchObject({ code: 'consent_revoked', severity: 'error' });
    expect(doc.diagnoses[0]?.nextStep).toMatch(/re-authorize/);
    // The demo's verifier app got a token through MSAL's client credentials and read the calendar.
    expect(
      doc.latestVerification?.graphChecked ?? doc.latestVerification?.verdict === 'no_items',
    ).toBeTruthy();
    expect(doc.supportSummary).not.toMatch(/https?:\/\//i);
    expect(code).toBe(1);
  }, 60_000);

  it('an unknown email is a clear not-found', async () => {
    const { code, stdout } = await cli(
      ['doctor', '--user', 'nobody@nowhere.example', '--json', ...platform()],
      env(),
    );
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ error: { code: 'not_found' } });
  });
});
