/**
 * Users view first paint. Prints ONE JSON document on stdout (bench/run.ts collects it).
 *
 * For a demo roster of 1,000 and of 100,000 users: the browser host (`scripts/serve.ts
 * --demo-users N`) in system Chromium with the e2e suite's flags, the roster synced first, then
 * the time from navigation start to the first Users rows painted (the first `roster-row` in the
 * DOM, plus one animation frame), median of several fresh page loads. The table asks only for a
 * window, so the ratio 100k / 1k should stay near 1 (target ≤ 1.5). Needs `npm run build` first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser } from '@playwright/test';

const ROOT = resolve(import.meta.dirname, '..');
const SIZES = [1_000, 100_000] as const;
const SAMPLES = 7;
const SYNC_TIMEOUT_MS = 5 * 60_000;
// The same flags as playwright.config.ts, so the figures match what the e2e suite drives.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};
const round = (ms: number): number => Math.round(ms * 10) / 10;

async function startHost(users: number, dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['scripts/serve.ts', '--port', '0', '--no-build', '--data-dir', dataDir, '--demo-users', String(users)],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(-4000)));
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the host printed no URL within 60 s\n${stderr}`)), 60_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^console url: (\S+)$/.exec(line.trim());
      if (match?.[1]) {
        clearTimeout(timer);
        ok(match[1]);
      }
    });
    child.once('exit', (code) =>
      fail(new Error(`the host exited (${code}) before printing its URL\n${stderr}`)),
    );
  });
  return { child, url };
}

async function stopHost(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function measure(
  browser: Browser,
  users: number,
): Promise<{ users: number; syncMs: number; samplesMs: number[] }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'first-paint-'));
  const { child, url } = await startHost(users, dataDir);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const origin = new URL(url).origin;
    const page = await context.newPage();
    await page.goto(url); // the one-time token becomes the session cookie
    // Wait for the host's start-up sync, so the figure is the table's, not the download's.
    const started = Date.now();
    for (;;) {
      const reply = await context.request.post(`${origin}/api/invoke/roster.status`, {
        data: {},
        headers: { origin },
      });
      const body = (await reply.json()) as { ok: boolean; value?: { rowCount: number; running: unknown } };
      if (body.ok && body.value && body.value.running === null && body.value.rowCount === users) break;
      if (Date.now() - started > SYNC_TIMEOUT_MS)
        throw new Error(`the roster of ${users} did not sync within ${SYNC_TIMEOUT_MS / 1000} s`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const syncMs = Date.now() - started;
    await page.addInitScript({
      content: `new MutationObserver((_, observer) => {
        if (document.querySelector('[data-testid="roster-row"]')) {
          observer.disconnect();
          requestAnimationFrame(() => { window.__firstRowsAt = performance.now(); });
        }
      }).observe(document, { childList: true, subtree: true });`,
    });
    const samplesMs: number[] = [];
    // One warm-up load (HTTP cache, the host's JIT), then the measured ones.
    for (let i = 0; i <= SAMPLES; i += 1) {
      await page.goto(`${origin}/?sample=${i}#/users`);
      // Polled with evaluate (CDP, outside the page's CSP): waitForFunction builds its predicate with
      // eval inside the page, which the console's CSP (no 'unsafe-eval') refuses. The figure is the
      // page's own timestamp, so the polling interval does not enter it. Strings, not functions:
      // this file is type-checked without the DOM library.
      const deadline = Date.now() + 30_000;
      let stamp: unknown = undefined;
      while (typeof stamp !== 'number') {
        if (Date.now() > deadline) throw new Error(`no rows painted within 30 s (${users} users)`);
        await new Promise((r) => setTimeout(r, 20));
        stamp = await page.evaluate(`window.__firstRowsAt`);
      }
      const at = stamp;
      if (i > 0) samplesMs.push(round(at));
    }
    return { users, syncMs, samplesMs };
  } finally {
    await context.close();
    await stopHost(child);
    await rm(dataDir, { recursive: true, force: true });
  }
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  const results = [];
  for (const users of SIZES) results.push(await measure(browser, users));
  const [small, large] = results.map((r) => median(r.samplesMs));
  const ratio = small && large ? Math.round((large / small) * 100) / 100 : null;
  console.log(
    JSON.stringify(
      {
        metric: 'time from navigation start to the first Users rows painted (median of fresh loads)',
        samples: SAMPLES,
        results: results.map((r) => ({
          users: r.users,
          medianMs: round(median(r.samplesMs)),
          samplesMs: r.samplesMs,
          rosterSyncMs: r.syncMs,
        })),
        ratio100kTo1k: ratio,
        target: 1.5,
        withinTarget: ratio !== null && ratio <= 1.5,
      },
      null,
      2,
    ),
  );
} finally {
  await browser.close();
}
