import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from './test-support/run-cli.ts';

/** Issue 10 through the CLI as users run it: deadlines, where a key may go, and keys never echoed. */

const cli = runCliProcess;

/** A platform that accepts connections and never answers. */
let hung: Server;
let hungUrl = '';
beforeAll(async () => {
  hung = createServer(() => undefined);
  await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
  hungUrl = `http://127.0.0.1:${(hung.address() as AddressInfo).port}/api/calendar-sync/v1`;
});
afterAll(async () => {
  hung.closeAllConnections();
  await new Promise<void>((resolve) => hung.close(() => resolve()));
});

describe('cli limits', () => {
  it('stops a command against a hung platform at its --deadline and says what happened', async () => {
    const run = await cli(
      ['migration', '--platform-url', hungUrl, '--platform-key-env', 'K', '--deadline', '2'],
      {
        K: 'key-123456',
      },
    );
    expect(run.code).toBe(1);
    expect(run.ms).toBeLessThan(8_000);
    expect(run.stderr).toMatch(/within the deadline of 2 s/);
    expect(run.stderr).not.toMatch(/within 15 s/);
  }, 20_000);

  it('stops "roster sync" against a hung platform at its --deadline (the sync worker gets it too)', async () => {
    const run = await cli(
      ['roster', 'sync', '--platform-url', hungUrl, '--platform-key-env', 'K', '--deadline', '3'],
      { K: 'key-123456' },
    );
    expect(run.code).toBe(1);
    expect(run.ms).toBeLessThan(12_000);
    expect(run.stderr).toMatch(/full roster sync failed: .*deadline of 3 s/);
    expect(run.stderr).not.toMatch(/within 15 s|could not be cloned/);
  }, 30_000);

  it('gives roster commands a longer default deadline, and says so in the help', async () => {
    const run = await cli(['roster', 'sync', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/roster commands: 1800/);
  });

  it.each(['http://careers.example.edu/api/calendar-sync/v1', 'http://192.168.1.20/api'])(
    'refuses to send the key over plain http to %s',
    async (url) => {
      const run = await cli(['migration', '--platform-url', url, '--platform-key-env', 'K'], {
        K: 'key-123456',
      });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/--platform-url: .*https:\/\/.*unencrypted/);
    },
  );

  it('never prints a key that holds a line break, in text or JSON', async () => {
    for (const json of [false, true]) {
      const run = await cli(
        ['migration', '--platform-url', hungUrl, '--platform-key-env', 'K', ...(json ? ['--json'] : [])],
        { K: 'abc123SECRET\nSECRETTAIL' },
      );
      expect(run.code).toBe(1);
      expect(run.stderr + run.stdout).not.toMatch(/SECRET|abc123/);
      expect(run.stderr).toMatch(/API key contains characters no key has/);
    }
  }, 20_000);
});
