import type { DemoApp } from './directory.ts';
import { OIDC_SCOPES } from './directory.ts';
import { problem, type OAuthProblem } from './entra-errors.ts';

/** Scope handling as Entra does it for Microsoft Graph as the one resource. */

const GRAPH_PREFIX = 'https://graph.microsoft.com/';

export interface ResolvedScopes {
  /** Graph permissions that go into `scp`, short form (`User.Read`). */
  resource: string[];
  /** OpenID Connect scopes that were asked for (`openid`, `profile`, `offline_access`, `email`). */
  oidc: string[];
}

export function splitScopes(raw: string | undefined): string[] {
  return [...new Set((raw ?? '').split(/\s+/).filter(Boolean))];
}

export function resolveDelegatedScopes(app: DemoApp, requested: string[]): ResolvedScopes | OAuthProblem {
  const oidc: string[] = [];
  const resource = new Set<string>();
  for (const scope of requested) {
    const oidcMatch = OIDC_SCOPES.find((s) => s === scope.toLowerCase());
    if (oidcMatch) {
      oidc.push(oidcMatch);
      continue;
    }
    const short = scope.toLowerCase().startsWith(GRAPH_PREFIX) ? scope.slice(GRAPH_PREFIX.length) : scope;
    if (short === '.default') {
      for (const s of app.delegatedScopes) resource.add(s);
      continue;
    }
    // Permission names are case-insensitive in Entra; the token carries the canonical spelling.
    const known = app.delegatedScopes.find((s) => s.toLowerCase() === short.toLowerCase());
    if (!known) {
      return problem(
        'invalid_scope',
        65001,
        `The user or administrator has not consented to use the application with ID '${app.clientId}' named '${app.displayName}'. Send an interactive authorization request for this user and resource. Scope '${scope}' is not granted.`,
      );
    }
    resource.add(known);
  }
  // With only OIDC scopes Entra still returns a Graph token for User.Read.
  if (resource.size === 0 && app.delegatedScopes.includes('User.Read')) resource.add('User.Read');
  return { resource: [...resource], oidc };
}

export function isProblem(value: unknown): value is OAuthProblem {
  return typeof value === 'object' && value !== null && 'aadsts' in value;
}
