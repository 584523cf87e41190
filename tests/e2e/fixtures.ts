import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { test as base, expect, type Page } from '@playwright/test';
import type { AppInfo, ThemeName } from '../../shared/contract/index.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const NODE = join(ROOT, 'node_modules/.bin/node');
/** Overridable so the suite can run against another host entry point (e.g. a packaged one). */
const SERVE_SCRIPT = process.env.CONSOLE_E2E_SERVE_SCRIPT ?? 'scripts/serve.ts';
const URL_LINE = /^console url: (\S+)$/;
const START_TIMEOUT_MS = 20_000;

export interface ConsoleHost {
  /** `http://127.0.0.1:<port>`: the page's own origin. */
  origin: string;
  dataDir: string;
  /** The URL the host printed; its token opens one session, once. */
  oneTimeUrl: string;
}

interface WorkerFixtures {
  consoleHost: ConsoleHost;
  /** Path of a storage state holding the session cookie opened with the host's one-time URL. */
  sessionState: string;
}

interface TestFixtures {
  /** Fails the test on any console error, uncaught exception or CSP violation in the page. */
  pageProblems: string[];
  /** What the host's app.info answers, asked over the same session the page uses. */
  hostInfo: () => Promise<AppInfo>;
  /** Saves preferences through the contract (as the Settings page does), e.g. before a page loads. */
  savePreferences: (change: { theme?: ThemeName; navCollapsed?: boolean }) => Promise<void>;
  /** Puts the host's preferences back to their defaults, signed out, so tests in one worker do not leak. */
  freshPreferences: void;
}

function waitForUrl(child: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => {
      reject(
        new Error(
          `${SERVE_SCRIPT} printed no "console url:" line within ${START_TIMEOUT_MS} ms.\n${stderr()}`,
        ),
      );
    }, START_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = URL_LINE.exec(line.trim());
      if (!match?.[1]) return;
      clearTimeout(timer);
      lines.close();
      resolveUrl(match[1]);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${SERVE_SCRIPT} exited (${code ?? signal}) before printing its URL.\n${stderr()}`));
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

const SANDBOXED_PREVIEW_REFUSAL =
  /^Blocked script execution in 'about:srcdoc' because the document's frame is sandboxed and the 'allow-scripts' permission is not set\.$/;

export const test = base.extend<TestFixtures, WorkerFixtures>({
  consoleHost: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's dependencies from this pattern.
    async ({}, use) => {
      const dataDir = await mkdtemp(join(tmpdir(), 'console-e2e-'));
      const child = spawn(NODE, [SERVE_SCRIPT, '--port', '0', '--no-build', '--data-dir', dataDir], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (chunk: string) => {
        // Keep the tail only: enough to explain a failed start, bounded for a long run.
        stderr = (stderr + chunk).slice(-8_000);
      });
      try {
        const url = await waitForUrl(child, () => stderr);
        await use({ origin: new URL(url).origin, dataDir, oneTimeUrl: url });
      } finally {
        await stop(child);
        await rm(dataDir, { recursive: true, force: true });
      }
    },
    { scope: 'worker', timeout: 30_000 },
  ],

  sessionState: [
    async ({ consoleHost, browser }, use) => {
      // The URL's token works once: open it in a throwaway context and keep the session cookie for
      // every test of this worker.
      const context = await browser.newContext();
      const page = await context.newPage();
      const response = await page.goto(consoleHost.oneTimeUrl);
      expect(response?.ok(), 'the one-time URL opens the console').toBe(true);
      expect(new URL(page.url()).pathname).toBe('/');
      const path = join(consoleHost.dataDir, 'e2e-storage-state.json');
      await context.storageState({ path });
      await context.close();
      await use(path);
    },
    { scope: 'worker' },
  ],

  storageState: async ({ sessionState }, use) => use(sessionState),
  baseURL: async ({ consoleHost }, use) => use(consoleHost.origin),

  hostInfo: async ({ context, consoleHost }, use) => {
    await use(async () => {
      const reply = await context.request.post(`${consoleHost.origin}/api/invoke/app.info`, {
        data: {},
        headers: { origin: consoleHost.origin },
      });
      expect(reply.ok(), `app.info: ${reply.status()}`).toBe(true);
      return ((await reply.json()) as { value: AppInfo }).value;
    });
  },

  savePreferences: async ({ context, consoleHost }, use) => {
    await use(async (change) => {
      // The request context shares the browser context's session cookie; the host wants an Origin
      // on every state-changing POST.
      const reply = await context.request.post(`${consoleHost.origin}/api/invoke/preferences.set`, {
        data: change,
        headers: { origin: consoleHost.origin },
      });
      expect(reply.ok(), `saving preferences: ${reply.status()} ${await reply.text()}`).toBe(true);
    });
  },

  freshPreferences: [
    async ({ savePreferences, context, consoleHost }, use) => {
      await savePreferences({ theme: 'system', navCollapsed: false });
      // Tests of one worker share a host: each starts signed out, whatever the test before it did.
      const reply = await context.request.post(`${consoleHost.origin}/api/invoke/auth.signOut`, {
        data: {},
        headers: { origin: consoleHost.origin },
      });
      expect(reply.ok(), `signing out: ${reply.status()} ${await reply.text()}`).toBe(true);
      await use();
    },
    { auto: true },
  ],

  pageProblems: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('console', (message) => {
        // Announcements' preview is a sandboxed frame that runs no script; Playwright's own tracing
        // scripts are refused there, and Chromium says so. That refusal is the sandbox working.
        if (message.type() === 'error' && !SANDBOXED_PREVIEW_REFUSAL.test(message.text()))
          problems.push(`console error: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
      await page.exposeBinding('__reportCspViolation', (_source, text: string) => {
        problems.push(`CSP violation: ${text}`);
      });
      // Chromium also logs violations as console errors; the event adds the blocked URI and directive.
      // A string, not a function: this file is type-checked without the DOM library.
      await page.addInitScript({
        content: `document.addEventListener('securitypolicyviolation', (event) => {
          window.__reportCspViolation?.(event.violatedDirective + ' blocked ' + (event.blockedURI || '(inline)') + ' at ' + event.sourceFile + ':' + event.lineNumber);
        });`,
      });
      await use(problems);
      expect(problems, 'the page logged errors or broke its CSP').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** The three themes the console paints ('system' resolves to one of them). */
export const PAINTED_THEMES = ['light', 'dark', 'high-contrast'] as const;

/** Opens a route and waits until the shell has painted the page's heading. */
export async function openConsole(page: Page, hash = '#/dashboard'): Promise<void> {
  await page.goto(`/${hash}`);
  await expect(page.locator('h1')).toBeVisible();
}
