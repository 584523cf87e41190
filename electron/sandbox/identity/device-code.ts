import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { ProviderContext } from './context.ts';
import { problem, type OAuthProblem } from './entra-errors.ts';
import { DEVICE_CODE_LIFETIME_MS, newUserCode, opaqueToken } from './grant-store.ts';
import { parseForm, readBody, sendHtml } from './http-util.ts';
import { deviceCodePage } from './pages.ts';
import { isProblem, resolveDelegatedScopes, splitScopes } from './scopes.ts';

/**
 * The device authorization grant (RFC 8628): `/<tenant>/oauth2/v2.0/devicecode` hands out a device
 * code and a user code; the verification page (`/devicelogin`) is where a person types the user
 * code and picks a demo account (or denies). Polling lives in token-endpoint.ts.
 */

export const DEVICE_LOGIN_PATH = '/devicelogin';

export function startDeviceAuthorization(
  ctx: ProviderContext,
  form: Map<string, string>,
  _headers: IncomingHttpHeaders,
): { ok: true; body: Record<string, unknown> } | { ok: false; problem: OAuthProblem } {
  const clientId = form.get('client_id') ?? '';
  const app = ctx.directory.findApp(clientId);
  if (!app)
    return {
      ok: false,
      problem: problem(
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${ctx.directory.tenantId}'.`,
      ),
    };
  // Entra allows the device flow only for apps marked as public clients.
  if (app.kind !== 'public')
    return {
      ok: false,
      problem: problem(
        'unauthorized_client',
        7000218,
        'The device code flow is only available to public client applications.',
      ),
    };
  const scopes = resolveDelegatedScopes(app, splitScopes(form.get('scope')));
  if (isProblem(scopes)) return { ok: false, problem: scopes };
  const deviceCode = opaqueToken();
  const userCode = newUserCode();
  const expiresIn = DEVICE_CODE_LIFETIME_MS / 1000;
  ctx.store.deviceGrants.set(deviceCode, {
    deviceCode,
    userCode,
    clientId,
    scopes: [...scopes.resource, ...scopes.oidc],
    expiresAt: ctx.now().getTime() + DEVICE_CODE_LIFETIME_MS,
    intervalSeconds: ctx.deviceCodeIntervalSeconds,
    lastPollAt: undefined,
    status: 'pending',
    userKey: undefined,
  });
  const verificationUri = `${ctx.origin}${DEVICE_LOGIN_PATH}`;
  return {
    ok: true,
    body: {
      user_code: userCode,
      device_code: deviceCode,
      verification_uri: verificationUri,
      expires_in: expiresIn,
      interval: ctx.deviceCodeIntervalSeconds,
      message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to authenticate.`,
    },
  };
}

export function handleDeviceLoginGet(
  ctx: ProviderContext,
  res: ServerResponse,
  query: URLSearchParams,
): void {
  sendHtml(
    res,
    200,
    deviceCodePage({
      action: DEVICE_LOGIN_PATH,
      users: Object.values(ctx.directory.users),
      userCode: query.get('otc') ?? '',
    }),
  );
}

export async function handleDeviceLoginPost(
  ctx: ProviderContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const form = parseForm(await readBody(req));
  const users = Object.values(ctx.directory.users);
  const typed = form.get('otc') ?? '';
  const grant = ctx.store.findDeviceGrantByUserCode(typed);
  const again = (status: number, message: string) =>
    sendHtml(res, status, deviceCodePage({ action: DEVICE_LOGIN_PATH, users, userCode: typed, message }));
  if (!grant || grant.status !== 'pending') {
    again(
      400,
      'That code is not valid or was already used. Check the code the application shows and try again.',
    );
    return;
  }
  if (grant.expiresAt <= ctx.now().getTime()) {
    again(400, 'That code has expired. Ask the application for a new one.');
    return;
  }
  const choice = form.get('choice');
  if (choice === 'deny') {
    grant.status = 'denied';
    sendHtml(
      res,
      200,
      deviceCodePage({
        action: DEVICE_LOGIN_PATH,
        users,
        done: 'You declined the sign-in. You can close this window.',
      }),
    );
    return;
  }
  if (choice !== 'director' && choice !== 'support') {
    again(400, 'Choose one of the demo accounts or Deny.');
    return;
  }
  grant.status = 'approved';
  grant.userKey = choice;
  sendHtml(
    res,
    200,
    deviceCodePage({
      action: DEVICE_LOGIN_PATH,
      users,
      done: `Signed in as ${ctx.directory.users[choice].displayName}. You can close this window and return to the application.`,
    }),
  );
}
