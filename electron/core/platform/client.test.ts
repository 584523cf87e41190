import { afterEach, describe, expect, it } from 'vitest';
import { PlatformClient, type PlatformClientOptions } from './client.ts';
import { PlatformError } from './errors.ts';
import { fakeRuntime } from '../net/test-support/fake-clock.ts';
import { connectionJson, migrationJson } from '../../../shared/domain/test-support/platform-samples.ts';
import {
  sendJson,
  sendProblem,
  startRawServer,
  type RawHandler,
  type RawServer,
} from './test-support/raw-server.ts';

let server: RawServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(handler: RawHandler, options: Partial<PlatformClientOptions> = {}) {
  server = await startRawServer(handler);
  const runtime = fakeRuntime();
  const client = new PlatformClient({
    baseUrl: `${server.url}/api/calendar-sync/v1`,
    apiKey: 'key-123',
    runtime,
    timeoutMs: 2_000,
    ...options,
  });
  return { client, runtime, server };
}

async function failure(promise: Promise<unknown>): Promise<PlatformError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PlatformError) return error;
    throw error;
  }
  throw new Error('expected a PlatformError');
}

describe('PlatformClient over raw HTTP', () => {
  it('sends the bearer key and Accept, and returns the validated migration', async () => {
    const { client, server } = await clientFor((_req, res) => sendJson(res, 200, migrationJson()));
    const migration = await client.getMigration();
    expect(migration.timezone).toBe('America/New_York');
    expect(migration.counts.byStatus.error).toBe(0);
    expect(server.requests[0]?.url).toBe('/api/calendar-sync/v1/migration');
    expect(server.requests[0]?.headers.authorization).toBe('Bearer key-123');
    expect(server.requests[0]?.headers.accept).toContain('application/problem+json');
  });

  it('honours a fractional Retry-After on 429, then succeeds', async () => {
    const { client, runtime, server } = await clientFor((_req, res, i) =>
      i === 0
        ? sendProblem(res, 429, 'rate_limited', { 'retry-after': '0.75' })
        : sendJson(res, 200, migrationJson()),
    );
    await client.getMigration();
    expect(server.requests).toHaveLength(2);
    const waited = runtime.sleeps.reduce((a, b) => a + b, 0);
    expect(waited).toBeGreaterThanOrEqual(750);
    expect(waited).toBeLessThanOrEqual(825);
  });

  it('rides out a throttling burst longer than the failure budget (throttles do not use attempts)', async () => {
    const { client, server } = await clientFor(
      (_req, res, i) =>
        i < 8
          ? sendProblem(res, 429, 'rate_limited', { 'retry-after': '0.4' })
          : sendJson(res, 200, migrationJson()),
      { retry: { maxAttempts: 3 } },
    );
    await client.getMigration();
    expect(server.requests).toHaveLength(9);
  });

  it('caps throttle retries separately', async () => {
    const { client, server } = await clientFor(
      (_req, res) => sendProblem(res, 429, 'rate_limited', { 'retry-after': '0.1' }),
      { retry: { maxThrottleRetries: 2 } },
    );
    const error = await failure(client.getMigration());
    expect(server.requests).toHaveLength(3);
    expect(error.status).toBe(429);
  });

  it('backs off on 503 without Retry-After and on a reset connection', async () => {
    const { client, server } = await clientFor((_req, res, i) => {
      if (i === 0) return sendProblem(res, 503, 'unavailable');
      if (i === 1) return void res.socket?.destroy();
      return sendJson(res, 200, migrationJson());
    });
    await client.getMigration();
    expect(server.requests).toHaveLength(3);
  });

  it('gives up after the attempt budget with a retryable error', async () => {
    const { client, server } = await clientFor((_req, res) => sendProblem(res, 500, 'internal_error'), {
      retry: { maxAttempts: 3 },
    });
    const error = await failure(client.getMigration());
    expect(server.requests).toHaveLength(3);
    expect(error.code).toBe('internal_error');
    expect(error.retryable).toBe(true);
    expect(error.attempts).toBe(3);
    expect(error.toConsoleError().code).toBe('unavailable');
  });

  it('stops when the next wait would cross the total-delay budget', async () => {
    const { client, server } = await clientFor(
      (_req, res) => sendProblem(res, 429, 'rate_limited', { 'retry-after': '20' }),
      {
        retry: { maxTotalDelayMs: 30_000 },
      },
    );
    const error = await failure(client.getMigration());
    // 20 s fits the 30 s budget once, a second 20 s does not.
    expect(server.requests).toHaveLength(2);
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(20_000);
    expect(error.toConsoleError().code).toBe('rate_limited');
  });

  it('keeps the Idempotency-Key stable across retries of a POST and reports replays', async () => {
    const { client, server } = await clientFor((req, res, i) => {
      if (i === 0) return sendProblem(res, 502, 'bad_gateway');
      return sendJson(
        res,
        200,
        { connection: connectionJson({ status: 'disconnected' }), changed: true },
        { 'idempotent-replayed': i > 1 ? 'true' : 'false' },
      );
    });
    const result = await client.forceDisconnect('u_01HF0001', { reason: 'cut-off' }, { ifMatch: '"3"' });
    expect(server.requests).toHaveLength(2);
    const keys = server.requests.map((r) => r.headers['idempotency-key']);
    expect(keys[0]).toBe(result.idempotencyKey);
    expect(keys[1]).toBe(result.idempotencyKey);
    expect(server.requests[1]?.headers['if-match']).toBe('"3"');
    expect(JSON.parse(server.requests[1]?.body ?? '')).toEqual({ reason: 'cut-off' });
    expect(result.replayed).toBe(false);
    const again = await client.forceDisconnect(
      'u_01HF0001',
      { reason: 'cut-off' },
      { idempotencyKey: 'caller-key-1' },
    );
    expect(server.requests[2]?.headers['idempotency-key']).toBe('caller-key-1');
    expect(again.replayed).toBe(true);
  });

  it('turns 401 into an actionable, non-retried error', async () => {
    const { client, server } = await clientFor((_req, res) => sendProblem(res, 401, 'unauthorized'));
    const error = await failure(client.getMigration());
    expect(server.requests).toHaveLength(1);
    expect(error.toConsoleError().code).toBe('unauthorized');
    expect(error.message).toMatch(/API key/);
  });

  it('names the missing scope on 403', async () => {
    const { client } = await clientFor((_req, res) => sendProblem(res, 403, 'forbidden'));
    const error = await failure(
      client.createMagicLink({ userId: 'u_1', target: 'calendar-sync-settings', ttlMinutes: 60 }),
    );
    expect(error.message).toContain('magic-links:write');
    expect(error.userId).toBe('u_1');
    expect(error.toConsoleError().code).toBe('forbidden');
  });

  it('maps 412 to precondition_failed with the user named', async () => {
    const { client } = await clientFor((_req, res) => sendProblem(res, 412, 'precondition_failed'));
    const error = await failure(client.resync('u_7', { ifMatch: '"old"' }));
    expect(error.code).toBe('precondition_failed');
    expect(error.userId).toBe('u_7');
    expect(error.toConsoleError().code).toBe('precondition_failed');
  });

  it('retries a proxy HTML 502 page and then reports it as a web page', async () => {
    const { client, server } = await clientFor(
      (_req, res) => {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
      },
      { retry: { maxAttempts: 2 } },
    );
    const error = await failure(client.getMigration());
    expect(server.requests).toHaveLength(2);
    expect(error.code).toBe('http_error');
    expect(error.message).toMatch(/web page/);
  });

  it('refuses a 200 HTML page without retrying (a captive portal will not change its mind)', async () => {
    const { client, server } = await clientFor((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Sign in</title>');
    });
    const error = await failure(client.getMigration());
    expect(server.requests).toHaveLength(1);
    expect(error.code).toBe('bad_reply');
    expect(error.message).toMatch(/web page/);
    expect(error.toConsoleError().code).toBe('bad_reply');
  });

  it('refuses a wrong content type', async () => {
    const { client } = await clientFor((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(JSON.stringify(migrationJson()));
    });
    const error = await failure(client.getMigration());
    expect(error.code).toBe('bad_reply');
    expect(error.message).toContain('text/plain');
  });

  it('retries JSON cut short (chunked) and reports it when it persists', async () => {
    const { client, server } = await clientFor(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(migrationJson()).slice(0, 80));
      },
      { retry: { maxAttempts: 2 } },
    );
    const error = await failure(client.getMigration());
    expect(server.requests).toHaveLength(2);
    expect(error.code).toBe('bad_reply');
    expect(error.message).toMatch(/cut off/);
  });

  it('retries a body shorter than its Content-Length (connection dropped mid-reply)', async () => {
    const { client, server } = await clientFor((_req, res, i) => {
      if (i > 0) return sendJson(res, 200, migrationJson());
      const text = JSON.stringify(migrationJson());
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(text.length) });
      res.write(text.slice(0, 40));
      setTimeout(() => res.socket?.destroy(), 10);
    });
    const migration = await client.getMigration();
    expect(migration.platformName).toBe('Careers at Example U');
    expect(server.requests).toHaveLength(2);
  });

  it('times out a silent server per attempt', async () => {
    const { client, server } = await clientFor(() => undefined, {
      timeoutMs: 150,
      retry: { maxAttempts: 2 },
    });
    const error = await failure(client.getMigration());
    expect(error.code).toBe('timeout');
    expect(error.toConsoleError().code).toBe('timeout');
    expect(server.requests).toHaveLength(2);
  });

  it('times out a reply that stalls half-way through its body, then retries', async () => {
    const { client, server } = await clientFor(
      (_req, res, i) => {
        if (i > 0) return sendJson(res, 200, migrationJson());
        const text = JSON.stringify(migrationJson());
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(text.length) });
        res.write(text.slice(0, 50));
      },
      { timeoutMs: 200 },
    );
    expect((await client.getMigration()).timezone).toBe('America/New_York');
    expect(server.requests).toHaveLength(2);
  });

  it('cancels a request in flight', async () => {
    const { client } = await clientFor(() => undefined, { timeoutMs: 10_000 });
    const controller = new AbortController();
    const pending = failure(client.getMigration({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    const error = await pending;
    expect(error.code).toBe('cancelled');
    expect(error.toConsoleError().code).toBe('cancelled');
  });

  it('names field, value and user when a reply uses an unknown status', async () => {
    const { client } = await clientFor((_req, res) =>
      sendJson(res, 200, {
        items: [connectionJson(), connectionJson({ userId: 'u_2', status: 'paused' })],
        nextCursor: null,
      }),
    );
    const error = await failure(client.listConnectionsPage({}));
    expect(error.code).toBe('unknown_enum_value');
    expect(error.field).toBe('items.1.status');
    expect(error.value).toBe('paused');
    expect(error.userId).toBe('u_2');
  });

  it('refuses a connection with a missing field, naming the field and the user', async () => {
    const broken = connectionJson();
    delete broken['etag'];
    const { client } = await clientFor((_req, res) => sendJson(res, 200, broken));
    const error = await failure(client.getConnection('u_01HF0001'));
    expect(error.code).toBe('bad_reply');
    expect(error.field).toBe('etag');
    expect(error.userId).toBe('u_01HF0001');
    expect(error.message).toContain('etag');
  });

  it('walks cursor pages verbatim, with filters as comma lists', async () => {
    const { client, server } = await clientFor((req, res) => {
      const cursor = new URL(req.url, 'http://x').searchParams.get('cursor');
      if (cursor === null)
        return sendJson(res, 200, { items: [connectionJson({ userId: 'u_1' })], nextCursor: 'c/2+=' });
      if (cursor === 'c/2+=')
        return sendJson(res, 200, { items: [connectionJson({ userId: 'u_2' })], nextCursor: null });
      return sendProblem(res, 400, 'invalid_cursor');
    });
    const ids: string[] = [];
    for await (const connection of client.listConnections({
      status: ['legacy', 'error'],
      role: ['student'],
      limit: 1,
    }))
      ids.push(connection.userId);
    expect(ids).toEqual(['u_1', 'u_2']);
    const first = new URL(server.requests[0]?.url ?? '', 'http://x').searchParams;
    expect(first.get('status')).toBe('legacy,error');
    expect(first.get('role')).toBe('student');
    expect(first.get('limit')).toBe('1');
  });

  it('asks for the next page while the caller still works on this one, and for no page twice', async () => {
    const { client, server } = await clientFor((req, res) => {
      const cursor = new URL(req.url, 'http://x').searchParams.get('cursor');
      const page = Number(cursor ?? '0');
      sendJson(res, 200, {
        items: [connectionJson({ userId: `u_${page}` })],
        nextCursor: page < 2 ? String(page + 1) : null,
      });
    });
    const seen: string[] = [];
    for await (const page of client.connectionPages({ limit: 1 })) {
      const id = page.items[0]?.userId ?? '';
      seen.push(id);
      if (id === 'u_0') {
        // Holding page 1: the request for page 2 arrives anyway (a walk that waited would hang here).
        const deadline = Date.now() + 2_000;
        while (server.requests.length < 2 && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 5));
        expect(server.requests).toHaveLength(2);
      }
    }
    expect(seen).toEqual(['u_0', 'u_1', 'u_2']);
    expect(server.requests.map((r) => new URL(r.url, 'http://x').searchParams.get('cursor'))).toEqual([
      null,
      '1',
      '2',
    ]);
  });

  it('surfaces invalid_cursor and stops a cursor loop', async () => {
    const { client } = await clientFor((req, res) => {
      const cursor = new URL(req.url, 'http://x').searchParams.get('cursor');
      if (cursor === 'tampered') return sendProblem(res, 400, 'invalid_cursor');
      return sendJson(res, 200, { items: [], nextCursor: 'same' });
    });
    const invalid = await failure(client.listConnectionsPage({ cursor: 'tampered' }));
    expect(invalid.code).toBe('invalid_cursor');
    expect(invalid.retryable).toBe(false);
    const loop = await failure(
      (async () => {
        for await (const _ of client.listConnections()) void _;
      })(),
    );
    expect(loop.title).toBe('Cursor loop');
  });

  it('reports a redirect to a sign-in gateway instead of following it', async () => {
    const { client } = await clientFor((_req, res) => {
      res.writeHead(302, { location: 'https://sso.example.edu/login' });
      res.end();
    });
    const error = await failure(client.getMigration());
    expect(error.code).toBe('http_error');
    expect(error.message).toMatch(/redirected/);
  });

  it('refuses bad input before sending anything, as bad_input', async () => {
    const { client, server } = await clientFor((_req, res) => sendJson(res, 200, migrationJson()));
    const ttl = await failure(
      client.createMagicLink({ userId: 'u_1', target: 'calendar-sync-settings', ttlMinutes: 4 }),
    );
    expect(ttl.code).toBe('bad_input');
    expect(ttl.issues?.[0]?.path).toBe('ttlMinutes');
    expect(ttl.toConsoleError().code).toBe('bad_input');
    expect((await failure(client.listConnectionsPage({ limit: 1001 }))).code).toBe('bad_input');
    expect((await failure(client.resync('u_1', { idempotencyKey: '' }))).code).toBe('bad_input');
    expect((await failure(client.forceDisconnect('u_1', { reason: '' }))).code).toBe('bad_input');
    expect(server.requests).toHaveLength(0);
  });

  it('reads a gzip-encoded reply', async () => {
    const { gzipSync } = await import('node:zlib');
    const { client } = await clientFor((_req, res) => {
      const body = gzipSync(JSON.stringify(migrationJson()));
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': body.length,
      });
      res.end(body);
    });
    expect((await client.getMigration()).platformName).toBe('Careers at Example U');
  });

  it('keeps per-user magic-link problems as items', async () => {
    const { client } = await clientFor((_req, res) =>
      sendJson(res, 200, {
        items: [
          { userId: 'u_1', url: 'https://careers.example.edu/m/1', expiresAt: '2026-06-02T12:00:00Z' },
          {
            userId: 'u_x',
            error: { type: 'about:blank', title: 'Not found', status: 404, code: 'not_found' },
          },
        ],
      }),
    );
    const result = await client.createMagicLinkBatch({
      userIds: ['u_1', 'u_x'],
      target: 'calendar-sync-settings',
      ttlMinutes: 60,
    });
    expect(result.value.items).toHaveLength(2);
    expect(result.status).toBe(200);
  });
});
