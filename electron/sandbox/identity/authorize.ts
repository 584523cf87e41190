import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProviderContext } from './context.ts';
import type { DemoUser } from './directory.ts';
import {
  AUTH_CODE_LIFETIME_MS,
  opaqueToken,
  PENDING_SIGN_IN_LIFETIME_MS,
  type AuthorizationRequest,
} from './grant-store.ts';
import { parseForm, readBody, readCookie, redirect, sendHtml } from './http-util.ts';
import { errorPage, formPostPage, signInPage } from './pages.ts';
import { isProblem, resolveDelegatedScopes, splitScopes } from './scopes.ts';

/**
 * `/<tenant>/oauth2/v2.0/authorize`: the authorization code flow with PKCE (S256 required), an
 * auto-consenting sign-in page with the two demo users and Deny, a session cookie for prompt=none,
 * and responses only to loopback redirect URIs (query or form_post, which MSAL Node uses).
 */

export const SESSION_COOKIE = 'sandbox_estsauth';
const PROMPTS = new Set(['login', 'select_account', 'consent', 'none', 'create']);

/** Loopback only: http on localhost/127.0.0.1/[::1], any port, matching a registered `http://localhost`. */
export function isAllowedRedirectUri(redirectUri: string, registered: string[]): boolean {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' || url.username || url.password || url.hash) return false;
  if (!['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) return false;
  return registered.some((r) => {
    const reg = new URL(r);
    // RFC 8252 §7.3: the port of a loopback redirect is not compared; the path is.
    return (
      reg.protocol === 'http:' &&
      reg.hostname === 'localhost' &&
      (reg.pathname === '/' || reg.pathname === url.pathname)
    );
  });
}

function sendAuthorizationResponse(
  res: ServerResponse,
  request: Pick<AuthorizationRequest, 'redirectUri' | 'responseMode' | 'state'>,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): void {
  const all = { ...fields };
  if (request.state !== undefined) all.state = request.state;
  if (request.responseMode === 'form_post') {
    const nonce = randomBytes(16).toString('base64');
    sendHtml(res, 200, formPostPage(request.redirectUri, all, nonce), nonce, headers);
    return;
  }
  const url = new URL(request.redirectUri);
  for (const [k, v] of Object.entries(all)) url.searchParams.set(k, v);
  redirect(res, url.toString(), headers);
}

function errorFields(error: string, aadsts: number, message: string): Record<string, string> {
  return { error, error_description: `AADSTS${aadsts}: ${message}`, error_codes: `[${aadsts}]` };
}

function issueCode(
  ctx: ProviderContext,
  res: ServerResponse,
  request: AuthorizationRequest,
  user: DemoUser,
  headers: Record<string, string> = {},
): void {
  const code = opaqueToken();
  ctx.store.codes.set(code, {
    ...request,
    userKey: user.key,
    expiresAt: ctx.now().getTime() + AUTH_CODE_LIFETIME_MS,
  });
  const clientInfo = Buffer.from(JSON.stringify({ uid: user.oid, utid: ctx.directory.tenantId })).toString(
    'base64url',
  );
  sendAuthorizationResponse(res, request, { code, client_info: clientInfo }, headers);
}

function sessionUser(ctx: ProviderContext, req: IncomingMessage): DemoUser | undefined {
  const sid = readCookie(req, SESSION_COOKIE);
  const key = sid ? ctx.store.sessions.get(sid) : undefined;
  return key ? ctx.directory.users[key] : undefined;
}

function sessionCookie(ctx: ProviderContext, user: DemoUser): string {
  const sid = opaqueToken();
  ctx.store.sessions.set(sid, user.key);
  return `${SESSION_COOKIE}=${sid}; Path=/${ctx.directory.tenantId}/; Secure; HttpOnly; SameSite=Lax`;
}

export function handleAuthorizeGet(
  ctx: ProviderContext,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
): void {
  const clientId = query.get('client_id') ?? '';
  const app = ctx.directory.findApp(clientId);
  // Before the redirect URI is trusted, errors are shown on a page: never redirect to an unknown place.
  if (!app) {
    sendHtml(
      res,
      400,
      errorPage(
        'Sign-in failed',
        `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${ctx.directory.tenantId}'.`,
      ),
    );
    return;
  }
  const redirectUri = query.get('redirect_uri') ?? '';
  if (!isAllowedRedirectUri(redirectUri, app.redirectUris)) {
    sendHtml(
      res,
      400,
      errorPage(
        'Sign-in failed',
        `AADSTS50011: The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Only loopback redirect URIs (http://localhost:<port>/...) are accepted.`,
      ),
    );
    return;
  }
  const rawMode = query.get('response_mode') ?? 'query';
  const responseMode = rawMode === 'form_post' ? 'form_post' : 'query';
  const state = query.get('state') ?? undefined;
  const target = { redirectUri, responseMode, state } as const;
  if (rawMode !== 'query' && rawMode !== 'form_post') {
    sendAuthorizationResponse(
      res,
      target,
      errorFields(
        'invalid_request',
        900144,
        `The response_mode '${rawMode}' is not supported; use query or form_post.`,
      ),
    );
    return;
  }
  if (query.get('response_type') !== 'code') {
    sendAuthorizationResponse(
      res,
      target,
      errorFields('unsupported_response_type', 700054, 'response_type must be code.'),
    );
    return;
  }
  const codeChallenge = query.get('code_challenge') ?? '';
  const method = query.get('code_challenge_method') ?? '';
  if (!codeChallenge) {
    sendAuthorizationResponse(
      res,
      target,
      errorFields(
        'invalid_request',
        9002325,
        'Proof Key for Code Exchange is required for cross-origin authorization code redemption.',
      ),
    );
    return;
  }
  if (method !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) {
    sendAuthorizationResponse(
      res,
      target,
      errorFields(
        'invalid_request',
        501491,
        'code_challenge_method must be S256 with a 43-character base64url code_challenge.',
      ),
    );
    return;
  }
  const prompt = query.get('prompt') ?? undefined;
  if (prompt !== undefined && !PROMPTS.has(prompt)) {
    sendAuthorizationResponse(
      res,
      target,
      errorFields('invalid_request', 90023, `Invalid prompt value '${prompt}'.`),
    );
    return;
  }
  const scopes = resolveDelegatedScopes(app, splitScopes(query.get('scope') ?? undefined));
  if (isProblem(scopes)) {
    sendAuthorizationResponse(res, target, errorFields(scopes.error, scopes.aadsts, scopes.message));
    return;
  }
  const loginHint = query.get('login_hint') ?? undefined;
  const request: AuthorizationRequest = {
    clientId,
    redirectUri,
    responseMode,
    scopes: [...scopes.resource, ...scopes.oidc],
    state,
    nonce: query.get('nonce') ?? undefined,
    codeChallenge,
    loginHint,
  };
  const hinted = loginHint ? ctx.directory.findUserByHint(loginHint) : undefined;
  const signedIn = sessionUser(ctx, req);
  const sessionFits = signedIn && (!loginHint || hinted?.key === signedIn.key);
  if (prompt === 'none') {
    if (sessionFits) issueCode(ctx, res, request, signedIn);
    else
      sendAuthorizationResponse(
        res,
        target,
        errorFields(
          signedIn ? 'interaction_required' : 'login_required',
          50058,
          signedIn
            ? 'The signed-in user does not match the login_hint.'
            : 'A silent sign-in request was sent but no user is signed in.',
        ),
      );
    return;
  }
  // Without prompt, an existing session signs in silently, as Entra does with a single account.
  if (prompt === undefined && sessionFits) {
    issueCode(ctx, res, request, signedIn);
    return;
  }
  const transaction = opaqueToken();
  ctx.store.pendingSignIns.set(transaction, {
    ...request,
    expiresAt: ctx.now().getTime() + PENDING_SIGN_IN_LIFETIME_MS,
  });
  sendHtml(
    res,
    200,
    signInPage({
      appName: app.displayName,
      scopes: request.scopes,
      transaction,
      users: Object.values(ctx.directory.users),
      preselected: hinted,
      action: `/${ctx.directory.tenantId}/oauth2/v2.0/authorize`,
    }),
  );
}

export async function handleAuthorizePost(
  ctx: ProviderContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const form = parseForm(await readBody(req));
  const transaction = form.get('txn') ?? '';
  const pending = ctx.store.pendingSignIns.get(transaction);
  ctx.store.pendingSignIns.delete(transaction);
  if (!pending || pending.expiresAt <= ctx.now().getTime()) {
    sendHtml(
      res,
      400,
      errorPage(
        'Sign-in expired',
        'This sign-in page has expired or was already used. Go back to the application and start again.',
      ),
    );
    return;
  }
  const choice = form.get('choice');
  if (choice === 'deny') {
    sendAuthorizationResponse(
      res,
      pending,
      errorFields('access_denied', 65004, 'User declined to consent to access the app.'),
    );
    return;
  }
  const user = choice === 'director' || choice === 'support' ? ctx.directory.users[choice] : undefined;
  if (!user) {
    sendHtml(res, 400, errorPage('Sign-in failed', 'Choose one of the demo accounts or Deny.'));
    return;
  }
  issueCode(ctx, res, pending, user, { 'Set-Cookie': sessionCookie(ctx, user) });
}
