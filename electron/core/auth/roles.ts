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
}

/**
 * The app roles a token may grant, and why none were taken. Roles count only from an id token issued for
 * this console's application (`aud` = the configured client id) by the configured tenant (`tid` = the tenant
 * id in the authority, when the authority names one by id). A multi-tenant authority (`common`,
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
  const tenant = new URL(registration.authority).pathname.split('/').filter(Boolean)[0]?.toLowerCase() ?? '';
  if (MULTI_TENANT.has(tenant)) {
    return {
      appRoles: [],
      refused:
        'Your roles were not accepted: sign-in is set to a multi-tenant authority. Set the tenant id in Settings → Sign-in.',
    };
  }
  const tid = claims?.tid;
  if (GUID.test(tenant) && (typeof tid !== 'string' || tid.toLowerCase() !== tenant)) {
    return {
      appRoles: [],
      refused:
        'Your roles were not accepted: the sign-in token comes from another tenant than the one configured in Settings.',
    };
  }
  return { appRoles, refused: null };
}
