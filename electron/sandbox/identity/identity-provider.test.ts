import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdentityProvider, type IdentityProvider } from './index.ts';
import { decodeJwtClaims, form, pkcePair, rawRequest, readForm, type RawResponse } from './test-support.ts';

let clock = new Date('2026-09-01T14:00:00Z');
let monotonic = 0;
let idp: IdentityProvider;
const REDIRECT = 'http://localhost:53117/';

beforeAll(async () => {
  idp = await startIdentityProvider({
    now: () => clock,
    monotonicNow: () => monotonic,
    deviceCodeIntervalSeconds: 5,
    refreshTokenLifetimeSeconds: 24 * 3600,
  });
});
afterAll(() => idp.close());

const get = (path: string, headers: Record<string, string> = {}) =>
  rawRequest(new URL(path, idp.origin).toString(), { ca: idp.caCertPem, headers });
const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) => {
  const f = form(fields);
  return rawRequest(new URL(path, idp.origin).toString(), {
    method: 'POST',
    ca: idp.caCertPem,
    headers: { ...f.headers, ...headers },
    body: f.body,
  });
};
const tokenPath = () => `/${idp.tenantId}/oauth2/v2.0/token`;
const json = (r: RawResponse) => JSON.parse(r.text) as Record<string, unknown>;

function authorizeUrl(params: Record<string, string>): string {
  const url = new URL(`${idp.authorityUrl}/oauth2/v2.0/authorize`);
  const defaults = {
    client_id: idp.clients.console.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope: 'User.Read Mail.Send openid profile offline_access',
    state: 'st-1',
    nonce: 'n-1',
  };
  for (const [k, v] of Object.entries({ ...defaults, ...params })) url.searchParams.set(k, v);
  return url.pathname + url.search;
}

/** Opens the sign-in page and presses one of its buttons; returns the redirect. */
async function signIn(
  choice: 'director' | 'support' | 'deny',
  params: Record<string, string>,
  cookie?: string,
) {
  const page = await get(authorizeUrl(params), cookie ? { Cookie: cookie } : {});
  expect(page.status).toBe(200);
  const { action, fields } = readForm(page.text);
  const decision = await post(action, { ...fields, choice });
  const location = new URL(String(decision.headers.location));
  return {
    page,
    decision,
    location,
    cookie: String(decision.headers['set-cookie'] ?? '').split(';')[0] ?? '',
  };
}

function expectEntraError(r: RawResponse, status: number, error: string, code: number) {
  expect(r.status).toBe(status);
  const body = json(r);
  expect(body).toMatchObject({ error, error_codes: [code] });
  expect(String(body.error_description)).toMatch(new RegExp(`^AADSTS${code}: `));
  for (const key of ['timestamp', 'trace_id', 'correlation_id', 'error_uri'])
    expect(typeof body[key]).toBe('string');
}

describe('discovery', () => {
  it('publishes OpenID configuration and signing keys over HTTPS that verifies', async () => {
    const conf = json(await get(`/${idp.tenantId}/v2.0/.well-known/openid-configuration`));
    expect(conf.issuer).toBe(`${idp.authorityUrl}/v2.0`);
    expect(conf.token_endpoint).toBe(`${idp.authorityUrl}/oauth2/v2.0/token`);
    expect(conf.code_challenge_methods_supported).toEqual(['S256']);
    expect(JSON.parse(idp.msal.authorityMetadata)).toEqual(conf);
    const jwks = json(await get(String(conf.jwks_uri).replace(idp.origin, '')));
    expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'RSA', alg: 'RS256', use: 'sig' })]);
    // Without the generated certificate as trust anchor the TLS handshake must fail.
    await expect(
      rawRequest(`${idp.origin}/${idp.tenantId}/v2.0/.well-known/openid-configuration`),
    ).rejects.toThrow(/self[- ]signed|certificate/i);
  });
});

