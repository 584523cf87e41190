import type { OperatorRole } from '../../../shared/contract/index.ts';

/** App role values defined in the app registration (README: "App registration"). */
export const DIRECTOR_APP_ROLE = 'Migration.Director';
export const SUPPORT_APP_ROLE = 'Migration.Support';

/** The id token's `roles` claim, as strings only (anything else in the claim is ignored). */
export function appRolesFromClaims(claims: Record<string, unknown> | undefined): string[] {
  const roles = claims?.roles;
  if (!Array.isArray(roles)) return [];
  return roles.filter((role): role is string => typeof role === 'string').slice(0, 20);
}

/** The strongest console role the token grants; an account with neither app role is a viewer. */
export function consoleRole(appRoles: readonly string[]): OperatorRole {
  if (appRoles.includes(DIRECTOR_APP_ROLE)) return 'director';
  if (appRoles.includes(SUPPORT_APP_ROLE)) return 'support';
  return 'viewer';
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Authorities that accept accounts of any tenant: their tokens cannot carry this console's roles. */
const MULTI_TENANT = new Set(['common', 'organizations', 'consumers']);

/** The registration the console is configured for: its authority URL and application (client) id. */
export interface Registration {
  authority: string;
  clientId: string;
  /**
   * The tenant id an authority that names its tenant by domain (`contoso.onmicrosoft.com`) stands
   * for, read from the authority's OpenID metadata (`tenant-id.ts`); null when it could not be read.
   */
  tenantId?: string | null;
}

/** The tenant an authority URL names (its first path segment, lower case): a GUID, a domain, or `common`. */
export function authorityTenant(authority: string): string {
  return new URL(authority).pathname.split('/').filter(Boolean)[0]?.toLowerCase() ?? '';
}

export function isTenantId(value: string): boolean {
  return GUID.test(value);
}

/**
 * The app roles a token may grant, and why none were taken. Roles count only from an id token issued for
 * this console's application (`aud` = the configured client id) by the configured tenant (`tid` = the tenant
 * id in the authority, or the id a tenant domain resolves to; an unresolved domain grants no roles). A multi-tenant authority (`common`,
 * `organizations`) grants no roles: any tenant could call its users directors.
 */
export function rolesFromToken(
  claims: Record<string, unknown> | undefined,
  registration: Registration,
): { appRoles: string[]; refused: string | null } {
  const appRoles = appRolesFromClaims(claims);
  if (appRoles.length === 0) return { appRoles, refused: null };
  const aud = claims?.aud;
  if (typeof aud !== 'string' || aud.toLowerCase() !== registration.clientId.toLowerCase()) {
    return {
      appRoles: [],
      refused:
        'Your roles were not accepted: the sign-in token was issued for another application than the one configured in Settings.',
    };
  }
  const tenant = authorityTenant(registration.authority);
  if (MULTI_TENANT.has(tenant)) {
    return {
      appRoles: [],
      refused:
        'Your roles were not accepted: sign-in is set to a multi-tenant authority. Set the tenant id in Settings → Sign-in.',
    };
  }
  // A tenant named by domain counts as the id its OpenID metadata gives; unresolved, nothing to check against.
  const expected = GUID.test(tenant) ? tenant : (registration.tenantId?.toLowerCase() ?? null);
  if (expected === null || !GUID.test(expected)) {
    return {
      appRoles: [],
      refused: `Your roles were not accepted: the tenant "${tenant.slice(0, 100)}" in Settings → Sign-in could not be resolved to a tenant id (its OpenID metadata could not be read), so the token's tenant cannot be checked. Try again when the identity provider answers, or enter the tenant id (a GUID, Entra admin center → Overview) instead of the domain.`,
    };
  }
  const tid = claims?.tid;
  if (typeof tid !== 'string' || tid.toLowerCase() !== expected) {
    return {
      appRoles: [],
      refused:
        'Your roles were not accepted: the sign-in token comes from another tenant than the one configured in Settings.',
    };
  }
  return { appRoles, refused: null };
}
