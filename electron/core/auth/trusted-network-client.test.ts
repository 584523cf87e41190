import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdentityProvider, type IdentityProvider } from '../../sandbox/identity/index.ts';
import { generateLocalhostCertificate } from '../../sandbox/identity/tls-certificate.ts';
import { createTrustedNetworkClient } from './trusted-network-client.ts';

let idp: IdentityProvider;
beforeAll(async () => {
  idp = await startIdentityProvider({ now: () => new Date() });
});
afterAll(() => idp.close());

describe('trusted network client', () => {
  it('talks to a server presenting the trusted certificate and returns lower-case headers and parsed JSON', async () => {
    const client = createTrustedNetworkClient({ caPem: idp.caCertPem });
    const res = await client.sendGetRequestAsync<{ issuer: string }>(
      `${idp.authorityUrl}/v2.0/.well-known/openid-configuration`,
    );
    expect(res.status).toBe(200);
    expect(res.body.issuer).toBe(`${idp.authorityUrl}/v2.0`);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const post = await client.sendPostRequestAsync<{ error: string }>(
      `${idp.authorityUrl}/oauth2/v2.0/token`,
      {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_id=x',
      },
    );
    expect(post.status).toBe(400);
    expect(post.body.error).toBe('unauthorized_client');
  });

  it('refuses a server whose certificate it was not given, and plain http', async () => {
    const other = await generateLocalhostCertificate();
    const client = createTrustedNetworkClient({ caPem: other.certPem });
    await expect(
      client.sendGetRequestAsync(`${idp.authorityUrl}/v2.0/.well-known/openid-configuration`),
    ).rejects.toThrow(/certificate|self[- ]signed/i);
    await expect(client.sendGetRequestAsync('http://localhost:1/x')).rejects.toThrow(/non-https/);
    expect(() => createTrustedNetworkClient({ caPem: 'not a pem' })).toThrow(/PEM/);
  });
});
