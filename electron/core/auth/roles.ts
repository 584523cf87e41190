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
