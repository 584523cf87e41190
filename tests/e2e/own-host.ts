import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, type Browser, type Page } from '@playwright/test';

/**
 * For specs that need a browser host of their own (their own flags, environment or data folder,
 * or a change that would disturb the shared per-worker host of fixtures.ts).
 */

export const ROOT = resolve(import.meta.dirname, '../..');
const NODE = join(ROOT, 'node_modules/.bin/node');

export interface Started {
  child: ChildProcess;
  line: string;
}

/** Spawns a project script and resolves with its first stdout line. */
export function startScript(args: string[], env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(NODE, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-8_000)));
  return new Promise((resolveLine, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start.\n${stderr}`)), 30_000);
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolveLine({ child, line: line.trim() });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args[0]} exited (${code}) before it was ready.\n${stderr}`));
    });
  });
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Opens the host's one-time URL in a fresh context and returns the page on the console. */
export async function openHost(browser: Browser, url: string, problems: string[]): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  await page.goto(url);
  await expect(page.locator('h1')).toBeVisible();
  await page.goto(`${new URL(url).origin}/#/users`);
  await expect(page.locator('h1')).toHaveText('Users');
  return page;
}
