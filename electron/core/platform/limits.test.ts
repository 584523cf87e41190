import { afterEach, describe, expect, it } from 'vitest';
import { migrationJson } from '../../../shared/domain/test-support/platform-samples.ts';
import { realRuntime } from '../net/clock.ts';
import { deadlineAfter } from '../net/deadline.ts';
import { PlatformClient, type PlatformClientOptions } from './client.ts';
import { PlatformError } from './errors.ts';
import {
  sendJson,
  sendProblem,
  startRawServer,
  type RawHandler,
  type RawServer,
} from './test-support/raw-server.ts';

/** Issue 10, "Limits on what comes in" and "Secrets", for the platform client. */
let server: RawServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(handler: RawHandler, options: Partial<PlatformClientOptions> = {}) {
  server = await startRawServer(handler);
  const client = new PlatformClient({
    baseUrl: `${server.url}/api/calendar-sync/v1`,
    apiKey: 'key-123',
    timeoutMs: 5_000,
    ...options,
  });
  return { client, server };
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

const MIB = 1024 * 1024;

describe('reply size', () => {
  it('refuses a reply larger than the endpoint allows as it streams in, and never retries it', async () => {
    const { client, server } = await clientFor((_req, res) => {
      // No Content-Length: the bound must hold while reading, not only from the header.
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(MIB, 0x20);
      let sent = 0;
      const more = (): void => {
        while (sent < 64 && !res.destroyed) {
          sent += 1;
          if (!res.write(chunk)) {
            res.once('drain', more);
            return;
          }
        }
        res.end();
      };
      res.on('error', () => undefined);
      more();
    });
    const error = await failure(client.getMigration());
    expect(error.code).toBe('reply_too_large');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/larger than 4 MiB/);
    expect(error.toConsoleError().code).toBe('bad_reply');
    expect(server.requests).toHaveLength(1);
  });

  it('refuses by Content-Length before reading, and allows a large page where pages are large', async () => {
    const { client, server } = await clientFor((req, res) => {
      if (req.url.includes('/migration')) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(5 * MIB) });
        res.end();
        return;
      }
      // A 6 MiB connection page is fine for /connections (bound 32 MiB) … and fails its schema, which is another error.
      sendJson(res, 200, { items: [], nextCursor: null, padding: 'x'.repeat(6 * MIB) });
    });
    expect((await failure(client.getMigration())).code).toBe('reply_too_large');
    const page = await client.listConnectionsPage({ limit: 10 });
    expect(page.items).toEqual([]);
    expect(server.requests).toHaveLength(2);
  });
});

describe('user ids in paths', () => {
  it.each(['.', '..', 'a/b', '../api', '', ' u_1', 'u 1', '%2e%2e', 'é'])(
    'refuses %j before sending anything, on every path built from a user id',
    async (userId) => {
      const { client, server } = await clientFor((_req, res) => sendProblem(res, 404, 'not_found'));
      for (const call of [
        () => client.getConnection(userId),
        () => client.getSyncLog(userId),
        () => client.listSyncedItemsPage(userId),
        () => client.forceDisconnect(userId, { reason: 'cut-off passed' }),
        () => client.resync(userId),
      ]) {
        const error = await failure(call());
        expect(error.code).toBe('bad_input');
        expect(error.message).toMatch(/not a platform user id/);
      }
      expect(server.requests).toHaveLength(0);
    },
  );

  it('sends a valid id as exactly one path segment', async () => {
    const { client, server } = await clientFor((_req, res) => sendProblem(res, 404, 'not_found'));
    await failure(client.getConnection('u_01.x~y-z'));
    expect(server.requests[0]?.url).toBe('/api/calendar-sync/v1/connections/u_01.x~y-z');
  });
});

