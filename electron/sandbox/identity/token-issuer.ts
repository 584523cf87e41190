import { createHash, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import type { DemoApp, DemoDirectory, DemoUser } from './directory.ts';
import { signJwt, verifyJwtSignature, type JwtClaims } from './jwt.ts';

/** Mints and checks the sandbox's RS256 tokens. Every time comes from the injected clock. */

export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
export const ACCESS_TOKEN_LIFETIME_SECONDS = 3600;

export interface TokenIssuerDeps {
  directory: DemoDirectory;
  issuer: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
  now: () => Date;
}

export interface GraphAccessClaims {
  iss: string;
  aud: string;
  tid: string;
  oid: string;
  sub: string;
  appid: string;
  azp: string;
  idtyp: 'app' | 'user';
  iat: number;
  nbf: number;
  exp: number;
  scp?: string;
  roles?: string[];
  preferred_username?: string;
  upn?: string;
  name?: string;
}

export type AccessTokenCheck =
  | { ok: true; claims: GraphAccessClaims }
  | {
      ok: false;
      reason: 'malformed' | 'bad_signature' | 'wrong_issuer' | 'wrong_audience' | 'expired' | 'not_yet_valid';
    };

/** Five minutes of skew, the default tolerance of Microsoft's token validation libraries. */
const CLOCK_SKEW_SECONDS = 300;

function seconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

export interface TokenIssuer {
  mintAppToken(app: DemoApp, options?: { roles?: string[]; lifetimeSeconds?: number }): string;
  mintUserAccessToken(app: DemoApp, user: DemoUser, scopes: string[], lifetimeSeconds?: number): string;
  mintIdToken(app: DemoApp, user: DemoUser, nonce: string | undefined, accessToken?: string): string;
  verifyAccessToken(token: string): AccessTokenCheck;
}

export function createTokenIssuer(deps: TokenIssuerDeps): TokenIssuer {
  const { directory, issuer } = deps;
  const sign = (claims: JwtClaims) => signJwt(deps.privateKey, deps.kid, claims);

  function timeClaims(lifetimeSeconds: number) {
    const iat = seconds(deps.now());
    // nbf/iat a little in the past like Entra's, so a client with a slightly slow clock accepts them.
    return { iat: iat - 300, nbf: iat - 300, exp: iat + lifetimeSeconds };
  }

  function base(app: DemoApp) {
    return {
      aud: GRAPH_AUDIENCE,
      iss: issuer,
      tid: directory.tenantId,
      appid: app.clientId,
      azp: app.clientId,
      uti: randomBytes(16).toString('base64url'),
      ver: '1.0',
    };
  }

  return {
    mintAppToken(app, options = {}) {
      const roles = options.roles ?? app.applicationPermissions;
      return sign({
        ...base(app),
        ...timeClaims(options.lifetimeSeconds ?? ACCESS_TOKEN_LIFETIME_SECONDS),
        oid: app.servicePrincipalId,
        sub: app.servicePrincipalId,
        idtyp: 'app',
        app_displayname: app.displayName,
        roles,
      });
    },
    mintUserAccessToken(app, user, scopes, lifetimeSeconds = ACCESS_TOKEN_LIFETIME_SECONDS) {
      return sign({
        ...base(app),
        ...timeClaims(lifetimeSeconds),
        oid: user.oid,
        sub: createHash('sha256').update(`${app.clientId}:${user.oid}`).digest('base64url'),
        idtyp: 'user',
        name: user.displayName,
        given_name: user.givenName,
        family_name: user.surname,
        preferred_username: user.userPrincipalName,
        upn: user.userPrincipalName,
        scp: scopes.join(' '),
      });
    },
    mintIdToken(app, user, nonce, accessToken) {
      const claims: JwtClaims = {
        aud: app.clientId,
        iss: issuer,
        ...timeClaims(ACCESS_TOKEN_LIFETIME_SECONDS),
        tid: directory.tenantId,
        oid: user.oid,
        sub: createHash('sha256').update(`${app.clientId}:${user.oid}:id`).digest('base64url'),
        name: user.displayName,
        preferred_username: user.userPrincipalName,
        roles: [user.appRole],
        ver: '2.0',
        uti: randomUUID(),
      };
      if (nonce !== undefined) claims.nonce = nonce;
      if (accessToken) {
        // at_hash (OIDC Core 3.1.3.6): left half of SHA-256 of the access token.
        claims.at_hash = createHash('sha256')
          .update(accessToken)
          .digest()
          .subarray(0, 16)
          .toString('base64url');
      }
      return sign(claims);
    },
    verifyAccessToken(token) {
      const decoded = verifyJwtSignature(deps.publicKey, token);
      if (!decoded.ok) return decoded;
      const c = decoded.claims;
      if (c.iss !== issuer) return { ok: false, reason: 'wrong_issuer' };
      if (c.aud !== GRAPH_AUDIENCE && c.aud !== '00000003-0000-0000-c000-000000000000')
        return { ok: false, reason: 'wrong_audience' };
      if (typeof c.exp !== 'number' || typeof c.nbf !== 'number' || typeof c.iat !== 'number')
        return { ok: false, reason: 'malformed' };
      if (
        typeof c.oid !== 'string' ||
        typeof c.tid !== 'string' ||
        typeof c.appid !== 'string' ||
        (c.idtyp !== 'app' && c.idtyp !== 'user')
      ) {
        return { ok: false, reason: 'malformed' };
      }
      const now = seconds(deps.now());
      if (now >= c.exp + CLOCK_SKEW_SECONDS) return { ok: false, reason: 'expired' };
      if (now + CLOCK_SKEW_SECONDS < c.nbf) return { ok: false, reason: 'not_yet_valid' };
      const claims: GraphAccessClaims = {
        iss: c.iss,
        aud: String(c.aud),
        tid: c.tid,
        oid: c.oid,
        sub: String(c.sub),
        appid: c.appid,
        azp: String(c.azp ?? c.appid),
        idtyp: c.idtyp,
        iat: c.iat,
        nbf: c.nbf,
        exp: c.exp,
      };
      if (typeof c.scp === 'string') claims.scp = c.scp;
      if (Array.isArray(c.roles)) claims.roles = c.roles.filter((r): r is string => typeof r === 'string');
      if (typeof c.preferred_username === 'string') claims.preferred_username = c.preferred_username;
      if (typeof c.upn === 'string') claims.upn = c.upn;
      if (typeof c.name === 'string') claims.name = c.name;
      return { ok: true, claims };
    },
  };
}
