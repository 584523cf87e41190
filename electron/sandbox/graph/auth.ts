import type { AccessTokenCheck } from '../identity/index.ts';
import { graphError, type ErrorIds } from './errors.ts';
import type { GraphResponse, Principal } from './types.ts';

/**
 * Bearer token check for every Graph call: signature, issuer, audience and lifetime by the identity
 * provider's verifier, then the token kind. Permission checks per resource live with the handlers.
 */

const MESSAGES: Record<Exclude<AccessTokenCheck, { ok: true }>['reason'], string> = {
  malformed: 'IDX14100: JWT is not well formed.',
  bad_signature: 'Access token validation failure. Invalid signature.',
  wrong_issuer: 'Access token validation failure. Invalid issuer.',
  wrong_audience: 'Access token validation failure. Invalid audience.',
  expired: 'Lifetime validation failed, the token is expired.',
  not_yet_valid: 'Lifetime validation failed, the token is not yet valid.',
};

export function authenticate(
  authorization: string | undefined,
  verify: (token: string) => AccessTokenCheck,
  ids: ErrorIds,
): Principal | GraphResponse {
  const challenge = {
    'WWW-Authenticate':
      'Bearer realm="", authorization_uri="", client_id="00000003-0000-0000-c000-000000000000"',
  };
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match?.[1])
    return graphError(ids, 401, 'InvalidAuthenticationToken', 'Access token is empty.', challenge);
  const check = verify(match[1]);
  if (!check.ok) return graphError(ids, 401, 'InvalidAuthenticationToken', MESSAGES[check.reason], challenge);
  const claims = check.claims;
  if (claims.idtyp === 'app') return { kind: 'app', claims, roles: claims.roles ?? [] };
  return { kind: 'user', claims, scopes: (claims.scp ?? '').split(' ').filter(Boolean) };
}

export function isPrincipal(value: Principal | GraphResponse): value is Principal {
  return 'kind' in value;
}

/** True when a delegated principal holds any of the scopes, case-insensitively as Entra compares. */
export function hasScope(principal: Principal, ...scopes: string[]): boolean {
  if (principal.kind !== 'user') return false;
  const held = new Set(principal.scopes.map((s) => s.toLowerCase()));
  return scopes.some((s) => held.has(s.toLowerCase()));
}

export function hasRole(principal: Principal, role: string): boolean {
  return principal.kind === 'app' && principal.roles.includes(role);
}
