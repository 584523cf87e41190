import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { handleAuthorizeGet, handleAuthorizePost, SESSION_COOKIE } from './authorize.ts';
import type { ProviderContext } from './context.ts';
import {
  DEVICE_LOGIN_PATH,
  handleDeviceLoginGet,
  handleDeviceLoginPost,
  startDeviceAuthorization,
} from './device-code.ts';
import { createDemoDirectory, type DemoDirectory, type DemoUserKey } from './directory.ts';
import { entraErrorBody, problem, type OAuthProblem } from './entra-errors.ts';
import { GrantStore } from './grant-store.ts';
import { BodyTooLargeError, parseForm, readBody, sendHtml, sendJson } from './http-util.ts';
import { publicJwk } from './jwt.ts';
import { instanceDiscovery, openIdConfiguration } from './metadata.ts';
import { errorPage } from './pages.ts';
import { generateLocalhostCertificate } from './tls-certificate.ts';
import { redeemToken } from './token-endpoint.ts';
import { createTokenIssuer, type AccessTokenCheck } from './token-issuer.ts';

export type { AccessTokenCheck, GraphAccessClaims } from './token-issuer.ts';
export type { DemoDirectory, DemoUser, DemoUserKey } from './directory.ts';

export interface IdentityProviderDeps {
  /** Interface to listen on; 127.0.0.1 unless told otherwise. URLs always say `localhost`. */
  host?: string;
  port?: number;
  /** The sandbox clock: token times, code and refresh token expiry. */
  now: () => Date;
  /** Wall-clock milliseconds for device-code polling pace; defaults to performance.now(). */
  monotonicNow?: () => number;
  tenantId?: string;
  /** Domain of the demo operators' user principal names. */
  domain?: string;
  /** RFC 8628 polling interval handed to clients (Entra: 5). */
  deviceCodeIntervalSeconds?: number;
  /** Refresh token lifetime (Entra: 90 days of inactivity). */
  refreshTokenLifetimeSeconds?: number;
}

/** Everything MSAL needs to use this authority without a network call to Microsoft. */
export interface MsalAuthorityOptions {
  authority: string;
  knownAuthorities: string[];
  authorityMetadata: string;
  cloudDiscoveryMetadata: string;
}

export interface IdentityProvider {
  /** https://localhost:<port>/<tenantId> */
  authorityUrl: string;
  origin: string;
  port: number;
  tenantId: string;
  /** The one certificate to trust for this provider (PEM). */
  caCertPem: string;
  clients: {
    /** Public desktop client: auth code + PKCE on a loopback redirect, device code. */
    console: { clientId: string; redirectUri: string; scopes: string[] };
    /** Confidential app-only client with Calendars.Read. */
    verifier: { clientId: string; clientSecret: string };
  };
  directory: DemoDirectory;
  msal: MsalAuthorityOptions;
  /** An app-only Graph token (roles default to the verifier app's Calendars.Read). */
  mintAppToken(options?: { roles?: string[]; lifetimeSeconds?: number }): string;
  /** A delegated Graph token for a demo operator signed in to the console app. */
  mintUserToken(options: { user: DemoUserKey; scopes?: string[]; lifetimeSeconds?: number }): string;
  verifyAccessToken(token: string): AccessTokenCheck;
  close(): Promise<void>;
}

const NINETY_DAYS = 90 * 24 * 60 * 60;

