import type { INetworkModule } from '@azure/msal-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdentityProvider, type IdentityProvider } from '../../sandbox/identity/index.ts';
import { resolveTenantId } from './tenant-id.ts';
import { createTrustedNetworkClient } from './trusted-network-client.ts';

let idp: IdentityProvider;
let network: INetworkModule;
beforeAll(async () => {
  idp = await startIdentityProvider({ domain: 'demo-university.edu', now: () => new Date() });
  network = createTrustedNetworkClient({ caPem: idp.caCertPem, timeoutMs: 5_000 });
});
afterAll(() => idp.close());

/** A network that answers every GET with the given status and body. */
function answering(status: number, body: unknown): INetworkModule {
  return {
    sendGetRequestAsync: async <T>() => ({ status, headers: {}, body: body as T }),
    sendPostRequestAsync: async () => {
      throw new Error('no POST here');
    },
  };
}

describe('the tenant id behind a sign-in tenant given by domain', () => {
  it("reads it from the identity provider's OpenID metadata (the issuer names the tenant id)", async () => {
    expect(await resolveTenantId(`${idp.origin}/demo-university.edu`, network)).toBe(
      idp.tenantId.toLowerCase(),
    );
    expect(await resolveTenantId(`${idp.origin}/Demo-University.edu/`, network)).toBe(
      idp.tenantId.toLowerCase(),
    );
  });

  it('a tenant id is its own, without asking', async () => {
    const id = '11111111-1111-4111-8111-111111111111';
    expect(await resolveTenantId(`https://login.microsoftonline.com/${id}`, answering(500, null))).toBe(id);
  });

  it('is null when the metadata cannot be read or names no single tenant id', async () => {
    expect(await resolveTenantId(`${idp.origin}/unknown.example.edu`, network)).toBeNull();
    const authority = 'https://login.microsoftonline.com/contoso.onmicrosoft.com';
    expect(
      await resolveTenantId(
        authority,
        answering(200, { issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0' }),
      ),
    ).toBeNull();
    expect(await resolveTenantId(authority, answering(200, '<html>portal</html>'))).toBeNull();
    expect(await resolveTenantId(authority, answering(200, { issuer: 42 }))).toBeNull();
    const unreachable: INetworkModule = {
      sendGetRequestAsync: () => Promise.reject(new Error('ECONNREFUSED')),
      sendPostRequestAsync: () => Promise.reject(new Error('ECONNREFUSED')),
    };
    expect(await resolveTenantId(authority, unreachable)).toBeNull();
    expect(
      await resolveTenantId(
        authority,
        answering(200, {
          issuer: 'https://login.microsoftonline.com/22222222-2222-4222-8222-222222222222/v2.0',
        }),
      ),
    ).toBe('22222222-2222-4222-8222-222222222222');
  });
});
