import type { INetworkModule } from '@azure/msal-node';
import { authorityTenant, isTenantId } from './roles.ts';

/**
 * The tenant id behind an authority that names its tenant by domain (`…/contoso.onmicrosoft.com`):
 * the authority's OpenID metadata gives the issuer `https://login.microsoftonline.com/<tenant id>/v2.0`.
 * Read through the same network client as sign-in (the demo's pinned certificate, bounded replies).
 * Null when it cannot be read or does not name exactly one tenant id; the caller then grants no roles.
 */
export async function resolveTenantId(authority: string, network: INetworkModule): Promise<string | null> {
  const tenant = authorityTenant(authority);
  if (isTenantId(tenant)) return tenant;
  try {
    const reply = await network.sendGetRequestAsync<unknown>(
      `${authority.replace(/\/+$/, '')}/v2.0/.well-known/openid-configuration`,
    );
    if (reply.status !== 200) return null;
    const body = typeof reply.body === 'string' ? (JSON.parse(reply.body) as unknown) : reply.body;
    const issuer = (body as { issuer?: unknown } | null)?.issuer;
    if (typeof issuer !== 'string') return null;
    const segments = new URL(issuer).pathname.split('/').filter(Boolean);
    const id = segments[0]?.toLowerCase() ?? '';
    return isTenantId(id) ? id : null;
  } catch {
    return null;
  }
}
