import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ProviderContext } from './context.ts';
import type { DemoApp, DemoUser } from './directory.ts';
import { problem, type OAuthProblem } from './entra-errors.ts';
import { opaqueToken } from './grant-store.ts';
import { isProblem, resolveDelegatedScopes, splitScopes } from './scopes.ts';
import { ACCESS_TOKEN_LIFETIME_SECONDS, GRAPH_AUDIENCE } from './token-issuer.ts';

/**
 * `/<tenant>/oauth2/v2.0/token`: authorization_code (with PKCE verification), refresh_token
 * (rotating, expiring), client_credentials (client secret) and device_code (RFC 8628 polling).
 * Returns either the token response body or an OAuth problem the caller renders in Entra's shape.
 */

export type TokenResult = { ok: true; body: Record<string, unknown> } | { ok: false; problem: OAuthProblem };

// RFC 8628's URN, and the short form Entra also accepts and MSAL sends.
const DEVICE_CODE_GRANTS = ['urn:ietf:params:oauth:grant-type:device_code', 'device_code'];

function fail(p: OAuthProblem): TokenResult {
  return { ok: false, problem: p };
}

function safeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right);
}

/** Client secret from the form or HTTP Basic (RFC 6749 §2.3.1), whichever the client used. */
function clientCredentials(
  form: Map<string, string>,
  headers: IncomingHttpHeaders,
): { clientId: string; secret: string | undefined } {
  const auth = headers.authorization;
  if (auth?.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0)
      return {
        clientId: decodeURIComponent(decoded.slice(0, colon)),
        secret: decodeURIComponent(decoded.slice(colon + 1)),
      };
  }
  return { clientId: form.get('client_id') ?? '', secret: form.get('client_secret') };
}

function authenticateClient(
  ctx: ProviderContext,
  form: Map<string, string>,
  headers: IncomingHttpHeaders,
): DemoApp | OAuthProblem {
  const { clientId, secret } = clientCredentials(form, headers);
  if (!clientId)
    return problem(
      'invalid_request',
      900144,
      "The request body must contain the following parameter: 'client_id'.",
    );
  const app = ctx.directory.findApp(clientId);
  if (!app)
    return problem(
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${ctx.directory.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    );
  if (app.kind === 'confidential') {
    if (secret === undefined)
      return problem(
        'invalid_client',
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      );
    if (!app.clientSecret || !safeEqual(secret, app.clientSecret))
      return problem(
        'invalid_client',
        7000215,
        'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
      );
  }
  return app;
}

function userTokens(
  ctx: ProviderContext,
  app: DemoApp,
  user: DemoUser,
  scopes: string[],
  nonce: string | undefined,
): Record<string, unknown> {
  const resource = scopes.filter((s) => !['openid', 'profile', 'offline_access', 'email'].includes(s));
  const accessToken = ctx.issuer.mintUserAccessToken(app, user, resource);
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: scopes.join(' '),
    expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
    ext_expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
    access_token: accessToken,
    client_info: Buffer.from(JSON.stringify({ uid: user.oid, utid: ctx.directory.tenantId })).toString(
      'base64url',
    ),
  };
  if (scopes.includes('openid')) body.id_token = ctx.issuer.mintIdToken(app, user, nonce, accessToken);
  if (scopes.includes('offline_access')) {
    const refreshToken = opaqueToken();
    ctx.store.refreshTokens.set(refreshToken, {
      clientId: app.clientId,
      userKey: user.key,
      scopes,
      expiresAt: ctx.now().getTime() + ctx.refreshTokenLifetimeSeconds * 1000,
    });
    body.refresh_token = refreshToken;
  }
  return body;
}

function authorizationCodeGrant(ctx: ProviderContext, app: DemoApp, form: Map<string, string>): TokenResult {
  const code = form.get('code');
  const verifier = form.get('code_verifier');
  if (!code)
    return fail(
      problem('invalid_request', 900144, "The request body must contain the following parameter: 'code'."),
    );
  const grant = ctx.store.takeCode(code);
  if (!grant || grant.clientId !== app.clientId)
    return fail(
      problem(
        'invalid_grant',
        70000,
        'The provided value for the input parameter code is not valid, or the code was already redeemed.',
      ),
    );
  if (grant.expiresAt <= ctx.now().getTime())
    return fail(
      problem(
        'invalid_grant',
        70008,
        'The provided authorization code or refresh token has expired due to inactivity.',
      ),
    );
  if (form.get('redirect_uri') !== grant.redirectUri)
    return fail(
      problem(
        'invalid_grant',
        50011,
        'The redirect URI does not match the one used to obtain the authorization code.',
      ),
    );
  if (!verifier || !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier))
    return fail(problem('invalid_request', 501481, 'The code_verifier is missing or malformed.'));
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  if (!safeEqual(challenge, grant.codeChallenge))
    return fail(
      problem(
        'invalid_grant',
        501481,
        'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
      ),
    );
  return {
    ok: true,
    body: userTokens(ctx, app, ctx.directory.users[grant.userKey], grant.scopes, grant.nonce),
  };
}

