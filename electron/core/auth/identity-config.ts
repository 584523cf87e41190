import { createHash } from 'node:crypto';

/** What the demo sandbox's identity provider gives MSAL so it never contacts Microsoft. */
export interface DemoIdentity {
  /** https://localhost:<port>/<tenantId> */
  authority: string;
  clientId: string;
  /** The one certificate to trust for it. */
  caPem: string;
  knownAuthorities: string[];
  authorityMetadata: string;
  cloudDiscoveryMetadata: string;
}

/** The operator's sign-in settings (null: not configured). */
export interface SignInConfig {
  authority: string | null;
  clientId: string | null;
  scopes: string[];
}

export interface ResolvedIdentity {
  kind: 'demo' | 'entra';
  authority: string;
  clientId: string;
  scopes: string[];
  /** Demo only: the pinned CA and the metadata that keeps MSAL off Microsoft's network. */
  caPem: string | null;
  knownAuthorities: string[];
  authorityMetadata: string | null;
  cloudDiscoveryMetadata: string | null;
  /** Changes whenever tokens from the old configuration stop being valid for the new one. */
  fingerprint: string;
}

export type IdentityResolution = ResolvedIdentity | { kind: 'none'; detail: string };

export const ENTRA_AUTHORITY_HOST = 'https://login.microsoftonline.com';

/** Tenant id, tenant domain or a full authority URL → the authority URL MSAL wants. */
export function authorityUrl(tenantOrAuthority: string): string {
  const text = tenantOrAuthority.trim();
  if (/^https:\/\//i.test(text)) return text.replace(/\/+$/, '');
  return `${ENTRA_AUTHORITY_HOST}/${text}`;
}

function fingerprint(parts: string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

/**
 * Which identity provider a sign-in talks to. Configured settings win; with none, the running demo
 * sandbox's provider stands in for Entra ID. A configured authority on the demo's own host is
 * still the demo (so its certificate is trusted), which lets an operator try a wrong tenant or
 * client id against it and see the same errors Entra would give.
 */
export function resolveIdentity(config: SignInConfig, demo: DemoIdentity | null): IdentityResolution {
  const configured = config.authority === null ? null : authorityUrl(config.authority);
  const demoOrigin = demo ? new URL(demo.authority).origin : null;
  if (demo && (configured === null || new URL(configured).origin === demoOrigin)) {
    const authority = configured ?? demo.authority;
    const clientId = config.clientId ?? demo.clientId;
    const sameAuthority = authority === demo.authority;
    return {
      kind: 'demo',
      authority,
      clientId,
      scopes: config.scopes,
      caPem: demo.caPem,
      knownAuthorities: demo.knownAuthorities,
      // The preloaded metadata describes the demo tenant only; another tenant is discovered (and refused) live.
      authorityMetadata: sameAuthority ? demo.authorityMetadata : null,
      cloudDiscoveryMetadata: demo.cloudDiscoveryMetadata,
      fingerprint: fingerprint(['demo', authority, clientId, demo.caPem]),
    };
  }
  if (configured === null || config.clientId === null) {
    return {
      kind: 'none',
      detail:
        'Sign-in is not set up: enter your Microsoft tenant and the console’s application (client) id in Settings.',
    };
  }
  return {
    kind: 'entra',
    authority: configured,
    clientId: config.clientId,
    scopes: config.scopes,
    caPem: null,
    knownAuthorities: [],
    authorityMetadata: null,
    cloudDiscoveryMetadata: null,
    fingerprint: fingerprint(['entra', configured, config.clientId]),
  };
}
