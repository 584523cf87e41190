import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { CONTENT_SECURITY_POLICY } from '../../shared/security/csp.ts';
import { createMemoryLogger } from '../core/log/logger.ts';
import { BrowserHostError } from './host-error.ts';
import { startBrowserHost } from './server.ts';
import { makeFakeRenderer, OUTSIDE_SECRET, rawRequest, startTestHost, type TestHost } from './testing.ts';

function errorCode(response: { json(): unknown }): unknown {
  return (response.json() as { error?: { code?: unknown } }).error?.code;
}

describe('browser host: one-time token and session', () => {
  it('trades the token for an HttpOnly SameSite=Strict cookie once, then refuses the token', async () => {
    const fake = await makeFakeRenderer();
    const logger = createMemoryLogger();
    const host = await startBrowserHost({
      port: 0,
      rendererDir: fake.rendererDir,
      dataDir: fake.dataDir,
      logger,
    });
    try {
      const url = new URL(host.url);
      expect(url.origin).toBe(`http://127.0.0.1:${host.port}`);
      const token = url.searchParams.get('token') ?? '';
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const hostHeader = { Host: url.host };

      const first = await rawRequest(host.port, { path: `/?token=${token}`, headers: hostHeader });
      expect(first.status).toBe(303);
      expect(first.headers.location).toBe('/');
      const cookieLine = first.headers['set-cookie']?.[0] ?? '';
      expect(cookieLine).toMatch(/HttpOnly/);
      expect(cookieLine).toMatch(/SameSite=Strict/);
      expect(cookieLine).toMatch(/Path=\//);
      const cookie = cookieLine.split(';')[0] ?? '';
      expect(cookie).not.toContain(token);

      const page = await rawRequest(host.port, { path: '/', headers: { ...hostHeader, Cookie: cookie } });
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.body).toContain('<div id="root">');

      // A second browser with the same URL gets nothing; the first one is just sent back to /.
      const replay = await rawRequest(host.port, { path: `/?token=${token}`, headers: hostHeader });
      expect(replay.status).toBe(401);
      expect(replay.headers['set-cookie']).toBeUndefined();
      const sameBrowser = await rawRequest(host.port, {
        path: `/?token=${token}`,
        headers: { ...hostHeader, Cookie: cookie },
      });
      expect(sameBrowser.status).toBe(303);
      expect(sameBrowser.headers['set-cookie']).toBeUndefined();
    } finally {
      await host.close();
      await fake.cleanup();
    }
  });

  it('refuses a wrong token without using up the right one', async () => {
    const fake = await makeFakeRenderer();
    const host = await startBrowserHost({
      port: 0,
      rendererDir: fake.rendererDir,
      dataDir: fake.dataDir,
      logger: createMemoryLogger(),
    });
    try {
      const url = new URL(host.url);
      const wrong = await rawRequest(host.port, {
        path: `/?token=${'A'.repeat(43)}`,
        headers: { Host: url.host },
      });
      expect(wrong.status).toBe(401);
      const right = await rawRequest(host.port, {
        path: `${url.pathname}${url.search}`,
        headers: { Host: url.host },
      });
      expect(right.status).toBe(303);
    } finally {
      await host.close();
      await fake.cleanup();
    }
  });

  it('fails to start with a typed error when the renderer was not built', async () => {
    const fake = await makeFakeRenderer();
    try {
      const start = startBrowserHost({
        port: 0,
        rendererDir: `${fake.base}/nothing-here`,
        dataDir: fake.dataDir,
        logger: createMemoryLogger(),
      });
      await expect(start).rejects.toBeInstanceOf(BrowserHostError);
      await expect(start).rejects.toMatchObject({
        code: 'renderer_missing',
        message: expect.stringMatching(/npm run build/),
      });
    } finally {
      await fake.cleanup();
    }
  });

  it('reports a port in use as a typed error', async () => {
    const t = await startTestHost();
    try {
      const second = startBrowserHost({
        port: t.host.port,
        rendererDir: t.rendererDir,
        dataDir: t.dataDir,
        logger: createMemoryLogger(),
      });
      await expect(second).rejects.toMatchObject({ name: 'BrowserHostError', code: 'port_in_use' });
    } finally {
      await t.stop();
    }
  });
});