function refreshTokenGrant(ctx: ProviderContext, app: DemoApp, form: Map<string, string>): TokenResult {
  const token = form.get('refresh_token');
  if (!token)
    return fail(
      problem(
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'refresh_token'.",
      ),
    );
  const grant = ctx.store.takeRefreshToken(token);
  if (!grant || grant.clientId !== app.clientId)
    return fail(
      problem(
        'invalid_grant',
        9002313,
        'Invalid request. The refresh token is malformed, revoked or was already redeemed (refresh tokens rotate: use the newest one).',
      ),
    );
  if (grant.expiresAt <= ctx.now().getTime())
    return fail(problem('invalid_grant', 700082, 'The refresh token has expired due to inactivity.'));
  // A refresh may narrow the scopes, never widen them beyond what was consented.
  const requested = splitScopes(form.get('scope'));
  let scopes = grant.scopes;
  if (requested.length > 0) {
    const resolved = resolveDelegatedScopes(app, requested);
    if (isProblem(resolved)) return fail(resolved);
    const wanted = [...resolved.resource, ...resolved.oidc];
    const extra = wanted.filter((s) => !grant.scopes.includes(s));
    if (extra.length > 0)
      return fail(problem('invalid_grant', 65001, `The user has not consented to ${extra.join(', ')}.`));
    scopes = [
      ...new Set([...wanted, ...(grant.scopes.includes('offline_access') ? ['offline_access'] : [])]),
    ];
  }
  return { ok: true, body: userTokens(ctx, app, ctx.directory.users[grant.userKey], scopes, undefined) };
}

function clientCredentialsGrant(ctx: ProviderContext, app: DemoApp, form: Map<string, string>): TokenResult {
  if (app.kind !== 'confidential')
    return fail(
      problem(
        'invalid_client',
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      ),
    );
  const scopes = splitScopes(form.get('scope'));
  // App-only tokens are for a resource's static permissions: exactly one `<resource>/.default`.
  if (
    scopes.length !== 1 ||
    !/^(https:\/\/graph\.microsoft\.com|00000003-0000-0000-c000-000000000000)\/\.default$/.test(
      scopes[0] ?? '',
    )
  ) {
    return fail(
      problem(
        'invalid_scope',
        1002012,
        `The provided value for scope ${scopes.join(' ')} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      ),
    );
  }
  return {
    ok: true,
    body: {
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
      ext_expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
      access_token: ctx.issuer.mintAppToken(app),
      scope: `${GRAPH_AUDIENCE}/.default`,
    },
  };
}

function deviceCodeGrant(ctx: ProviderContext, app: DemoApp, form: Map<string, string>): TokenResult {
  const deviceCode = form.get('device_code');
  if (!deviceCode)
    return fail(
      problem(
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'device_code'.",
      ),
    );
  const grant = ctx.store.deviceGrants.get(deviceCode);
  if (!grant || grant.clientId !== app.clientId || grant.status === 'redeemed')
    return fail(
      problem('invalid_grant', 70000, 'The provided device_code is not valid or was already redeemed.'),
    );
  if (grant.expiresAt <= ctx.now().getTime())
    return fail(problem('expired_token', 70019, 'Verification code expired.'));
  const pollAt = ctx.monotonicNow();
  const tooSoon =
    grant.lastPollAt !== undefined && pollAt - grant.lastPollAt < grant.intervalSeconds * 1000 - 100;
  grant.lastPollAt = pollAt;
  if (tooSoon) {
    // RFC 8628 §3.5: slow_down, and every later poll must wait 5 seconds more.
    grant.intervalSeconds += 5;
    return fail(
      problem(
        'slow_down',
        70016,
        `Polling too fast; wait at least ${grant.intervalSeconds} seconds between requests.`,
      ),
    );
  }
  if (grant.status === 'pending')
    return fail(
      problem(
        'authorization_pending',
        70016,
        'OAuth 2.0 device flow error. Authorization is pending. Continue polling.',
      ),
    );
  if (grant.status === 'denied' || !grant.userKey)
    return fail(problem('access_denied', 70000, 'The end user denied the authorization request.'));
  grant.status = 'redeemed';
  return {
    ok: true,
    body: userTokens(ctx, app, ctx.directory.users[grant.userKey], grant.scopes, undefined),
  };
}

export function redeemToken(
  ctx: ProviderContext,
  form: Map<string, string>,
  headers: IncomingHttpHeaders,
): TokenResult {
  const grantType = form.get('grant_type');
  const known = ['authorization_code', 'refresh_token', 'client_credentials', ...DEVICE_CODE_GRANTS];
  if (!grantType || !known.includes(grantType))
    return fail(
      problem(
        'unsupported_grant_type',
        70003,
        `The app requested an unsupported grant type '${grantType ?? ''}'.`,
      ),
    );
  const app = authenticateClient(ctx, form, headers);
  if (isProblem(app)) return fail(app);
  switch (grantType) {
    case 'authorization_code':
      return authorizationCodeGrant(ctx, app, form);
    case 'refresh_token':
      return refreshTokenGrant(ctx, app, form);
    case 'client_credentials':
      return clientCredentialsGrant(ctx, app, form);
    default:
      return deviceCodeGrant(ctx, app, form);
  }
}
