import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuthStatus, DeviceCodePrompt } from '../../shared/contract/index.ts';
import { EnvKeyWrapper, CONSOLE_DATA_KEY_ENV } from '../../electron/core/crypto/env-key-wrapper.ts';
import { createConfStore } from '../../electron/host/conf-store.ts';
import { createMemoryLogger } from '../../electron/core/log/logger.ts';
import { form, rawRequest } from '../../electron/sandbox/identity/test-support.ts';
import type { Sandbox } from '../../electron/sandbox/index.ts';
import {
  advanceSandboxClock,
  completeBrowserSignIn,
  createWireRecorder,
  freePort,
  makeCore,
  nextEvent,
  signInWithBrowser,
  startAuthSandbox,
  waitForAuth,
  type TestCore,
} from './auth-harness.ts';

let sandbox: Sandbox;
const cores: TestCore[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  sandbox = await startAuthSandbox();
});
afterAll(() => sandbox.close());
afterEach(async () => {
  for (const test of cores.splice(0)) await test.core.dispose();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function core(options: Parameters<typeof makeCore>[1] = {}): Promise<TestCore> {
  const test = await makeCore(sandbox, options);
  cores.push(test);
  return test;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

async function submitDeviceCode(
  prompt: DeviceCodePrompt,
  choice: 'director' | 'support' | 'deny',
): Promise<void> {
  await rawRequest(prompt.verificationUri, {
    method: 'POST',
    ca: sandbox.caCertPem,
    ...form({ otc: prompt.userCode, choice }),
  });
}

describe('operator sign-in against the sandbox identity provider', () => {
  it('says what is allowed while nobody is signed in (the demo stays open), with the demo provider ready', async () => {
    const test = await core();
    const status = await waitForAuth(test, (s) => s.identity.kind === 'demo');
    expect(status).toMatchObject({
      state: 'signed-out',
      role: 'viewer',
      // The demo's people are invented: signed out may export them and keep views, never change settings.
      permissions: ['read', 'export', 'change-shared', 'sign-in-setup'],
      account: null,
    });
    expect(status.identity.authorityHost).toBe(new URL(sandbox.authorityUrl).host);
    expect((await test.call('settings.setPlatformKey', { platformUrl: null, apiKey: null })).ok).toBe(false);
  });

  it('signs in interactively (auth code + PKCE, loopback) as a director and shows a friendly landing page', async () => {
    const test = await core();
    const opened = nextEvent<{ url: string }>(test, 'auth.openUrl');
    const started = await test.call('auth.signIn', { flow: 'browser' });
    expect(started).toMatchObject({ ok: true, value: { state: 'signing-in', pending: { flow: 'browser' } } });
    const { url } = await opened;
    const authorize = new URL(url);
    expect(authorize.origin).toBe(new URL(sandbox.authorityUrl).origin);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(new URL(authorize.searchParams.get('redirect_uri') ?? '').hostname).toBe('localhost');
    const landing = await completeBrowserSignIn(sandbox, url, 'director');
    expect(landing).toContain('return to the Calendar Sync Migration Console');
    const status = await waitForAuth(test, (s) => s.state === 'signed-in');
    expect(status).toMatchObject({
      role: 'director',
      account: { username: 'career.director@demo-university.edu', appRoles: ['Migration.Director'] },
      pending: null,
      lastError: null,
    });
    expect(status.permissions).toContain('force-disconnect');
    expect(test.core.operator()).toMatchObject({ role: 'director' });
    expect(JSON.stringify(status)).not.toMatch(/eyJ/);
  });

  it('falls back to a free loopback port when the preferred one is taken', async () => {
    const port = await freePort();
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const test = await core({ preferredPort: port });
      const opened = nextEvent<{ url: string }>(test, 'auth.openUrl');
      await test.call('auth.signIn', { flow: 'browser' });
      const { url } = await opened;
      const redirect = new URL(new URL(url).searchParams.get('redirect_uri') ?? '');
      expect(Number(redirect.port)).not.toBe(port);
      await completeBrowserSignIn(sandbox, url, 'support');
      expect(await waitForAuth(test, (s) => s.state === 'signed-in')).toMatchObject({ role: 'support' });
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });

  it('refreshes silently with a rotated refresh token', async () => {
    const recorder = createWireRecorder();
    const test = await core({ recorder });
    await signInWithBrowser(sandbox, test, 'director');
    const before = recorder.secrets.size;
    const refreshed = await test.core.auth.accessToken();
    expect(refreshed.split('.')).toHaveLength(3);
    await (test.core as unknown as { auth: { refreshNow(): Promise<AuthStatus> } }).auth.refreshNow();
    expect(recorder.tokenRequests).toEqual(['authorization_code', 'refresh_token']);
    expect(recorder.secrets.size).toBeGreaterThan(before);
    expect(await test.status()).toMatchObject({ state: 'signed-in', role: 'director' });
  });

  it('asks to sign in again when the refresh token has expired, keeping the account as a hint', async () => {
    const test = await core();
    await signInWithBrowser(sandbox, test, 'support');
    await advanceSandboxClock(sandbox, 91 * 24 * 60);
    await (test.core as unknown as { auth: { refreshNow(): Promise<AuthStatus> } }).auth.refreshNow();
    const expired = await test.status();
    expect(expired).toMatchObject({
      state: 'expired',
      role: 'viewer',
      account: { username: 'career.support@demo-university.edu' },
      lastError: { code: 'session_expired', retryable: true },
    });
    expect(expired.permissions).toEqual(['read', 'export', 'change-shared', 'sign-in-setup']);
    await expect(test.core.auth.accessToken()).rejects.toMatchObject({ code: 'unauthorized' });
    const opened = nextEvent<{ url: string }>(test, 'auth.openUrl');
    await test.call('auth.signIn', { flow: 'browser' });
    const { url } = await opened;
    expect(new URL(url).searchParams.get('login_hint')).toBe('career.support@demo-university.edu');
    await completeBrowserSignIn(sandbox, url, 'support');
    expect(await waitForAuth(test, (s) => s.state === 'signed-in')).toMatchObject({
      role: 'support',
      lastError: null,
    });
  });

  it(
    'signs in with a device code (code + URL to the UI), and can be cancelled',
    { timeout: 60_000 },
    async () => {
      const test = await core();
      const prompted = nextEvent<DeviceCodePrompt>(test, 'auth.deviceCode');
      await test.call('auth.signIn', { flow: 'deviceCode' });
      const prompt = await prompted;
      expect(prompt.verificationUri).toBe(`${new URL(sandbox.authorityUrl).origin}/devicelogin`);
      expect((await test.status()).pending?.deviceCode?.userCode).toBe(prompt.userCode);
      await submitDeviceCode(prompt, 'support');
      expect(await waitForAuth(test, (s) => s.state === 'signed-in', 20_000)).toMatchObject({
        role: 'support',
        pending: null,
      });

      await test.call('auth.signOut');
      const again = nextEvent<DeviceCodePrompt>(test, 'auth.deviceCode');
      await test.call('auth.signIn', { flow: 'deviceCode' });
      await again;
      await test.call('auth.cancel');
      expect(await waitForAuth(test, (s) => s.lastError !== null)).toMatchObject({
        state: 'signed-out',
        lastError: { code: 'cancelled', retryable: true },
        pending: null,
      });
    },
  );

  it('reports a declined device code sign-in', { timeout: 40_000 }, async () => {
    const test = await core();
    const prompted = nextEvent<DeviceCodePrompt>(test, 'auth.deviceCode');
    await test.call('auth.signIn', { flow: 'deviceCode' });
    await submitDeviceCode(await prompted, 'deny');
    expect(await waitForAuth(test, (s) => s.lastError !== null, 20_000)).toMatchObject({
      state: 'signed-out',
      lastError: { code: 'consent_denied' },
    });
  });

  it('signs out: forgets the account and clears the token cache', async () => {
    const test = await core();
    await signInWithBrowser(sandbox, test, 'director');
    const out = await test.call('auth.signOut');
    expect(out).toMatchObject({ ok: true, value: { state: 'signed-out', account: null, role: 'viewer' } });
    await expect(test.core.auth.accessToken()).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('keeps the session across a restart, sealed, and unreadable without the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-auth-'));
    dirs.push(dir);
    const env = { [CONSOLE_DATA_KEY_ENV]: randomBytes(32).toString('base64') };
    const recorder = createWireRecorder();
    const store = () => createConfStore(dir, createMemoryLogger());
    const first = await core({
      store: store(),
      recorder,
      capabilities: { keyWrapper: new EnvKeyWrapper(env) },
    });
    expect((await first.status()).tokenCache).toEqual({ persisted: true, explanation: null });
    await signInWithBrowser(sandbox, first, 'director');
    await first.core.dispose();

    const written = filesUnder(dir)
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    expect(written).toContain('sealedSecrets');
    for (const secret of recorder.secrets) expect(written).not.toContain(secret);
    expect(written).not.toContain('career.director');

    const second = await core({ store: store(), capabilities: { keyWrapper: new EnvKeyWrapper(env) } });
    expect(await waitForAuth(second, (s) => s.state === 'signed-in')).toMatchObject({ role: 'director' });
    await second.core.dispose();

    const otherKey = { [CONSOLE_DATA_KEY_ENV]: randomBytes(32).toString('base64') };
    const third = await core({ store: store(), capabilities: { keyWrapper: new EnvKeyWrapper(otherKey) } });
    const locked = await waitForAuth(third, (s) => s.identity.kind === 'demo');
    expect(locked.state).toBe('signed-out');
    expect(locked.tokenCache.persisted).toBe(false);
    expect(locked.tokenCache.explanation).toMatch(/not the key they were sealed with/);

    const noKey = await core({ store: store(), capabilities: { keyWrapper: new EnvKeyWrapper({}) } });
    expect((await noKey.status()).tokenCache.explanation).toMatch(/memory only.*CONSOLE_DATA_KEY is not set/);
  });
});

describe('sign-in failures: a clear message and a way to retry', () => {
  it('consent denied in the browser', async () => {
    const test = await core();
    const opened = nextEvent<{ url: string }>(test, 'auth.openUrl');
    await test.call('auth.signIn', { flow: 'browser' });
    const landing = await completeBrowserSignIn(sandbox, (await opened).url, 'deny');
    expect(landing).toContain('Sign-in did not finish');
    const status = await waitForAuth(test, (s) => s.lastError !== null);
    expect(status).toMatchObject({
      state: 'signed-out',
      lastError: { code: 'consent_denied', retryable: true },
    });
    expect(status.lastError?.message).toMatch(/declined/);
    await signInWithBrowser(sandbox, test, 'director');
  });

  it('the browser is closed (timeout), then a retry on the same port works', async () => {
    const port = await freePort();
    const test = await core({ preferredPort: port, signInTimeoutMs: 1_000 });
    await test.call('auth.signIn', { flow: 'browser' });
    const status = await waitForAuth(test, (s) => s.lastError !== null);
    expect(status.lastError).toMatchObject({ code: 'timeout', retryable: true });
    expect(status.lastError?.message).toMatch(/browser closed/);
    expect((await test.call('auth.signIn', { flow: 'browser' })).ok).toBe(true);
    expect((await test.call('auth.signIn', { flow: 'browser' })).ok).toBe(false);
    await test.call('auth.cancel');
    expect((await waitForAuth(test, (s) => s.lastError !== null)).lastError?.code).toBe('cancelled');
  });

  it('a wrong client id', async () => {
    const test = await core();
    expect(await test.call('settings.setSignIn', { clientId: randomUUID() })).toMatchObject({ ok: true });
    await test.call('auth.signIn', { flow: 'deviceCode' });
    const status = await waitForAuth(test, (s) => s.lastError !== null);
    expect(status.lastError).toMatchObject({ code: 'wrong_client_id', retryable: false });
    expect(status.lastError?.message).toMatch(/client id/);
  });

  it('a wrong tenant', async () => {
    const test = await core();
    const origin = new URL(sandbox.authorityUrl).origin;
    await test.call('settings.setSignIn', { authority: `${origin}/${randomUUID()}` });
    await test.call('auth.signIn', { flow: 'browser' });
    const status = await waitForAuth(test, (s) => s.lastError !== null);
    expect(status.lastError).toMatchObject({ code: 'wrong_tenant', retryable: false });
    await test.call('settings.setSignIn', { authority: null });
    await signInWithBrowser(sandbox, test, 'director');
  });

  it('a tenant given by domain: roles count once its id is read from the OpenID metadata and matches the token', async () => {
    const test = await core();
    const origin = new URL(sandbox.authorityUrl).origin;
    await test.call('settings.setSignIn', { authority: `${origin}/demo-university.edu` });
    const status = await signInWithBrowser(sandbox, test, 'director');
    expect(status.role).toBe('director');
    expect(status.warning ?? '').not.toMatch(/roles were not accepted/);
    await test.call('settings.setSignIn', { authority: null });
  });

  it('the network goes down in the middle of the flow', async () => {
    const recorder = createWireRecorder();
    const test = await core({ recorder });
    const opened = nextEvent<{ url: string }>(test, 'auth.openUrl');
    await test.call('auth.signIn', { flow: 'browser' });
    const { url } = await opened;
    recorder.offline = true;
    await completeBrowserSignIn(sandbox, url, 'director');
    const status = await waitForAuth(test, (s) => s.lastError !== null);
    expect(status.lastError).toMatchObject({ code: 'network', retryable: true });
    recorder.offline = false;
    await signInWithBrowser(sandbox, test, 'director');
  });

  it('this computer’s clock is off: the sign-in works and the operator is told', async () => {
    const test = await core({
      capabilities: {
        auth: { preferredPort: await freePort(), now: () => new Date(Date.now() - 3 * 3600_000) },
      },
    });
    const status = await signInWithBrowser(sandbox, test, 'director');
    expect(status.warning).toMatch(/clock is about \d+ minutes behind/);
  });
});