export async function startIdentityProvider(deps: IdentityProviderDeps): Promise<IdentityProvider> {
  const directory = createDemoDirectory({ tenantId: deps.tenantId, domain: deps.domain });
  const { tenantId } = directory;
  const certificate = await generateLocalhostCertificate();
  const signingKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID().replace(/-/g, '');
  const store = new GrantStore();

  // The context needs the listening port, so it is filled in right after listen(); until then, 503.
  const ready: { ctx?: ProviderContext } = {};
  const server: Server = createServer({ cert: certificate.certPem, key: certificate.keyPem }, (req, res) => {
    const ctx = ready.ctx;
    if (!ctx) {
      res.writeHead(503).end();
      return;
    }
    route(ctx, req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof BodyTooLargeError)
        sendJson(
          res,
          413,
          entraErrorBody(
            problem('invalid_request', 900144, 'Request body too large.'),
            ctx.now(),
            ctx.origin,
          ),
        );
      else
        sendJson(
          res,
          500,
          entraErrorBody(
            {
              ...problem(
                'temporarily_unavailable',
                90033,
                'A transient error has occurred. Please try again.',
              ),
              status: 500,
            },
            ctx.now(),
            ctx.origin,
          ),
        );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port ?? 0, deps.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `https://localhost:${port}`;
  const authorityUrl = `${origin}/${tenantId}`;
  const issuer = createTokenIssuer({
    directory,
    issuer: `${authorityUrl}/v2.0`,
    privateKey: signingKeys.privateKey,
    publicKey: signingKeys.publicKey,
    kid,
    now: deps.now,
  });
  ready.ctx = {
    directory,
    store,
    issuer,
    now: deps.now,
    monotonicNow: deps.monotonicNow ?? (() => performance.now()),
    origin,
    authorityUrl,
    deviceCodeIntervalSeconds: deps.deviceCodeIntervalSeconds ?? 5,
    refreshTokenLifetimeSeconds: deps.refreshTokenLifetimeSeconds ?? NINETY_DAYS,
  };
  const jwks = { keys: [publicJwk(signingKeys.publicKey, kid)] };

  return {
    authorityUrl,
    origin,
    port,
    tenantId,
    caCertPem: certificate.certPem,
    clients: {
      console: {
        clientId: directory.apps.console.clientId,
        redirectUri: 'http://localhost',
        scopes: [...directory.apps.console.delegatedScopes],
      },
      verifier: {
        clientId: directory.apps.verifier.clientId,
        clientSecret: directory.apps.verifier.clientSecret ?? '',
      },
    },
    directory,
    msal: {
      authority: authorityUrl,
      knownAuthorities: [`localhost:${port}`],
      authorityMetadata: JSON.stringify(openIdConfiguration(origin, tenantId)),
      cloudDiscoveryMetadata: JSON.stringify(instanceDiscovery(origin, tenantId)),
    },
    mintAppToken: (options) => issuer.mintAppToken(directory.apps.verifier, options),
    mintUserToken: (options) =>
      issuer.mintUserAccessToken(
        directory.apps.console,
        directory.users[options.user],
        options.scopes ?? [...directory.apps.console.delegatedScopes],
        options.lifetimeSeconds,
      ),
    verifyAccessToken: (token) => issuer.verifyAccessToken(token),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };

  async function route(c: ProviderContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
    c.store.sweep(c.now().getTime());
    const url = new URL(req.url ?? '/', c.origin);
    const method = req.method ?? 'GET';
    const t = `/${tenantId}`;
    // Like Entra, the tenant answers under its domain as well as its id (an authority may name either).
    const byDomain = `/${directory.domain.toLowerCase()}/`;
    const path = url.pathname.toLowerCase().startsWith(byDomain)
      ? `${t}/${url.pathname.slice(byDomain.length)}`
      : url.pathname;
    const correlationId =
      typeof req.headers['client-request-id'] === 'string' ? req.headers['client-request-id'] : undefined;
    const oauthError = (p: OAuthProblem) =>
      sendJson(res, p.status, entraErrorBody(p, c.now(), c.origin, correlationId));

    if (method === 'GET' && path === `${t}/v2.0/.well-known/openid-configuration`)
      return sendJson(res, 200, openIdConfiguration(c.origin, tenantId), {
        'Cache-Control': 'max-age=86400',
      });
    if (method === 'GET' && path === `${t}/discovery/v2.0/keys`)
      return sendJson(res, 200, jwks, { 'Cache-Control': 'max-age=86400' });
    if (method === 'GET' && path === '/common/discovery/instance')
      return sendJson(res, 200, instanceDiscovery(c.origin, tenantId));
    if (path === `${t}/oauth2/v2.0/authorize`) {
      if (method === 'GET') return handleAuthorizeGet(c, req, res, url.searchParams);
      if (method === 'POST') return handleAuthorizePost(c, req, res);
    }
    if (path === DEVICE_LOGIN_PATH) {
      if (method === 'GET') return handleDeviceLoginGet(c, res, url.searchParams);
      if (method === 'POST') return handleDeviceLoginPost(c, req, res);
    }
    if (method === 'GET' && path === `${t}/oauth2/v2.0/logout`) {
      return sendHtml(
        res,
        200,
        errorPage(
          'Signed out',
          'You signed out of the sandbox identity provider. You can close this window.',
        ),
        undefined,
        {
          'Set-Cookie': `${SESSION_COOKIE}=; Path=${t}/; Secure; HttpOnly; SameSite=Lax; Max-Age=0`,
        },
      );
    }
    if (method === 'POST' && (path === `${t}/oauth2/v2.0/token` || path === `${t}/oauth2/v2.0/devicecode`)) {
      const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/x-www-form-urlencoded')
        return oauthError(
          problem('invalid_request', 900144, 'The request body must be application/x-www-form-urlencoded.'),
        );
      const form = parseForm(await readBody(req));
      const result = path.endsWith('/token')
        ? redeemToken(c, form, req.headers)
        : startDeviceAuthorization(c, form, req.headers);
      return result.ok ? sendJson(res, 200, result.body) : oauthError(result.problem);
    }
    const tenantInPath = path.split('/')[1] ?? '';
    if (
      tenantInPath &&
      tenantInPath !== tenantId &&
      /^[0-9a-f-]{36}$|^(common|organizations|consumers)$/i.test(tenantInPath)
    ) {
      return oauthError(
        problem(
          'invalid_request',
          90002,
          `Tenant '${tenantInPath}' not found. Use the sandbox tenant ${tenantId}.`,
        ),
      );
    }
    sendJson(res, 404, { error: 'not_found', error_description: `No endpoint ${method} ${path}.` });
  }
}
