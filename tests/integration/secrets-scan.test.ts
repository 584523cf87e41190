import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodNames, type MethodName } from '../../shared/contract/index.ts';
import { CONSOLE_DATA_KEY_ENV, EnvKeyWrapper } from '../../electron/core/crypto/env-key-wrapper.ts';
import { createConfStore } from '../../electron/host/conf-store.ts';
import { createMemoryLogger } from '../../electron/core/log/logger.ts';
import type { Sandbox } from '../../electron/sandbox/index.ts';
import {
  createWireRecorder,
  makeCore,
  signInWithBrowser,
  startAuthSandbox,
  waitForAuth,
} from './auth-harness.ts';

/**
 * No token, key or secret leaves the main process: sentinel values are planted (a wrong API key,
 * a real one, a client secret pasted into the wrong field, every token the identity provider
 * issued, the data key), then every contract method is called and every reply, event, log line
 * and file under the data folder is searched for them.
 */

let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  sandbox = await startAuthSandbox();
  dir = mkdtempSync(join(tmpdir(), 'console-scan-'));
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Inputs that get past validation where a method takes some; `{}` elsewhere (its refusal is scanned too). */
const INPUTS: Partial<Record<MethodName, unknown>> = {
  'app.openExternal': { url: 'https://learn.microsoft.com/graph' },
  'preferences.set': { theme: 'dark' },
  'settings.update': { refreshIntervalMinutes: 10 },
  'roster.sync': { mode: 'incremental' },
};

describe('secrets never leave the main process', () => {
  it('finds no planted secret in any reply, event, log line or file', async () => {
    const dataKey = randomBytes(32).toString('base64');
    const recorder = createWireRecorder();
    const test = await makeCore(sandbox, {
      store: createConfStore(dir, createMemoryLogger()),
      recorder,
      capabilities: { keyWrapper: new EnvKeyWrapper({ [CONSOLE_DATA_KEY_ENV]: dataKey }), dataDir: dir },
    });
    const replies: string[] = [];
    const wrongKey = `sentinel-api-key-${randomBytes(12).toString('hex')}`;
    const clientSecret = `sentinel~client~secret~${randomBytes(12).toString('hex')}`;
    try {
      await signInWithBrowser(sandbox, test, 'director');
      await test.core.auth.accessToken();
      await test.call('auth.status');
      expect(recorder.secrets.size).toBeGreaterThanOrEqual(3);

      const refused = await test.call('settings.setPlatformKey', {
        platformUrl: sandbox.platformUrl,
        apiKey: wrongKey,
      });
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'bad_input', issues: [{ path: 'apiKey' }] },
      });
      const pasted = await test.call('settings.setSignIn', { clientId: clientSecret });
      expect(pasted).toMatchObject({
        ok: false,
        error: { code: 'bad_input', issues: [{ path: 'clientId' }] },
      });
      replies.push(JSON.stringify(refused), JSON.stringify(pasted));

      for (const name of methodNames) {
        if (name === 'auth.signOut' || name === 'auth.signIn') continue;
        replies.push(JSON.stringify(await test.call(name, INPUTS[name] ?? {})));
      }
      const saved = await test.call('settings.setPlatformKey', {
        platformUrl: sandbox.platformUrl,
        apiKey: sandbox.apiKey,
      });
      expect(saved).toMatchObject({
        ok: true,
        value: { platform: { key: { configured: true, endsWith: sandbox.apiKey.slice(-4) } } },
      });
      replies.push(JSON.stringify(saved));
      replies.push(JSON.stringify(await test.call('settings.get')));
      replies.push(JSON.stringify(await test.call('settings.exportDiagnostics')));
      await waitForAuth(test, (s) => s.state === 'signed-out');
      replies.push(JSON.stringify(await test.call('auth.signOut')));
    } finally {
      await test.core.dispose();
    }

    const sentinels = new Map<string, string>([
      ['wrong API key', wrongKey],
      ['platform API key', sandbox.apiKey],
      ['client secret', clientSecret],
      ['data key', dataKey],
      ...[...recorder.secrets].map(
        (secret, i) => [`identity provider secret #${i}`, secret] as [string, string],
      ),
    ]);
    const haystacks: [string, string][] = [
      ['replies', replies.join('\n')],
      ['events', test.events.map((e) => JSON.stringify(e)).join('\n')],
      ['log', test.logger.lines.join('')],
      ...filesUnder(dir).map((file) => [file, readFileSync(file, 'latin1')] as [string, string]),
    ];
    expect(haystacks.length).toBeGreaterThan(3);
    expect(test.logger.lines.length).toBeGreaterThan(5);
    for (const [where, text] of haystacks) {
      for (const [what, secret] of sentinels) {
        expect(text.includes(secret), `${what} found in ${where}`).toBe(false);
        // A token's signature alone is as good as a leak of the token.
        const tail = secret.split('.').at(-1) ?? secret;
        if (tail.length >= 16) expect(text.includes(tail), `${what} (tail) found in ${where}`).toBe(false);
      }
    }
  });
});
