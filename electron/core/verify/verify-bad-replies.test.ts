import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { connectionJson } from '../../../shared/domain/test-support/platform-samples.ts';
import { StaticTokenProvider } from '../graph/auth.ts';
import { GraphClient } from '../graph/client.ts';
import { realRuntime } from '../net/clock.ts';
import { RequestBudget } from '../net/request-budget.ts';
import { PlatformClient } from '../platform/client.ts';
import {
  sendJson,
  startRawServer,
  type RawServer,
  type RecordedRequest,
} from '../platform/test-support/raw-server.ts';
import { VerifyPacer } from './pacer.ts';
import { verifyUser } from './verify-user.ts';

/**
 * verifyUser against raw servers standing in for the platform and Graph, replying as the real
 * services may: inner 429s inside a 200 $batch, batch replies in another order, HTML and cut-off
 * JSON, unexpected shapes, ids with odd characters, translateExchangeIds failing, 10,000 items.
 * Microsoft's own samples (tests/fixtures/external/graph, unedited) give the error bodies.
 */
const FIXTURES = new URL('../../../tests/fixtures/external/graph/', import.meta.url);
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as Record<string, unknown>;
const THROTTLED = fixture('throttling-429.response.json');
const BATCH_2025 = fixture('json-batching-2025.response.json') as {
  responses: Array<{ id: string; status: number; headers?: Record<string, string>; body?: unknown }>;
};
const FORBIDDEN_INNER = BATCH_2025.responses.find((r) => r.status === 403)!;

const USER = 'u_01HF0001';
const MAILBOX = 'ada@school.edu';
const BASE_MS = Date.parse('2026-11-02T15:00:00Z');

interface Item {
  itemId: string;
  kind: 'event';
  title: string;
  start: string;
  end: string;
  timeZone: string;
  externalEventId: string;
  iCalUId: string;
  syncedAt: string;
  syncedVia: 'graph' | 'outlook_rest_v2';
}

function item(n: number, id = `AAMkAevent${n}`): Item {
  const start = BASE_MS + n * 3_600_000;
  return {
    itemId: `itm_${n}`,
    kind: 'event',
    title: `Event ${n}`,
    start: new Date(start).toISOString(),
    end: new Date(start + 1_800_000).toISOString(),
    timeZone: 'Eastern Standard Time',
    externalEventId: id,
    iCalUId: `uid-${n}`,
    syncedAt: '2026-10-01T00:00:00Z',
    syncedVia: 'graph',
  };
}

function eventOf(it: Item, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const utc = (iso: string) => ({
    dateTime: new Date(iso).toISOString().replace('Z', '0000'),
    timeZone: 'UTC',
  });
  return {
    id: it.externalEventId,
    iCalUId: it.iCalUId,
    subject: it.title,
    start: utc(it.start),
    end: utc(it.end),
    type: 'singleInstance',
    ...overrides,
  };
}

let servers: RawServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function fakePlatform(items: Item[]): Promise<PlatformClient> {
  const server = await startRawServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname.endsWith('/sync-log')) return sendJson(res, 200, { items: [] });
    if (url.pathname.endsWith('/synced-items')) {
      const offset = Number(url.searchParams.get('cursor') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? 200);
      const next = offset + limit < items.length ? String(offset + limit) : null;
      return sendJson(res, 200, { items: items.slice(offset, offset + limit), nextCursor: next });
    }
    return sendJson(
      res,
      200,
      connectionJson({ status: 'migrated', api: 'graph', syncedItemCount: items.length }),
    );
  });
  servers.push(server);
  return new PlatformClient({
    baseUrl: server.url,
    apiKey: 'test-key-123',
    budget: new RequestBudget(realRuntime, { ratePerSecond: 10_000, burst: 10_000 }),
  });
}

type GraphHandler = (req: RecordedRequest, res: ServerResponse, index: number) => void;