describe('authorization code + PKCE', () => {
  it('signs in on the page, redeems the code once with the right verifier and issues signed tokens', async () => {
    const { verifier, challenge } = pkcePair();
    const { page, decision, location } = await signIn('director', {
      code_challenge: challenge,
      code_challenge_method: 'S256',
      login_hint: 'career.support@demo-university.edu',
    });
    expect(page.text).toContain('Demo director');
    expect(page.text).toContain('Demo support');
    expect(page.text).toContain('>Deny<');
    expect(page.text).toMatch(/<html lang="en">/);
    // login_hint puts the hinted account first with focus.
    expect(page.text.indexOf('value="support"')).toBeLessThan(page.text.indexOf('value="director"'));
    expect(decision.status).toBe(302);
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('st-1');
    const code = location.searchParams.get('code') ?? '';
    const redeem = (v: string) =>
      post(tokenPath(), {
        grant_type: 'authorization_code',
        client_id: idp.clients.console.clientId,
        code,
        redirect_uri: REDIRECT,
        code_verifier: v,
      });
    const res = await redeem(verifier);
    expect(res.status).toBe(200);
    const body = json(res);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const access = decodeJwtClaims(String(body.access_token));
    expect(access).toMatchObject({
      aud: 'https://graph.microsoft.com',
      tid: idp.tenantId,
      scp: 'User.Read Mail.Send',
      preferred_username: 'career.director@demo-university.edu',
      idtyp: 'user',
    });
    expect(access.exp).toBe(clock.getTime() / 1000 + 3600);
    const id = decodeJwtClaims(String(body.id_token));
    expect(id).toMatchObject({
      aud: idp.clients.console.clientId,
      nonce: 'n-1',
      roles: ['Migration.Director'],
      name: 'Demo Director',
    });
    expect(idp.verifyAccessToken(String(body.access_token))).toMatchObject({
      ok: true,
      claims: { scp: 'User.Read Mail.Send' },
    });
    // A code is single use.
    expectEntraError(await redeem(verifier), 400, 'invalid_grant', 70000);
  });

  it('refuses a wrong code_verifier', async () => {
    const { challenge } = pkcePair();
    const { location } = await signIn('support', {
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const res = await post(tokenPath(), {
      grant_type: 'authorization_code',
      client_id: idp.clients.console.clientId,
      code: location.searchParams.get('code') ?? '',
      redirect_uri: REDIRECT,
      code_verifier: pkcePair().verifier,
    });
    expectEntraError(res, 400, 'invalid_grant', 501481);
  });

  it('requires PKCE S256 and redirects only to loopback URIs', async () => {
    const missing = await get(authorizeUrl({}));
    expect(missing.status).toBe(302);
    const err = new URL(String(missing.headers.location));
    expect(err.searchParams.get('error')).toBe('invalid_request');
    expect(err.searchParams.get('state')).toBe('st-1');
    const plain = await get(
      authorizeUrl({ code_challenge: pkcePair().verifier, code_challenge_method: 'plain' }),
    );
    expect(new URL(String(plain.headers.location)).searchParams.get('error')).toBe('invalid_request');
    for (const redirect_uri of [
      'https://evil.example/cb',
      'http://evil.example:80/',
      'http://localhost.evil.example/',
    ]) {
      const page = await get(
        authorizeUrl({ redirect_uri, code_challenge: pkcePair().challenge, code_challenge_method: 'S256' }),
      );
      expect(page.status).toBe(400);
      expect(page.headers.location).toBeUndefined();
      expect(page.text).toContain('AADSTS50011');
    }
  });

  it('answers Deny with access_denied and form_post with an auto-submitting form', async () => {
    const { location } = await signIn('deny', {
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
    });
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('error_description')).toMatch(/^AADSTS65004/);
    const page = await get(
      authorizeUrl({
        code_challenge: pkcePair().challenge,
        code_challenge_method: 'S256',
        response_mode: 'form_post',
      }),
    );
    const { action, fields } = readForm(page.text);
    const handoff = await post(action, { ...fields, choice: 'support' });
    expect(handoff.status).toBe(200);
    const posted = readForm(handoff.text);
    expect(posted.action).toBe(REDIRECT);
    expect(posted.fields).toMatchObject({ state: 'st-1', code: expect.any(String) });
    expect(String(handoff.headers['content-security-policy'])).toMatch(/script-src 'nonce-/);
  });

  it('honours prompt=none with and without a session', async () => {
    const none = await get(
      authorizeUrl({ prompt: 'none', code_challenge: pkcePair().challenge, code_challenge_method: 'S256' }),
    );
    expect(new URL(String(none.headers.location)).searchParams.get('error')).toBe('login_required');
    const { cookie } = await signIn('director', {
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
    });
    expect(cookie).toMatch(/^sandbox_estsauth=/);
    const silent = await get(
      authorizeUrl({ prompt: 'none', code_challenge: pkcePair().challenge, code_challenge_method: 'S256' }),
      { Cookie: cookie },
    );
    expect(new URL(String(silent.headers.location)).searchParams.get('code')).toBeTruthy();
    const mismatch = await get(
      authorizeUrl({
        prompt: 'none',
        login_hint: 'career.support@demo-university.edu',
        code_challenge: pkcePair().challenge,
        code_challenge_method: 'S256',
      }),
      { Cookie: cookie },
    );
    expect(new URL(String(mismatch.headers.location)).searchParams.get('error')).toBe('interaction_required');
    // prompt=login always shows the page, even with a session.
    const login = await get(
      authorizeUrl({ prompt: 'login', code_challenge: pkcePair().challenge, code_challenge_method: 'S256' }),
      { Cookie: cookie },
    );
    expect(login.status).toBe(200);
  });
});

describe('refresh tokens', () => {
  it('rotate on every use and expire on the injected clock', async () => {
    const { verifier, challenge } = pkcePair();
    const { location } = await signIn('support', {
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const first = json(
      await post(tokenPath(), {
        grant_type: 'authorization_code',
        client_id: idp.clients.console.clientId,
        code: location.searchParams.get('code') ?? '',
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      }),
    );
    const refresh = (token: string) =>
      post(tokenPath(), {
        grant_type: 'refresh_token',
        client_id: idp.clients.console.clientId,
        refresh_token: token,
        scope: 'User.Read openid offline_access',
      });
    const second = json(await refresh(String(first.refresh_token)));
    expect(second.refresh_token).toBeTruthy();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(decodeJwtClaims(String(second.access_token)).scp).toBe('User.Read');
    expectEntraError(await refresh(String(first.refresh_token)), 400, 'invalid_grant', 9002313);
    clock = new Date(clock.getTime() + 25 * 3600 * 1000);
    expectEntraError(await refresh(String(second.refresh_token)), 400, 'invalid_grant', 700082);
  });
});

describe('client credentials and client authentication', () => {
  it('issues app-only tokens with roles to a confidential client with the right secret', async () => {
    const ok = await post(tokenPath(), {
      grant_type: 'client_credentials',
      client_id: idp.clients.verifier.clientId,
      client_secret: idp.clients.verifier.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
    });
    expect(ok.status).toBe(200);
    const claims = decodeJwtClaims(String(json(ok).access_token));
    expect(claims).toMatchObject({
      roles: ['Calendars.Read'],
      idtyp: 'app',
      aud: 'https://graph.microsoft.com',
      appid: idp.clients.verifier.clientId,
    });
    expect(claims.scp).toBeUndefined();
    const basic = Buffer.from(
      `${idp.clients.verifier.clientId}:${idp.clients.verifier.clientSecret}`,
    ).toString('base64');
    expect(
      (
        await post(
          tokenPath(),
          { grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' },
          { Authorization: `Basic ${basic}` },
        )
      ).status,
    ).toBe(200);
  });

  it('refuses a wrong secret, an unknown client id and a non-.default scope in Entra error shape', async () => {
    const wrong = await post(
      tokenPath(),
      {
        grant_type: 'client_credentials',
        client_id: idp.clients.verifier.clientId,
        client_secret: 'nope',
        scope: 'https://graph.microsoft.com/.default',
      },
      { 'client-request-id': '11111111-2222-4333-8444-555555555555' },
    );
    expectEntraError(wrong, 401, 'invalid_client', 7000215);
    expect(json(wrong).correlation_id).toBe('11111111-2222-4333-8444-555555555555');
    expectEntraError(
      await post(tokenPath(), {
        grant_type: 'client_credentials',
        client_id: '00000000-0000-4000-8000-000000000000',
        client_secret: 'x',
        scope: 'https://graph.microsoft.com/.default',
      }),
      400,
      'unauthorized_client',
      700016,
    );
    expectEntraError(
      await post(tokenPath(), {
        grant_type: 'client_credentials',
        client_id: idp.clients.verifier.clientId,
        client_secret: idp.clients.verifier.clientSecret,
        scope: 'Calendars.Read',
      }),
      400,
      'invalid_scope',
      1002012,
    );
    expectEntraError(
      await post(tokenPath(), { grant_type: 'password', client_id: idp.clients.console.clientId }),
      400,
      'unsupported_grant_type',
      70003,
    );
    const page = await get(
      authorizeUrl({
        client_id: '00000000-0000-4000-8000-000000000000',
        code_challenge: pkcePair().challenge,
        code_challenge_method: 'S256',
      }),
    );
    expect(page.status).toBe(400);
    expect(page.text).toContain('AADSTS700016');
  });
});

describe('device code', () => {
  async function startDevice() {
    const res = await post(`/${idp.tenantId}/oauth2/v2.0/devicecode`, {
      client_id: idp.clients.console.clientId,
      scope: 'User.Read Mail.Send openid profile offline_access',
    });
    expect(res.status).toBe(200);
    return json(res) as {
      device_code: string;
      user_code: string;
      verification_uri: string;
      interval: number;
      expires_in: number;
    };
  }
  const poll = (deviceCode: string) =>
    post(tokenPath(), {
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      client_id: idp.clients.console.clientId,
      device_code: deviceCode,
    });

  it('walks pending, slow_down, approval on the page and redemption', async () => {
    const start = await startDevice();
    expect(start).toMatchObject({
      interval: 5,
      expires_in: 900,
      verification_uri: `${idp.origin}/devicelogin`,
    });
    expect(start.user_code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expectEntraError(await poll(start.device_code), 400, 'authorization_pending', 70016);
    monotonic += 1000;
    expectEntraError(await poll(start.device_code), 400, 'slow_down', 70016);
    const page = await get('/devicelogin');
    expect(page.text).toContain('<label for="otc">Code</label>');
    const wrongCode = await post('/devicelogin', { otc: 'BBBB-BBBB', choice: 'director' });
    expect(wrongCode.status).toBe(400);
    expect(wrongCode.text).toContain('role="alert"');
    // People type codes in lower case and without the dash.
    const approve = await post('/devicelogin', {
      otc: start.user_code.toLowerCase().replace('-', ' '),
      choice: 'director',
    });
    expect(approve.status).toBe(200);
    expect(approve.text).toContain('Signed in as Demo Director');
    monotonic += 10_000; // the interval grew to 10 s after slow_down
    const ok = await poll(start.device_code);
    expect(ok.status).toBe(200);
    expect(decodeJwtClaims(String(json(ok).id_token)).roles).toEqual(['Migration.Director']);
    monotonic += 10_000;
    expectEntraError(await poll(start.device_code), 400, 'invalid_grant', 70000);
  });

  it('answers access_denied after Deny and expired_token after 15 minutes', async () => {
    const denied = await startDevice();
    await post('/devicelogin', { otc: denied.user_code, choice: 'deny' });
    monotonic += 6000;
    expectEntraError(await poll(denied.device_code), 400, 'access_denied', 70000);
    const late = await startDevice();
    clock = new Date(clock.getTime() + 16 * 60 * 1000);
    monotonic += 6000;
    expectEntraError(await poll(late.device_code), 400, 'expired_token', 70019);
    const tooLate = await post('/devicelogin', { otc: late.user_code, choice: 'support' });
    expect(tooLate.text).toContain('expired');
  });

  it('refuses the device flow for a confidential client', async () => {
    expectEntraError(
      await post(`/${idp.tenantId}/oauth2/v2.0/devicecode`, {
        client_id: idp.clients.verifier.clientId,
        scope: 'openid',
      }),
      400,
      'unauthorized_client',
      7000218,
    );
  });
});

describe('access token verification', () => {
  it('rejects tampered, expired and foreign tokens', () => {
    const token = idp.mintAppToken();
    expect(idp.verifyAccessToken(token).ok).toBe(true);
    const [h, p, s] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, roles: ['Calendars.ReadWrite'] })).toString('base64url')}.${s}`;
    expect(idp.verifyAccessToken(forged)).toEqual({ ok: false, reason: 'bad_signature' });
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${p}.`;
    expect(idp.verifyAccessToken(none)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(idp.verifyAccessToken('abc')).toEqual({ ok: false, reason: 'malformed' });
    const short = idp.mintAppToken({ lifetimeSeconds: 60 });
    clock = new Date(clock.getTime() + 2 * 3600 * 1000);
    expect(idp.verifyAccessToken(short)).toEqual({ ok: false, reason: 'expired' });
  });
});