describe('the API key', () => {
  it.each([
    ['a line break', 'abc123\nSECRETTAIL'],
    ['NUL', 'abc123\u0000SECRETTAIL'],
    ['U+202E', 'abc123\u202eSECRETTAIL'],
    ['a space', 'abc123 SECRETTAIL'],
  ])('with %s is refused without being echoed', (_what, apiKey) => {
    let thrown: unknown;
    try {
      new PlatformClient({ baseUrl: 'https://careers.example.edu/api/calendar-sync/v1', apiKey });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PlatformError);
    expect((thrown as PlatformError).code).toBe('bad_input');
    expect(String((thrown as Error).message)).not.toContain('SECRETTAIL');
    expect(String((thrown as Error).message)).not.toContain('abc123');
  });

  it.each([
    'http://careers.example.edu/api',
    'http://10.0.0.5/api',
    'ftp://example.edu/',
    'https://user:pw@example.edu/',
  ])('is never sent to %s', (baseUrl) => {
    expect(() => new PlatformClient({ baseUrl, apiKey: 'key-123456' })).toThrow(PlatformError);
  });

  it('never echoes a header value from a network-layer error', async () => {
    const client = new PlatformClient({
      baseUrl: 'https://careers.example.edu/api/calendar-sync/v1',
      apiKey: 'key-123456',
      retry: { maxAttempts: 1 },
      fetch: () =>
        Promise.reject(
          new TypeError('Headers.append: "Bearer SECRETKEY\nSECRETTAIL" is an invalid header value.'),
        ),
    });
    const error = await failure(client.getMigration());
    expect(error.code).toBe('network_error');
    expect(error.message).not.toMatch(/SECRET/);
    expect(error.message).toMatch(/a request header was refused/);
  });

  it('may go over http to this computer only', () => {
    for (const baseUrl of ['http://127.0.0.1:4000/api', 'http://localhost:4000/api', 'http://[::1]:4000/api'])
      expect(new PlatformClient({ baseUrl, apiKey: 'key-123456' }).baseUrl).toBe(baseUrl);
  });
});

describe('an overall deadline', () => {
  it('ends a call to a hung platform at the deadline and says so, not "within 15 s"', async () => {
    const deadline = deadlineAfter(1_500);
    const { client } = await clientFor(() => undefined /* never answers */, {
      timeoutMs: 15_000,
      deadline,
    });
    const started = performance.now();
    const error = await failure(client.getMigration());
    const took = performance.now() - started;
    deadline.dispose();
    expect(took).toBeGreaterThanOrEqual(1_400);
    expect(took).toBeLessThan(3_000);
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(/within the deadline of 1\.5 s/);
    expect(error.message).toMatch(/1 attempt; attempt 1 was still waiting for a reply/);
    expect(error.message).not.toMatch(/within 15 s/);
  });

  it('does not start a wait it cannot finish before the deadline, and counts the attempts it made', async () => {
    const deadline = deadlineAfter(4_000);
    const { client, server } = await clientFor(
      (_req, res) => sendProblem(res, 503, 'unavailable', { 'retry-after': '1.5' }),
      {
        deadline,
        runtime: realRuntime,
      },
    );
    const started = performance.now();
    const error = await failure(client.getMigration());
    deadline.dispose();
    // Attempts at about 0, 1.5 and 3 s; a fourth would start after the deadline, so it stops at ~3 s.
    expect(performance.now() - started).toBeLessThan(4_000);
    expect(error.code).toBe('timeout');
    expect(error.attempts).toBe(server.requests.length);
    expect(error.message).toMatch(
      new RegExp(`${server.requests.length} attempts over [0-9.]+ s; the last failed`),
    );
  });

  it('says "cancelled" when the user stopped it, not the deadline', async () => {
    const stop = new AbortController();
    const deadline = deadlineAfter(5_000, stop.signal);
    const { client } = await clientFor(() => undefined, { deadline });
    setTimeout(() => stop.abort(new Error('SIGINT')), 100);
    const error = await failure(client.getMigration());
    deadline.dispose();
    expect(error.code).toBe('cancelled');
  });

  it('lets a call that finishes in time through', async () => {
    const deadline = deadlineAfter(5_000);
    const { client } = await clientFor((_req, res) => sendJson(res, 200, migrationJson()), { deadline });
    await expect(client.getMigration()).resolves.toBeTruthy();
    deadline.dispose();
  });
});