async function fakeGraph(handler: GraphHandler): Promise<{ graph: GraphClient; server: RawServer }> {
  const server = await startRawServer(handler);
  servers.push(server);
  return {
    server,
    graph: new GraphClient({
      baseUrl: `${server.url}/graph/v1.0`,
      tokens: new StaticTokenProvider('graph-token'),
      timeoutMs: 5_000,
      retry: { maxTotalDelayMs: 2_000 },
    }),
  };
}

/** A well-behaved Graph over `events` (by id), with hooks to misbehave. */
function mailboxGraph(
  events: Array<Record<string, unknown>>,
  hooks: {
    batch?: (requests: Array<{ id: string; url: string }>, res: ServerResponse, call: number) => boolean;
    view?: (res: ServerResponse) => boolean;
    translate?: (body: { inputIds: string[] }, res: ServerResponse) => boolean;
    pageSize?: number;
  } = {},
): GraphHandler {
  let batchCalls = 0;
  return (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname.endsWith('/$batch')) {
      const body = JSON.parse(req.body) as { requests: Array<{ id: string; url: string }> };
      if (hooks.batch?.(body.requests, res, batchCalls++)) return;
      const responses = body.requests.map((r) => {
        const id = decodeURIComponent(r.url.split('/events/')[1] ?? '');
        const event = events.find((e) => e['id'] === id);
        return event
          ? { id: r.id, status: 200, body: event }
          : { id: r.id, status: 404, body: { error: { code: 'ErrorItemNotFound', message: 'Not found.' } } };
      });
      return sendJson(res, 200, { responses });
    }
    if (url.pathname.endsWith('/calendarView')) {
      if (hooks.view?.(res)) return;
      const size = hooks.pageSize ?? 1000;
      const skip = Number(url.searchParams.get('$skiptoken') ?? 0);
      const page = events.slice(skip, skip + size);
      const nextUrl = new URL(`http://${req.headers.host}${req.url}`);
      nextUrl.searchParams.set('$skiptoken', String(skip + size));
      const next = skip + size < events.length ? nextUrl.toString() : undefined;
      return sendJson(res, 200, {
        value: page,
        ...(next ? { '@odata.nextLink': next } : {}),
      });
    }
    if (url.pathname.endsWith('/translateExchangeIds')) {
      const body = JSON.parse(req.body) as { inputIds: string[] };
      if (hooks.translate?.(body, res)) return;
      return sendJson(res, 200, {
        value: body.inputIds.map((id) => ({
          sourceId: id,
          errorDetails: { code: 'ErrorInvalidIdMalformed', message: 'no' },
        })),
      });
    }
    sendJson(res, 404, { error: { code: 'BadRequest', message: 'unknown' } });
  };
}

function deps(platform: PlatformClient, graph: GraphClient) {
  return { platform, graph, pacer: new VerifyPacer({ globalConcurrency: 8 }) };
}

