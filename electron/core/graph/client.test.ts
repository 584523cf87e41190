import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchResponse } from '../../../shared/domain/graph.ts';
import { fakeRuntime } from '../net/test-support/fake-clock.ts';
import {
  sendJson,
  startRawServer,
  type RawHandler,
  type RawServer,
} from '../platform/test-support/raw-server.ts';
import { external } from '../../../tests/support/paths.ts';
import { StaticTokenProvider } from './auth.ts';
import { GraphClient, type GraphClientOptions } from './client.ts';
import { GraphError, graphErrorFrom } from './errors.ts';

function sample(name: string): string {
  return readFileSync(external('graph', name), 'utf8');
}
function sampleJson(name: string): Record<string, unknown> {
  return JSON.parse(sample(name)) as Record<string, unknown>;
}

let server: RawServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function graphFor(handler: RawHandler, options: Partial<GraphClientOptions> = {}) {
  server = await startRawServer(handler);
  const runtime = fakeRuntime();
  const graph = new GraphClient({
    baseUrl: `${server.url}/graph/v1.0`,
    tokens: new StaticTokenProvider('graph-token'),
    runtime,
    timeoutMs: 2_000,
    ...options,
  });
  return { graph, runtime, server };
}

async function graphFailure(promise: Promise<unknown>): Promise<GraphError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GraphError) return error;
    throw error;
  }
  throw new Error('expected a GraphError');
}

