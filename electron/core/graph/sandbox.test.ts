import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphEvent } from '../../../shared/domain/graph.ts';
import type { Connection, SyncedItem } from '../../../shared/domain/platform.ts';
import { startSandbox, type Sandbox } from '../../sandbox/index.ts';
import { PlatformClient } from '../platform/client.ts';
import { StaticTokenProvider } from './auth.ts';
import { GraphClient } from './client.ts';
import { GraphError } from './errors.ts';

/** The Graph wrapper against the sandbox's Graph subset, over real HTTP with an app-only token. */
const NOW = new Date('2026-11-20T15:00:00Z');
const WINDOW = ['2026-01-01T00:00:00Z', '2027-06-30T00:00:00Z'] as const;

interface Fixture {
  sandbox: Sandbox;
  graph: GraphClient;
  user: Connection;
  items: SyncedItem[];
  /** A well-formed event id from another user's mailbox: not in this one. */
  foreignId: string;
}

async function fixture(faults: 'none' | 'heavy'): Promise<Fixture> {
  const sandbox = await startSandbox({ users: 120, seed: 'graph-wrapper', now: NOW, faults });
  const platform = new PlatformClient({
    baseUrl: sandbox.platformUrl,
    apiKey: sandbox.apiKey,
    retry: { maxTotalDelayMs: 60_000 },
  });
  let user: Connection | undefined;
  let other: Connection | undefined;
  for await (const c of platform.listConnections({ status: ['migrated'] })) {
    if (c.syncedItemCount < 8 || c.calendarMailbox === null) continue;
    if (user === undefined) user = c;
    else {
      other = c;
      break;
    }
  }
  if (!user || !other) throw new Error('the seed has too few migrated users with synced items');
  const foreign = (await platform.listSyncedItemsPage(other.userId, { limit: 1 })).items[0];
  if (!foreign) throw new Error('no synced item for the second user');
  const items: SyncedItem[] = [];
  for await (const item of platform.listSyncedItems(user.userId)) items.push(item);
  const graph = new GraphClient({
    baseUrl: sandbox.graphUrl,
    tokens: new StaticTokenProvider(sandbox.graphAppToken),
    retry: { maxTotalDelayMs: 60_000 },
  });
  return { sandbox, graph, user, items, foreignId: foreign.externalEventId };
}

async function collect(iterable: AsyncIterable<GraphEvent>): Promise<GraphEvent[]> {
  const out: GraphEvent[] = [];
  for await (const e of iterable) out.push(e);
  return out;
}

async function throttledCount(sandbox: Sandbox): Promise<number> {
  const stats = (await (await fetch(`${sandbox.adminUrl}/stats`)).json()) as {
    requests: { byStatus: Record<string, number> };
  };
  return stats.requests.byStatus['429'] ?? 0;
}

describe('GraphClient against the sandbox Graph', () => {
  let f: Fixture;
  let reference: GraphEvent[] = [];
  beforeAll(async () => {
    f = await fixture('none');
  });
  afterAll(async () => f.sandbox.close());

  it('reads the mailbox, its calendar and an event the platform synced', async () => {
    const upn = f.user.calendarMailbox as string;
    expect((await f.graph.getUser(upn)).userPrincipalName.toLowerCase()).toBe(upn.toLowerCase());
    expect((await f.graph.getCalendar(upn)).id.length).toBeGreaterThan(0);
    const item = f.items.find((i) => i.syncedVia === 'graph') ?? (f.items[0] as SyncedItem);
    const event = await f.graph.getEvent(upn, item.externalEventId);
    expect(event.id).toBe(item.externalEventId);
    expect(event.iCalUId).toBe(item.iCalUId);
  });

  it('pages calendarView by nextLink and gets the same events as one big page', async () => {
    const upn = f.user.calendarMailbox as string;
    reference = await collect(f.graph.listCalendarView(upn, WINDOW[0], WINDOW[1], { pageSize: 1000 }));
    const paged = await collect(f.graph.listCalendarView(upn, WINDOW[0], WINDOW[1], { pageSize: 3 }));
    expect(reference.length).toBeGreaterThan(3);
    expect(paged.map((e) => e.id)).toEqual(reference.map((e) => e.id));
  });

  it('translates default ids to the immutable ids Graph returns under Prefer: IdType="ImmutableId"', async () => {
    const upn = f.user.calendarMailbox as string;
    const immutable = new GraphClient({
      baseUrl: f.sandbox.graphUrl,
      tokens: new StaticTokenProvider(f.sandbox.graphAppToken),
      immutableIds: true,
    });
    const immutableEvents = await collect(
      immutable.listCalendarView(upn, WINDOW[0], WINDOW[1], { pageSize: 1000 }),
    );
    const translated = await f.graph.translateExchangeIds(
      upn,
      reference.map((e) => e.id),
      'restId',
      'restImmutableEntryId',
    );
    expect(translated.map((t) => t.sourceId)).toEqual(reference.map((e) => e.id));
    expect(new Set(translated.map((t) => t.targetId))).toEqual(new Set(immutableEvents.map((e) => e.id)));
  });

  it('reads synced events through $batch and reports a missing one as its own error', async () => {
    const upn = f.user.calendarMailbox as string;
    const ids = [...f.items.map((i) => i.externalEventId), f.foreignId, 'not-an-exchange-id'];
    const results = await f.graph.batchGetEvents(upn, ids);
    expect(results.size).toBe(new Set(ids).size);
    for (const item of f.items)
      expect((results.get(item.externalEventId) as GraphEvent).iCalUId).toBe(item.iCalUId);
    const missing = results.get(f.foreignId) as GraphError;
    expect(missing).toBeInstanceOf(GraphError);
    expect([missing.status, missing.code]).toEqual([404, 'ErrorItemNotFound']);
    expect(missing.toConsoleError().code).toBe('not_found');
    const malformed = results.get('not-an-exchange-id') as GraphError;
    expect([malformed.status, malformed.code]).toEqual([400, 'ErrorInvalidIdMalformed']);
  });

  it('keeps to 4 requests per mailbox, so parallel reads earn no 429', async () => {
    const upn = f.user.calendarMailbox as string;
    const before = await throttledCount(f.sandbox);
    const events = await Promise.all(f.items.map((i) => f.graph.getEvent(upn, i.externalEventId)));
    expect(events.map((e) => e.id)).toEqual(f.items.map((i) => i.externalEventId));
    expect(await throttledCount(f.sandbox)).toBe(before);
  });

  it('maps an app-only call to /me to a typed 400 with the request id', async () => {
    const error = await f.graph.getMe().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    expect((error as GraphError).status).toBe(400);
    expect((error as GraphError).requestId).toBeTruthy();
  });

  it('under heavy faults still returns the same calendar view', async () => {
    const heavy = await fixture('heavy');
    try {
      const upn = heavy.user.calendarMailbox as string;
      expect(upn).toBe(f.user.calendarMailbox);
      const events = await collect(heavy.graph.listCalendarView(upn, WINDOW[0], WINDOW[1], { pageSize: 10 }));
      expect(events.map((e) => e.id)).toEqual(reference.map((e) => e.id));
    } finally {
      await heavy.sandbox.close();
    }
  }, 120_000);
});