describe('browser host: request screening', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('answers 401 without a session: a page for navigations, an envelope for the API', async () => {
    const page = await rawRequest(t.host.port, { path: '/', headers: { Host: `127.0.0.1:${t.host.port}` } });
    expect(page.status).toBe(401);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toMatch(/printed/);
    const forged = await rawRequest(t.host.port, {
      path: '/',
      headers: { Host: `127.0.0.1:${t.host.port}`, Cookie: `${t.cookie}x` },
    });
    expect(forged.status).toBe(401);
    const api = await t.call('preferences.get', {}, { Cookie: undefined });
    expect(api.status).toBe(401);
    expect(api.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('refuses foreign Host headers (DNS rebinding) with 403, and accepts localhost', async () => {
    for (const hostHeader of [
      `evil.example:${t.host.port}`,
      '127.0.0.1',
      `127.0.0.1:${t.host.port + 1}`,
      `localhost.evil.example:${t.host.port}`,
    ]) {
      const api = await t.call('preferences.get', {}, { Host: hostHeader, Origin: `http://${hostHeader}` });
      expect(api.status, hostHeader).toBe(403);
      expect(errorCode(api)).toBe('forbidden');
      const page = await rawRequest(t.host.port, {
        path: '/',
        headers: { ...t.pageHeaders(), Host: hostHeader, Origin: undefined },
      });
      expect(page.status, hostHeader).toBe(403);
    }
    const local = await t.call(
      'preferences.get',
      {},
      { Host: `localhost:${t.host.port}`, Origin: `http://localhost:${t.host.port}` },
    );
    expect(local.status).toBe(200);
  });

  it('refuses foreign Origins, including other local ports and "null", with 403', async () => {
    for (const origin of [
      'https://evil.example',
      `http://127.0.0.1:${t.host.port + 1}`,
      `https://127.0.0.1:${t.host.port}`,
      'null',
    ]) {
      const api = await t.call('preferences.set', { theme: 'dark' }, { Origin: origin });
      expect(api.status, origin).toBe(403);
      expect(errorCode(api)).toBe('forbidden');
    }
    const crossSite = await t.call(
      'preferences.get',
      {},
      { Origin: undefined, 'Sec-Fetch-Site': 'same-site' },
    );
    expect(crossSite.status).toBe(403);
  });

  it('requires an Origin or Sec-Fetch-Site: same-origin on calls, and a JSON content type', async () => {
    const bare = await t.call('preferences.set', { theme: 'dark' }, { Origin: undefined });
    expect(bare.status).toBe(403);
    expect(errorCode(bare)).toBe('forbidden');
    const fetchMeta = await t.call(
      'preferences.get',
      {},
      { Origin: undefined, 'Sec-Fetch-Site': 'same-origin' },
    );
    expect(fetchMeta.status).toBe(200);
    // A form post (text/plain) is the classic CSRF vector that skips CORS preflight.
    const form = await t.call('preferences.set', { theme: 'dark' }, { 'Content-Type': 'text/plain' });
    expect(form.status).toBe(415);
    expect(errorCode(form)).toBe('bad_input');
    const get = await rawRequest(t.host.port, {
      path: '/api/invoke/preferences.get',
      headers: t.pageHeaders(),
    });
    expect(get.status).toBe(405);
  });

  it('answers typed envelopes for malformed JSON, bad UTF-8, unknown methods and bad input', async () => {
    const malformed = await rawRequest(t.host.port, {
      method: 'POST',
      path: '/api/invoke/preferences.set',
      headers: { ...t.pageHeaders(), 'Content-Type': 'application/json' },
      body: '{"theme": "dark"',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json()).toEqual({
      ok: false,
      error: { code: 'bad_input', message: expect.any(String) },
    });
    const latin1 = await rawRequest(t.host.port, {
      method: 'POST',
      path: '/api/invoke/preferences.set',
      headers: { ...t.pageHeaders(), 'Content-Type': 'application/json' },
      body: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]),
    });
    expect(errorCode(latin1)).toBe('bad_input');
    const unknown = await t.call('nope.nothing', {});
    expect(unknown.status).toBe(404);
    expect(errorCode(unknown)).toBe('unknown_method');
    const proto = await t.call('__proto__', {});
    expect(errorCode(proto)).toBe('unknown_method');
    const invalid = await t.call('preferences.set', { theme: 'purple' });
    expect(invalid.status).toBe(400);
    expect(invalid.json()).toMatchObject({
      ok: false,
      error: { code: 'bad_input', issues: [{ path: 'theme' }] },
    });
    expect(invalid.body).not.toMatch(/\bat .*\.ts:\d+/);
    const nowhere = await rawRequest(t.host.port, { path: '/api/nothing', headers: t.pageHeaders() });
    expect(nowhere.status).toBe(404);
    expect(errorCode(nowhere)).toBe('not_found');
  });

  it('refuses bodies over the limit with 413, whether declared or streamed', async () => {
    const declared = await t.call('preferences.set', { theme: 'x'.repeat(300 * 1024) });
    expect(declared.status).toBe(413);
    expect(errorCode(declared)).toBe('payload_too_large');

    // Chunked, no Content-Length: the limit must be counted as the bytes arrive.
    const streamed = await streamBody(t, 400 * 1024);
    expect(streamed.status).toBe(413);
    expect(streamed.body).toContain('payload_too_large');

    // The host still answers afterwards.
    expect((await t.call('preferences.get', {})).status).toBe(200);
  });

  it('sets preferences and reads them back through the real core and settings file', async () => {
    const set = await t.call('preferences.set', { theme: 'high-contrast', navCollapsed: true });
    expect(set.status).toBe(200);
    expect(set.json()).toEqual({ ok: true, value: { theme: 'high-contrast', navCollapsed: true } });
    expect(set.headers['cache-control']).toBe('no-store');
    const get = await t.call('preferences.get', {});
    expect(get.json()).toEqual({ ok: true, value: { theme: 'high-contrast', navCollapsed: true } });
    const info = await t.call('app.info', {});
    expect(info.json()).toMatchObject({
      ok: true,
      value: { host: 'browser', productName: 'Calendar Sync Migration Console' },
    });
    // The browser opens links itself; the host never launches anything.
    const link = await t.call('app.openExternal', { url: 'https://learn.microsoft.com/graph' });
    expect(link.json()).toEqual({ ok: true, value: { opened: false, reason: 'open-in-page' } });
  });

  it('puts the security headers on every kind of response', async () => {
    const responses = [
      await rawRequest(t.host.port, { path: '/', headers: t.pageHeaders() }),
      await rawRequest(t.host.port, { path: '/assets/app.js', headers: t.pageHeaders() }),
      await t.call('preferences.get', {}),
      await t.call('nope.nothing', {}),
      await rawRequest(t.host.port, { path: '/', headers: { Host: `127.0.0.1:${t.host.port}` } }),
      await rawRequest(t.host.port, { path: '/', headers: { Host: 'evil.example' } }),
    ];
    for (const response of responses) {
      expect(response.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(response.headers['permissions-policy']).toMatch(
        /camera=\(\).*microphone=\(\).*geolocation=\(\)/,
      );
    }
  });

  it('serves assets with their MIME types, falls back to index.html for routes, 404s unknown assets', async () => {
    const js = await rawRequest(t.host.port, { path: '/assets/app.js', headers: t.pageHeaders() });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toBe('console.log("app");\n');
    const css = await rawRequest(t.host.port, { path: '/assets/app.css', headers: t.pageHeaders() });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const route = await rawRequest(t.host.port, { path: '/users/42/calendar', headers: t.pageHeaders() });
    expect(route.status).toBe(200);
    expect(route.body).toContain('<div id="root">');
    const missing = await rawRequest(t.host.port, { path: '/assets/missing.js', headers: t.pageHeaders() });
    expect(missing.status).toBe(404);
    const head = await rawRequest(t.host.port, {
      method: 'HEAD',
      path: '/assets/app.js',
      headers: t.pageHeaders(),
    });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    const post = await rawRequest(t.host.port, { method: 'POST', path: '/', headers: t.pageHeaders() });
    expect(post.status).toBe(405);
  });

  it('never serves anything outside the renderer folder, however the path is spelled', async () => {
    const attempts = [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/%252e%252e/secret.txt',
      '/assets/%00app.js',
      '/%E0%A4%A',
      '/.env',
      '/assets/../.env',
      '//etc/passwd',
      `${'/..'.repeat(12)}/etc/passwd`,
    ];
    for (const path of attempts) {
      const response = await rawRequest(t.host.port, { path, headers: t.pageHeaders() });
      expect(response.body, path).not.toContain(OUTSIDE_SECRET);
      expect(response.body, path).not.toContain('root:');
      if (response.status === 200) expect(response.body, path).toContain('<div id="root">');
    }
  });

  it('keeps the token, the session and payload contents out of the log', async () => {
    const sentinel = 'payload-SENTINEL-93e1';
    await t.call('preferences.set', { theme: sentinel });
    await t.call('app.openExternal', { url: `https://evil.example/${sentinel}` });
    await rawRequest(t.host.port, {
      method: 'POST',
      path: '/api/invoke/preferences.set',
      headers: { ...t.pageHeaders(), 'Content-Type': 'application/json' },
      body: `{"theme": "${sentinel}"`,
    });
    const log = t.logger.lines.join('\n');
    expect(log).toContain('one-time token exchanged');
    expect(log).not.toContain(sentinel);
    expect(log).not.toContain(new URL(t.host.url).searchParams.get('token'));
    expect(log).not.toContain(t.cookie.split('=')[1]);
  });
});

describe('browser host: events socket', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost({ heartbeatMs: 200 });
  });
  afterAll(async () => {
    await t.stop();
  });

  const eventsUrl = () => `ws://127.0.0.1:${t.host.port}/api/events`;

  it('delivers preferences.changed to an authenticated socket and ignores client messages', async () => {
    const ws = new WebSocket(eventsUrl(), { headers: { Cookie: t.cookie }, origin: t.host.origin });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.send('{"event":"preferences.changed","payload":{"theme":"dark","navCollapsed":false}}');
    const frame = new Promise<unknown>((resolve) =>
      ws.once('message', (data: Buffer) => resolve(JSON.parse(data.toString('utf8')))),
    );
    const set = await t.call('preferences.set', { theme: 'light', navCollapsed: false });
    expect(set.status).toBe(200);
    expect(await frame).toEqual({
      event: 'preferences.changed',
      payload: { theme: 'light', navCollapsed: false },
    });
    ws.close();
  });

  it('drops sockets that stop answering heartbeats', async () => {
    const ws = new WebSocket(eventsUrl(), {
      headers: { Cookie: t.cookie },
      origin: t.host.origin,
      autoPong: false,
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const code = await new Promise<number>((resolve) =>
      ws.once('close', (closeCode: number) => resolve(closeCode)),
    );
    // 1006: the host cut the connection without a closing handshake.
    expect(code).toBe(1006);
  });

  it('refuses the upgrade without a session, with a foreign or missing Origin, or a foreign Host', async () => {
    const status = (options: ConstructorParameters<typeof WebSocket>[2], url = eventsUrl()) =>
      new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(url, options);
        ws.once('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          ws.terminate();
        });
        ws.once('open', () => reject(new Error('upgrade was accepted')));
        ws.once('error', () => {});
      });
    expect(await status({ origin: t.host.origin })).toBe(401);
    expect(await status({ headers: { Cookie: `${t.cookie}x` }, origin: t.host.origin })).toBe(401);
    expect(await status({ headers: { Cookie: t.cookie }, origin: 'https://evil.example' })).toBe(403);
    expect(
      await status({ headers: { Cookie: t.cookie }, origin: `http://localhost:${t.host.port + 1}` }),
    ).toBe(403);
    expect(await status({ headers: { Cookie: t.cookie } })).toBe(403);
    expect(
      await status({
        headers: { Cookie: t.cookie, Host: `evil.example:${t.host.port}` },
        origin: `http://evil.example:${t.host.port}`,
      }),
    ).toBe(403);
    expect(
      await status(
        { headers: { Cookie: t.cookie }, origin: t.host.origin },
        `ws://127.0.0.1:${t.host.port}/api/other`,
      ),
    ).toBe(404);
  });

  it('survives a peer that sends garbage instead of a handshake', async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(t.host.port, '127.0.0.1', () => {
        socket.end(
          'GET /api/events HTTP/1.1\r\nHost: nonsense\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x00\xff\x00',
        );
      });
      socket.on('data', () => {});
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    expect((await t.call('preferences.get', {})).status).toBe(200);
  });

  it('closes a socket whose client sends more than a stray message', async () => {
    const ws = await openSocket(t);
    const closed = new Promise<number>((resolve) => ws.once('close', (code: number) => resolve(code)));
    ws.send('x'.repeat(64 * 1024));
    // 1009: message too big. The host keeps serving everyone else.
    expect(await closed).toBe(1009);
    expect((await t.call('preferences.get', {})).status).toBe(200);
  });
});

