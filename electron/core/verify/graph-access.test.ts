import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretVault } from '../auth/secret-vault.ts';
import { CONSOLE_DATA_KEY_ENV, EnvKeyWrapper } from '../crypto/env-key-wrapper.ts';
import { createMemoryLogger } from '../log/logger.ts';
import { startSandbox, type Sandbox } from '../../sandbox/index.ts';
import { demoIdentity } from '../../sandbox/demo.ts';
import { VerificationAccess, VERIFY_ACCESS_STORE_KEY } from './graph-access.ts';

class MemoryStore {
  readonly data = new Map<string, unknown>();
  get(key: string): unknown {
    return this.data.get(key);
  }
  set(key: string, value: unknown): void {
    this.data.set(key, value);
  }
}

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ users: 50 });
});
afterAll(() => sandbox.close());

function access(store = new MemoryStore(), demo = true) {
  const logger = createMemoryLogger();
  const vault = new SecretVault({
    store,
    keyWrapper: new EnvKeyWrapper({ [CONSOLE_DATA_KEY_ENV]: randomBytes(32).toString('base64') }),
    logger,
  });
  const a = new VerificationAccess({
    store,
    vault,
    logger,
    demo: () =>
      demo
        ? {
            graphUrl: sandbox.graphUrl,
            identity: demoIdentity(sandbox.authorityUrl, sandbox.caCertPem),
            verifier: sandbox.graphClient,
          }
        : null,
  });
  return { a, store, logger };
}

describe('VerificationAccess', () => {
  it('in demo mode gets an app token for the verifier through MSAL client credentials', async () => {
    const { a } = access();
    expect(a.state().kind).toBe('demo');
    const resolved = a.resolve();
    if (resolved.kind === 'none') throw new Error(resolved.reason);
    const token = await resolved.tokens.getAccessToken();
    const reply = await fetch(`${resolved.graphUrl}/users/nobody@demo-university.edu/calendar`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(reply.status).toBe(404); // the token is accepted; the user does not exist
    expect(a.resolve()).toBe(resolved); // one MSAL client (and token cache) per configuration
  });

  it('keeps the secret sealed, never in the settings or the state, and a wrong secret is a clear error', async () => {
    const { a, store, logger } = access();
    const secret = 'not-the-verifier-secret-1234';
    const state = a.set({
      tenant: sandbox.authorityUrl,
      clientId: sandbox.graphClient.clientId,
      clientSecret: secret,
    });
    expect(state).toMatchObject({
      kind: 'configured',
      credential: 'secret',
      secret: { configured: true, endsWith: '1234' },
    });
    expect(JSON.stringify(state)).not.toContain(secret);
    expect(JSON.stringify([...store.data.values()])).not.toContain(secret);
    expect(store.data.get(VERIFY_ACCESS_STORE_KEY)).toMatchObject({ credential: 'secret' });
    const resolved = a.resolve();
    if (resolved.kind === 'none') throw new Error(resolved.reason);
    await expect(resolved.tokens.getAccessToken()).rejects.toThrow(
      /invalid_client|could not get a Graph token/,
    );
    expect(logger.lines.join('')).not.toContain(secret);
    // The right secret works against the same (demo) authority.
    a.set({
      tenant: sandbox.authorityUrl,
      clientId: sandbox.graphClient.clientId,
      clientSecret: sandbox.graphClient.clientSecret,
    });
    const fixed = a.resolve();
    if (fixed.kind === 'none') throw new Error(fixed.reason);
    expect(await fixed.tokens.getAccessToken()).toMatch(/^ey/);
    expect(a.set({ clear: true }).kind).toBe('demo');
  });

  it('without demo or settings: none, saying where to set it up', () => {
    const { a } = access(new MemoryStore(), false);
    expect(a.state().kind).toBe('none');
    const resolved = a.resolve();
    expect(resolved.kind).toBe('none');
    if (resolved.kind === 'none') expect(resolved.reason).toMatch(/Settings → Verification/);
  });
});
