import {
  ConfidentialClientApplication,
  LogLevel,
  PublicClientApplication,
  type Configuration,
} from '@azure/msal-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrustedNetworkClient } from '../../core/auth/trusted-network-client.ts';
import { startIdentityProvider, type IdentityProvider } from './index.ts';
import { decodeJwtClaims, form, rawRequest, readForm } from './test-support.ts';

/**
 * The real @azure/msal-node against the sandbox identity provider. MSAL is pointed at the sandbox
 * by authority metadata + cloud discovery metadata + knownAuthorities, and every request goes
 * through the trusted network client, which refuses anything but the sandbox's certificate: no
 * Microsoft host can be contacted, and the test fails if MSAL tries.
 */

const clock = new Date();
let idp: IdentityProvider;
const contacted: string[] = [];

beforeAll(async () => {
  idp = await startIdentityProvider({ now: () => clock, deviceCodeIntervalSeconds: 1 });
});
afterAll(() => idp.close());

function msalConfig(clientId: string, clientSecret?: string): Configuration {
  const trusted = createTrustedNetworkClient({ caPem: idp.caCertPem, timeoutMs: 10_000 });
  return {
    auth: {
      clientId,
      ...(clientSecret ? { clientSecret } : {}),
      authority: idp.msal.authority,
      knownAuthorities: idp.msal.knownAuthorities,
      authorityMetadata: idp.msal.authorityMetadata,
      cloudDiscoveryMetadata: idp.msal.cloudDiscoveryMetadata,
    },
    system: {
      loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => undefined },
      networkClient: {
        sendGetRequestAsync: (url, options, timeout) => {
          contacted.push(new URL(url).host);
          return trusted.sendGetRequestAsync(url, options, timeout);
        },
        sendPostRequestAsync: (url, options) => {
          contacted.push(new URL(url).host);
          return trusted.sendPostRequestAsync(url, options);
        },
      },
    },
  };
}

describe('MSAL Node against the sandbox identity provider', () => {
  it('acquires an app-only token with client credentials and serves the second call from cache', async () => {
    const cca = new ConfidentialClientApplication(
      msalConfig(idp.clients.verifier.clientId, idp.clients.verifier.clientSecret),
    );
    const result = await cca.acquireTokenByClientCredential({
      scopes: ['https://graph.microsoft.com/.default'],
    });
    expect(result?.accessToken).toBeTruthy();
    expect(idp.verifyAccessToken(result?.accessToken ?? '')).toMatchObject({
      ok: true,
      claims: { roles: ['Calendars.Read'], idtyp: 'app' },
    });
    const again = await cca.acquireTokenByClientCredential({
      scopes: ['https://graph.microsoft.com/.default'],
    });
    expect(again?.accessToken).toBe(result?.accessToken);

    const wrong = new ConfidentialClientApplication(
      msalConfig(idp.clients.verifier.clientId, 'not-the-secret'),
    );
    await expect(
      wrong.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }),
    ).rejects.toMatchObject({ errorCode: 'invalid_client' });
  });

  it('signs in with device code, driving the verification page like a person', async () => {
    const pca = new PublicClientApplication(msalConfig(idp.clients.console.clientId));
    const result = await pca.acquireTokenByDeviceCode({
      scopes: ['User.Read', 'Mail.Send'],
      deviceCodeCallback: (response) => {
        void rawRequest(response.verificationUri, {
          method: 'POST',
          ca: idp.caCertPem,
          ...form({ otc: response.userCode, choice: 'support' }),
        });
      },
    });
    expect(result?.account?.username).toBe('career.support@demo-university.edu');
    expect(result?.idTokenClaims).toMatchObject({ roles: ['Migration.Support'] });
    expect(result?.scopes).toEqual(expect.arrayContaining(['User.Read', 'Mail.Send']));
  });

  it('signs in interactively with auth code + PKCE through the loopback listener, then refreshes silently', async () => {
    const pca = new PublicClientApplication(msalConfig(idp.clients.console.clientId));
    const result = await pca.acquireTokenInteractive({
      scopes: ['User.Read', 'Mail.Send'],
      loginHint: 'career.director@demo-university.edu',
      // Stands in for the system browser: load the page, choose, deliver the form_post to MSAL.
      openBrowser: async (url) => {
        const authorizeUrl = new URL(url);
        expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
        const page = await rawRequest(url, { ca: idp.caCertPem });
        const signIn = readForm(page.text);
        const handoff = await rawRequest(new URL(signIn.action, idp.origin).toString(), {
          method: 'POST',
          ca: idp.caCertPem,
          ...form({ ...signIn.fields, choice: 'director' }),
        });
        const toApp = readForm(handoff.text);
        expect(new URL(toApp.action).hostname).toBe('localhost');
        await rawRequest(toApp.action, { method: 'POST', ...form(toApp.fields) });
      },
    });
    expect(result.account?.username).toBe('career.director@demo-university.edu');
    expect(result.idTokenClaims).toMatchObject({
      roles: ['Migration.Director'],
      aud: idp.clients.console.clientId,
    });
    expect(decodeJwtClaims(result.accessToken)).toMatchObject({
      scp: 'User.Read Mail.Send',
      aud: 'https://graph.microsoft.com',
    });

    const refreshed = await pca.acquireTokenSilent({
      account: result.account!,
      scopes: ['User.Read'],
      forceRefresh: true,
    });
    expect(refreshed.accessToken).not.toBe(result.accessToken);
    expect(refreshed.account?.homeAccountId).toBe(result.account?.homeAccountId);

    const denied = pca.acquireTokenInteractive({
      scopes: ['User.Read'],
      openBrowser: async (url) => {
        const page = await rawRequest(url, { ca: idp.caCertPem });
        const signIn = readForm(page.text);
        const handoff = await rawRequest(new URL(signIn.action, idp.origin).toString(), {
          method: 'POST',
          ca: idp.caCertPem,
          ...form({ ...signIn.fields, choice: 'deny' }),
        });
        const toApp = readForm(handoff.text);
        await rawRequest(toApp.action, { method: 'POST', ...form(toApp.fields) });
      },
    });
    await expect(denied).rejects.toMatchObject({ errorCode: 'access_denied' });
  });

  it('never contacted a host other than the sandbox', () => {
    expect(contacted.length).toBeGreaterThan(0);
    expect(new Set(contacted)).toEqual(new Set([`localhost:${idp.port}`]));
  });
});