describe('verifyUser with replies the real services may send', () => {
  it('retries inner 429s on their own Retry-After and matches reordered batch replies by id', async () => {
    const items = Array.from({ length: 45 }, (_, n) => item(n));
    const events = items.map((i) => eventOf(i));
    let throttledOnce = false;
    const { graph, server } = await fakeGraph(
      mailboxGraph(events, {
        batch: (requests, res) => {
          const responses = requests.map((r) => {
            const id = decodeURIComponent(r.url.split('/events/')[1] ?? '');
            const event = events.find((e) => e['id'] === id)!;
            // The first batch throttles its even requests once, with Microsoft's 429 body.
            if (!throttledOnce && Number(r.id) % 2 === 0)
              return { id: r.id, status: 429, headers: { 'Retry-After': '0.05' }, body: THROTTLED };
            return { id: r.id, status: 200, body: event };
          });
          throttledOnce = true;
          // Graph may answer in any order.
          sendJson(res, 200, { responses: responses.reverse() });
          return true;
        },
      }),
    );
    const r = await verifyUser(deps(await fakePlatform(items), graph), USER);
    expect(r.verdict).toBe('ok');
    expect(r.counts.ok).toBe(45);
    const batches = server.requests.filter((q) => q.url.endsWith('/$batch'));
    expect(batches.length).toBeGreaterThan(3); // 3 batches of ≤20 + the retried inner requests
    for (const b of batches)
      expect((JSON.parse(b.body) as { requests: unknown[] }).requests.length).toBeLessThanOrEqual(20);
  });

  it('an inner 429 past the retry budget leaves the item unverified, never missing', async () => {
    const items = [item(1), item(2)];
    const events = items.map((i) => eventOf(i));
    const { graph } = await fakeGraph(
      mailboxGraph(events, {
        batch: (requests, res) => {
          sendJson(res, 200, {
            responses: requests.map((r) => ({
              id: r.id,
              status: 429,
              headers: { 'Retry-After': '1.5' },
              body: THROTTLED,
            })),
          });
          return true;
        },
      }),
    );
    const r = await verifyUser(deps(await fakePlatform(items), graph), USER);
    expect(r.counts.unverified).toBe(2);
    expect(r.counts.missing).toBe(0);
    expect(r.verdict).toBe('incomplete');
    expect(r.items[0]?.detail).toMatch(/429|throttl/i);
  });

  it.each([
    [
      'an HTML page',
      (res: ServerResponse) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>Sign in</body></html>');
      },
    ],
    [
      'cut-off JSON',
      (res: ServerResponse) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"responses":[{"id":"1","sta');
      },
    ],
    ['an unexpected shape', (res: ServerResponse) => sendJson(res, 200, { value: 'surprise' })],
  ])(
    'a $batch answered with %s: every item unverified with the reason, no false verdict',
    async (_what, reply) => {
      const items = [item(1), item(2), item(3)];
      const { graph } = await fakeGraph(
        mailboxGraph(
          items.map((i) => eventOf(i)),
          { batch: (_r, res) => (reply(res), true) },
        ),
      );
      const r = await verifyUser(deps(await fakePlatform(items), graph), USER);
      expect(r.verdict).toBe('incomplete');
      expect(r.counts.unverified).toBe(3);
      expect(r.items.every((i) => /could not/.test(i.detail))).toBe(true);
    },
  );

  it('calendarView answering HTML: found items that match are unverified (duplicates unknown), mismatches still reported', async () => {
    const items = [item(1), item(2)];
    const events = [eventOf(items[0]!), eventOf(items[1]!, { subject: 'Renamed' })];
    const { graph } = await fakeGraph(
      mailboxGraph(events, {
        view: (res) => {
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end('<html>proxy</html>');
          return true;
        },
      }),
    );
    const r = await verifyUser(deps(await fakePlatform(items), graph), USER);
    expect(r.items.map((i) => i.class)).toEqual(['unverified', 'mismatch']);
    expect(r.notChecked.join(' ')).toMatch(/could not be looked for/);
  });

  it('ids with odd characters are sent encoded and classified, and a non-Exchange id is not translated', async () => {
    const odd = ['AAMk/slash+plus==', 'id with spaces?#&', 'ünïcødé-ид', 'AAMkA%2Fencoded'];
    const items = odd.map((id, n) => item(n, id));
    const events = [eventOf(items[0]!), eventOf(items[1]!), eventOf(items[2]!)]; // the last is gone
    const { graph, server } = await fakeGraph(mailboxGraph(events));
    const r = await verifyUser(deps(await fakePlatform(items), graph), USER);
    expect(r.items.map((i) => i.class)).toEqual(['ok', 'ok', 'ok', 'missing']);
    const batch = JSON.parse(server.requests.find((q) => q.url.endsWith('/$batch'))!.body) as {
      requests: Array<{ url: string }>;
    };
    expect(batch.requests[1]?.url).toBe(
      `/users/${encodeURIComponent(MAILBOX)}/events/${encodeURIComponent(odd[1]!)}`,
    );
    // "AAMkA%2Fencoded" is not base64 of either alphabet: no translateExchangeIds call for it.
    const translated = server.requests.filter((q) => q.url.endsWith('/translateExchangeIds'));
    expect(translated.flatMap((q) => (JSON.parse(q.body) as { inputIds: string[] }).inputIds)).not.toContain(
      odd[3],
    );
  });

  it('translateExchangeIds failing: an item found under another id is unverified, not id_changed', async () => {
    const items = [item(1, 'AQMkAlegacy1'), item(2, 'AAMkAgone2')];
    const moved = eventOf(items[0]!, { id: 'AAMkAnew1' });
    const { graph } = await fakeGraph(
      mailboxGraph([moved], {
        translate: (_body, res) => {
          sendJson(res, 403, FORBIDDEN_INNER.body ?? { error: { code: 'Forbidden' } });
          return true;
        },
      }),
    );
    const r = await verifyUser(deps(await fakePlatform(items), graph), USER);
    expect(r.items[0]).toMatchObject({ class: 'unverified' });
    expect(r.items[0]?.detail).toMatch(/translateExchangeIds failed/);
    expect(r.items[1]).toMatchObject({ class: 'missing' });
  });

  it('translateExchangeIds resolving an older-format id: legacy_id with the translated id', async () => {
    const items = [item(1, 'AQMkAlegacy1')];
    const current = eventOf(items[0]!, { id: 'AAMkAcurrent1' });
    const { graph } = await fakeGraph(
      mailboxGraph([current], {
        translate: (body, res) => {
          sendJson(res, 200, {
            value: body.inputIds.map((id) => ({ sourceId: id, targetId: 'AAMkAcurrent1' })),
          });
          return true;
        },
      }),
    );
    const r = await verifyUser(deps(await fakePlatform(items), graph), USER);
    expect(r.items[0]).toMatchObject({ class: 'legacy_id', newId: 'AAMkAcurrent1' });
  });

  it('a user whose mailbox Graph does not know: no_mailbox, with what was not checked', async () => {
    const items = [item(1)];
    const { graph } = await fakeGraph((req, res) => {
      if (req.url.endsWith('/$batch'))
        return sendJson(res, 200, {
          responses: [{ id: '1', status: 404, body: { error: { code: 'ErrorInvalidUser', message: 'x' } } }],
        });
      sendJson(res, 404, {
        error: { code: 'ErrorInvalidUser', message: "The requested user 'ada@school.edu' is invalid." },
      });
    });
    const r = await verifyUser(deps(await fakePlatform(items), graph), USER);
    expect(r.verdict).toBe('no_mailbox');
    expect(r.graphChecked).toBe(false);
    expect(r.notChecked.join(' ')).toMatch(/no mailbox/);
  });

  it('a user with 10,000 synced items: all read and checked in batches of 20 within the mailbox window, paged calendarView, a correct verdict', async () => {
    const items = Array.from({ length: 10_000 }, (_, n) => item(n));
    const events = items.map((i, n) =>
      n === 1234
        ? eventOf(i, { start: { dateTime: '2030-01-01T00:00:00.0000000', timeZone: 'UTC' } })
        : eventOf(i),
    );
    const { graph, server } = await fakeGraph(mailboxGraph(events, { pageSize: 1000 }));
    // 10,000 inner requests do not fit Graph's 10,000 per 10 minutes per mailbox with the
    // calendarView pages: the pacer waits for the window (on a virtual clock here).
    let clock = 0;
    const pacer = new VerifyPacer({
      globalConcurrency: 8,
      now: () => clock,
      sleep: (ms) => {
        clock += ms;
        return Promise.resolve();
      },
    });
    const r = await verifyUser({ platform: await fakePlatform(items), graph, pacer, pageSize: 1000 }, USER);
    expect(pacer.waits).toBeGreaterThan(0);
    expect(clock).toBeGreaterThanOrEqual(10 * 60_000);
    expect(r.platform.itemsRead).toBe(10_000);
    expect(r.counts.ok).toBe(9_999);
    expect(r.counts.mismatch).toBe(1);
    expect(r.verdict).toBe('anomalies');
    expect(server.requests.filter((q) => q.url.endsWith('/$batch'))).toHaveLength(500);
    expect(server.requests.filter((q) => q.url.includes('/calendarView')).length).toBe(10);
  }, 60_000);
});