describe('browser host: shutdown', () => {
  it('closes open event sockets politely, refuses new connections, and may be closed twice', async () => {
    const t = await startTestHost();
    const ws = await openSocket(t);
    const closed = new Promise<number>((resolve) => ws.once('close', (code: number) => resolve(code)));
    await Promise.all([t.host.close(), t.host.close()]);
    expect(await closed).toBe(1001);
    await expect(rawRequest(t.host.port, { path: '/', headers: t.pageHeaders() })).rejects.toThrow(
      /ECONNREFUSED/,
    );
    await t.stop();
  });

  it('leaves a core it was given undisposed, and unsubscribes from its events on close', async () => {
    const owner = await startTestHost();
    const fake = await makeFakeRenderer();
    const dispose = vi.fn(async () => {});
    const unsubscribed = vi.fn();
    const given = owner.host.core;
    const core = {
      ...given,
      dispose,
      events: {
        subscribe: (listener: Parameters<typeof given.events.subscribe>[0]) => {
          const off = given.events.subscribe(listener);
          return () => {
            unsubscribed();
            off();
          };
        },
      } as typeof given.events,
    };
    const host = await startBrowserHost({
      port: 0,
      rendererDir: fake.rendererDir,
      dataDir: fake.dataDir,
      logger: createMemoryLogger(),
      core,
    });
    expect(host.core).toBe(core);
    expect(unsubscribed).not.toHaveBeenCalled();
    await host.close();
    expect(unsubscribed).toHaveBeenCalledTimes(1);
    expect(dispose).not.toHaveBeenCalled();
    await fake.cleanup();
    expect((await owner.call('preferences.set', { theme: 'dark' })).status).toBe(200);
    await owner.stop();
  });
});

async function openSocket(t: TestHost): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${t.host.port}/api/events`, {
    headers: { Cookie: t.cookie },
    origin: t.host.origin,
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

/** Sends a chunked body of `bytes` bytes with no Content-Length and returns whatever the host answers. */
async function streamBody(t: TestHost, bytes: number): Promise<{ status: number; body: string }> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: t.host.port,
        method: 'POST',
        path: '/api/invoke/preferences.set',
        headers: { ...t.pageHeaders(), 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    // The host may close the connection before the upload ends; the answer already arrived by then.
    req.on('error', (error) => reject(error));
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    let sent = 0;
    const pump = (): void => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    req.write('{"theme":"');
    pump();
  });
}