describe('GraphClient against raw servers replaying Microsoft samples', () => {
  it('reads a user with the bearer token and the ImmutableId preference', async () => {
    const { graph, server } = await graphFor(
      (_req, res) => sendJson(res, 200, sampleJson('user-get.response.json')),
      { immutableIds: true },
    );
    const user = await graph.getUser('AdeleV@contoso.onmicrosoft.com');
    expect(user.userPrincipalName).toBe('AdeleV@contoso.onmicrosoft.com');
    expect(server.requests[0]?.url).toBe('/graph/v1.0/users/AdeleV%40contoso.onmicrosoft.com');
    expect(server.requests[0]?.headers.authorization).toBe('Bearer graph-token');
    expect(server.requests[0]?.headers.prefer).toBe('IdType="ImmutableId"');
  });

  it('reads a calendar and an event', async () => {
    const { graph } = await graphFor((req, res) =>
      sendJson(
        res,
        200,
        req.url.includes('/events/')
          ? sampleJson('event-get.response.json')
          : sampleJson('calendar-get.response.json'),
      ),
    );
    expect((await graph.getCalendar('samanthab@adatum.onmicrosoft.com')).name).toBe('Calendar');
    const event = await graph.getEvent('a@b.edu', 'AAMkAGIAAAoZDOFAAA=');
    expect(event.id).toBe('AAMkAGIAAAoZDOFAAA=');
    expect(event.start?.timeZone).toBeTruthy();
    const longId = await graphFor((_req, res) =>
      sendJson(res, 200, sampleJson('event-get-contrib-longid.response.json')),
    );
    expect((await longId.graph.getEvent('a@b.edu', 'x')).id.length).toBeGreaterThan(50);
  });

  it('follows @odata.nextLink verbatim (Microsoft %3a encoding and $skip kept) with the same preferences', async () => {
    let nextLinkPath = '';
    const { graph, server } = await graphFor(
      (req, res, index) => {
        if (index === 0) {
          const page = sample('group-list-calendarview-nextlink.response.json').replaceAll(
            'https://graph.microsoft.com/v1.0',
            `${server?.url}/graph/v1.0`,
          );
          const parsed = JSON.parse(page) as Record<string, unknown>;
          nextLinkPath =
            new URL(parsed['@odata.nextLink'] as string).pathname +
            new URL(parsed['@odata.nextLink'] as string).search;
          return sendJson(res, 200, parsed);
        }
        return sendJson(res, 200, { value: [JSON.parse(sample('event-get.response.json'))] });
      },
      { immutableIds: true },
    );
    const ids: string[] = [];
    for await (const event of graph.listCalendarView(
      'adele@contoso.edu',
      '2017-01-01T19:00:00+01:00',
      '2017-10-01T19:00:00Z',
    ))
      ids.push(event.id);
    expect(ids.length).toBeGreaterThan(1);
    expect(ids.at(-1)).toBe('AAMkAGIAAAoZDOFAAA=');
    const first = new URL(server.requests[0]?.url ?? '', 'http://x');
    expect(first.pathname).toBe('/graph/v1.0/users/adele%40contoso.edu/calendarView');
    expect(first.searchParams.get('startDateTime')).toBe('2017-01-01T19:00:00+01:00');
    expect(server.requests[1]?.url).toBe(nextLinkPath);
    expect(server.requests[1]?.url).toContain('%3a00%3a00.0000000&endDateTime');
    expect(server.requests[1]?.headers.prefer).toBe('IdType="ImmutableId"');
    expect(server.requests[1]?.headers.authorization).toBe('Bearer graph-token');
  });

  it('walks Microsoft calendarView pages by $skiptoken nextLinks until the page without one', async () => {
    const pages = [
      'calendarview-delta-round1-page1-nextlink.response.json',
      'calendarview-delta-round1-page2-nextlink.response.json',
      'calendarview-delta-round1-page3-deltalink.response.json',
    ];
    const { graph, server } = await graphFor((_req, res, index) => {
      const name = pages[Math.min(index, pages.length - 1)] as string;
      // The samples point at graph.microsoft.com; a real Graph points at itself.
      sendJson(
        res,
        200,
        JSON.parse(sample(name).replaceAll('https://graph.microsoft.com/v1.0', `${server?.url}/graph/v1.0`)),
      );
    });
    const ids: string[] = [];
    for await (const event of graph.listCalendarView(
      'me@contoso.edu',
      '2016-12-01T00:00:00Z',
      '2016-12-31T00:00:00Z',
    ))
      ids.push(event.id);
    expect(ids).toEqual([
      'AAMkADNVxRAAA=',
      'AAMkADVxSAAA=',
      'AAMkADVxTAAA=',
      'AAMkADVxUAAA=',
      'AAMkADj1HuAAA=',
    ]);
    expect(server.requests.map((r) => r.url.slice(r.url.indexOf('?')))).toEqual([
      expect.stringContaining('startDateTime='),
      '?$skiptoken=R0usmcCM996atia_s',
      '?$skiptoken=R0usmci39OQxqJrxK4',
    ]);
  });

  it('reads the event samples with several locations and a long id', async () => {
    const { graph } = await graphFor((req, res) =>
      sendJson(
        res,
        200,
        sampleJson(
          req.url.includes('multi')
            ? 'event-get-multiple-locations.response.json'
            : 'event-get-contrib-longid.response.json',
        ),
      ),
    );
    const multi = await graph.getEvent('a@b.edu', 'multi');
    expect(multi['locations']).toBeInstanceOf(Array);
    expect((await graph.getEvent('a@b.edu', 'long')).id.length).toBeGreaterThan(100);
  });

  it('refuses a nextLink to another host and never sends it the token', async () => {
    const { graph, server } = await graphFor((_req, res) =>
      sendJson(res, 200, { value: [], '@odata.nextLink': 'https://evil.example.com/v1.0/x?$skip=1' }),
    );
    const error = await graphFailure(
      (async () => {
        for await (const _ of graph.listCalendarView(
          'a@b.edu',
          '2026-01-01T00:00:00Z',
          '2026-02-01T00:00:00Z',
        ))
          void _;
      })(),
    );
    expect(error.code).toBe('bad_reply');
    expect(server.requests).toHaveLength(1);
  });

  it('retries Microsoft 429 sample honouring Retry-After 2.128, and maps it when the budget runs out', async () => {
    const raw = sample('throttling-429.response.http');
    const retryAfter = /Retry-After:\s*([\d.]+)/.exec(raw)?.[1] ?? '';
    const body = sample('throttling-429.response.json');
    const throttle: RawHandler = (_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': retryAfter });
      res.end(body);
    };
    const ok = await graphFor((req, res, index) =>
      index === 0 ? throttle(req, res, index) : sendJson(res, 200, sampleJson('user-get.response.json')),
    );
    await ok.graph.getMe();
    expect(ok.runtime.sleeps).toHaveLength(1);
    expect(ok.runtime.sleeps[0]).toBeGreaterThanOrEqual(2128);
    expect(ok.runtime.sleeps[0]).toBeLessThanOrEqual(2128 * 1.1);
    await server?.close();

    const exhausted = await graphFor(throttle, { retry: { maxThrottleRetries: 1 } });
    const error = await graphFailure(exhausted.graph.getUser('a@b.edu'));
    expect(exhausted.server.requests).toHaveLength(2);
    expect(error.code).toBe('TooManyRequests');
    expect(error.status).toBe(429);
    expect(error.requestId).toBe('94fb3b52-452a-4535-a601-69e0a90e3aa2');
    expect(error.retryAfterMs).toBe(2128);
    expect(error.toConsoleError().code).toBe('rate_limited');
  });

  it('maps the documented error body (code, message, innerError request id)', async () => {
    const { graph } = await graphFor((_req, res) => {
      res.writeHead(416, { 'content-type': 'application/json' });
      res.end(sample('error-response.json'));
    });
    const error = await graphFailure(graph.getEvent('a@b.edu', 'x'));
    expect(error.code).toBe('invalidRange');
    expect(error.status).toBe(416);
    expect(error.requestId).toBe('request-id');
    expect(error.message).toContain('Uploaded fragment overlaps');
  });

  it('parses Microsoft $batch sample, including an inner error with an empty code', () => {
    const batch = BatchResponse.parse(sampleJson('json-batching-2025.response.json'));
    expect(batch.responses.map((r) => r.status)).toEqual([200, 403, 403, 405, 200]);
    const inner = batch.responses[1];
    const error = graphErrorFrom(inner?.status ?? 0, inner?.body, { what: 'inner' });
    expect(error.code).toBe('http_403');
    expect(error.requestId).toBe('93b6f17e-c05d-4f45-ad2a-6665c708d8a0');
    expect(error.toConsoleError().code).toBe('forbidden');
  });

  it('packs $batch by 20 and retries only the inner 429s on their own Retry-After', async () => {
    const event = sampleJson('event-get.response.json');
    const throttledOnce = new Set<string>();
    const { graph, runtime, server } = await graphFor((req, res) => {
      const body = JSON.parse(req.body) as { requests: Array<{ id: string; url: string }> };
      const responses = body.requests.map((r) => {
        const id = decodeURIComponent(r.url.split('/').pop() ?? '');
        if (/7$/.test(id) && !throttledOnce.has(id)) {
          throttledOnce.add(id);
          return {
            id: r.id,
            status: 429,
            headers: { 'Retry-After': '1.5' },
            body: sampleJson('throttling-429.response.json'),
          };
        }
        if (id === 'missing')
          return {
            id: r.id,
            status: 404,
            body: { error: { code: 'ErrorItemNotFound', message: 'not found' } },
          };
        return { id: r.id, status: 200, body: { ...event, id } };
      });
      sendJson(res, 200, { responses });
    });
    const ids = [...Array.from({ length: 44 }, (_, i) => `evt-${i}`), 'missing'];
    const results = await graph.batchGetEvents('a@b.edu', ids);
    const sizes = server.requests.map((r) => (JSON.parse(r.body) as { requests: unknown[] }).requests.length);
    // 45 ids: 20 + 20 + 5, each chunk followed by a batch of just its throttled items.
    expect(sizes).toEqual([20, 2, 20, 2, 5]);
    // evt-7, evt-17, evt-27, evt-37 were throttled once and re-asked in follow-up batches.
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(45 + 4);
    expect(runtime.sleeps.every((ms) => ms >= 1500 && ms <= 1650)).toBe(true);
    expect(results.size).toBe(45);
    expect((results.get('evt-7') as { id: string }).id).toBe('evt-7');
    const missing = results.get('missing');
    expect(missing).toBeInstanceOf(GraphError);
    expect((missing as GraphError).code).toBe('ErrorItemNotFound');
    expect(server.requests.every((r) => r.url === '/graph/v1.0/$batch')).toBe(true);
  });

  it('translates ids 1,000 at a time, keeping order', async () => {
    const shape = sampleJson('translateexchangeids.response.json');
    expect(Array.isArray(shape['value'])).toBe(true);
    const { graph, server } = await graphFor((req, res) => {
      const body = JSON.parse(req.body) as { inputIds: string[]; sourceIdType: string; targetIdType: string };
      sendJson(res, 200, {
        value: body.inputIds.map((id) => ({ sourceId: id, targetId: `${id}-immutable` })),
      });
    });
    const ids = Array.from({ length: 2_500 }, (_, i) => `id-${i}`);
    const out = await graph.translateExchangeIds('a@b.edu', ids, 'restId', 'restImmutableEntryId');
    expect(out.map((c) => c.sourceId)).toEqual(ids);
    expect(out[2_499]?.targetId).toBe('id-2499-immutable');
    const bodies = server.requests.map(
      (r) => JSON.parse(r.body) as { inputIds: string[]; sourceIdType: string; targetIdType: string },
    );
    expect(bodies.map((b) => b.inputIds.length)).toEqual([1000, 1000, 500]);
    expect(bodies[0]?.sourceIdType).toBe('restId');
    expect(bodies[0]?.targetIdType).toBe('restImmutableEntryId');
  });

  it('never has more than 4 requests in flight for one mailbox', async () => {
    const active = new Map<string, number>();
    const peak = new Map<string, number>();
    const { graph } = await graphFor((req, res) => {
      const mailbox = req.url.split('/')[4] ?? '';
      active.set(mailbox, (active.get(mailbox) ?? 0) + 1);
      peak.set(mailbox, Math.max(peak.get(mailbox) ?? 0, active.get(mailbox) ?? 0));
      setTimeout(() => {
        active.set(mailbox, (active.get(mailbox) ?? 1) - 1);
        sendJson(res, 200, sampleJson('event-get.response.json'));
      }, 30);
    });
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => graph.getEvent('one@b.edu', `e${i}`)),
      ...Array.from({ length: 10 }, (_, i) => graph.getEvent('two@b.edu', `e${i}`)),
    ]);
    expect(peak.get('one%40b.edu')).toBe(4);
    expect(peak.get('two%40b.edu')).toBe(4);
  });

  it('sends mail once (no retry of a 503 that may have been delivered) and creates drafts', async () => {
    const { graph, server } = await graphFor((req, res, index) => {
      if (req.url.endsWith('/sendMail')) {
        if (index === 0)
          return sendJson(res, 503, { error: { code: 'ServiceUnavailable', message: 'try later' } });
        res.writeHead(202);
        res.end();
        return;
      }
      return sendJson(res, 201, sampleJson('message-create-draft.response.json'));
    });
    const message = (JSON.parse(sample('sendmail.request.json')) as { message: Record<string, unknown> })
      .message;
    const first = await graphFailure(graph.sendMail(message));
    expect(first.status).toBe(503);
    expect(server.requests).toHaveLength(1);
    await graph.sendMail(message);
    expect(JSON.parse(server.requests[1]?.body ?? '')).toEqual({ message, saveToSentItems: true });
    const draft = await graph.createDraft(
      JSON.parse(sample('message-create-draft.request.json')) as Record<string, unknown>,
    );
    expect(draft.id.length).toBeGreaterThan(0);
  });

  it('cancels a call waiting on a silent server', async () => {
    const { graph } = await graphFor(() => undefined, { timeoutMs: 10_000 });
    const controller = new AbortController();
    const pending = graphFailure(graph.getMe({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 30);
    expect((await pending).code).toBe('cancelled');
  });
});
