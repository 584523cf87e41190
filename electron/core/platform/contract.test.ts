import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../../shared/domain/platform.ts';
import { startSandbox, type Sandbox } from '../../sandbox/index.ts';
import { realRuntime } from '../net/clock.ts';
import { RequestBudget } from '../net/request-budget.ts';
import { PlatformClient } from './client.ts';
import { PlatformError } from './errors.ts';

/**
 * The platform client against the local sandbox over real HTTP: the contract's behaviours
 * (auth, scopes, 412, idempotent replay, cursors) and correct results under every fault profile.
 */
const NOW = new Date('2026-11-20T15:00:00Z');
const USERS = 240;

interface AdminStats {
  requests: { total: number; byStatus: Record<string, number> };
  sideEffects: Record<string, { executed: number; replayed: number; maxPerUser: number }>;
}

async function adminStats(sandbox: Sandbox): Promise<AdminStats> {
  return (await (await fetch(`${sandbox.adminUrl}/stats`)).json()) as AdminStats;
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

async function walk(client: PlatformClient): Promise<Connection[]> {
  const all: Connection[] = [];
  for await (const connection of client.listConnections({ limit: 37 })) all.push(connection);
  return all;
}

let reference: Connection[] = [];

describe('platform contract against the sandbox (no faults)', () => {
  let sandbox: Sandbox;
  let client: PlatformClient;
  beforeAll(async () => {
    sandbox = await startSandbox({ users: USERS, seed: 'contract', now: NOW, faults: 'none' });
    client = new PlatformClient({ baseUrl: sandbox.platformUrl, apiKey: sandbox.apiKey });
    reference = await walk(client);
  });
  afterAll(async () => sandbox.close());

  it('walks every connection once, and the counts add up', async () => {
    expect(reference).toHaveLength(USERS);
    expect(new Set(reference.map((c) => c.userId)).size).toBe(USERS);
    const migration = await client.getMigration();
    expect(migration.counts.total).toBe(USERS);
    for (const [status, count] of Object.entries(migration.counts.byStatus)) {
      expect(reference.filter((c) => c.status === status)).toHaveLength(count);
    }
  });

  it('filters by comma lists and reads one connection with its etag', async () => {
    const filtered: Connection[] = [];
    for await (const c of client.listConnections({ status: ['legacy', 'error'], role: ['student'] }))
      filtered.push(c);
    expect(filtered.length).toBe(
      reference.filter((c) => ['legacy', 'error'].includes(c.status) && c.role === 'student').length,
    );
    const first = reference[0] as Connection;
    expect(await client.getConnection(first.userId)).toEqual(first);
    const log = await client.getSyncLog(first.userId, { limit: 5 });
    const times = log.items.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const history = await client.getMigrationHistory({});
    expect(history.days.length).toBeGreaterThan(0);
  });

  it('pages synced items to the end', async () => {
    const user = reference.find((c) => c.syncedItemCount > 3) as Connection;
    const items = [];
    for await (const item of client.listSyncedItems(user.userId, { limit: 2 })) items.push(item);
    expect(items.length).toBe(user.syncedItemCount);
  });

  it('answers 404 not_found for an unknown user, naming the user', async () => {
    const error = await failure(client.getConnection('u_does_not_exist'));
    expect(error.code).toBe('not_found');
    expect(error.userId).toBe('u_does_not_exist');
    expect(error.toConsoleError().code).toBe('not_found');
  });

  it('refuses a bad key (401) and a read-only key on writes (403, naming the scope)', async () => {
    const bad = new PlatformClient({ baseUrl: sandbox.platformUrl, apiKey: 'not-a-key' });
    const unauthorized = await failure(bad.getMigration());
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.toConsoleError().code).toBe('unauthorized');
    const readOnly = new PlatformClient({ baseUrl: sandbox.platformUrl, apiKey: sandbox.keys.readOnly });
    expect((await readOnly.getMigration()).counts.total).toBe(USERS);
    const user = reference.find((c) => c.status === 'legacy') as Connection;
    const forbidden = await failure(readOnly.forceDisconnect(user.userId, { reason: 'test' }));
    expect(forbidden.status).toBe(403);
    expect(forbidden.message).toContain('calendar-sync:write');
    const noLinks = new PlatformClient({ baseUrl: sandbox.platformUrl, apiKey: sandbox.keys.noMagicLinks });
    const linkForbidden = await failure(
      noLinks.createMagicLink({ userId: user.userId, target: 'calendar-sync-settings', ttlMinutes: 60 }),
    );
    expect(linkForbidden.message).toContain('magic-links:write');
  });

  it('refuses a stale If-Match with 412 and accepts the current etag', async () => {
    const user = reference.find((c) => c.status === 'legacy' && c.role === 'alumni') as Connection;
    const stale = await failure(
      client.forceDisconnect(user.userId, { reason: 'test' }, { ifMatch: '"stale"' }),
    );
    expect(stale.code).toBe('precondition_failed');
    expect(stale.toConsoleError().code).toBe('precondition_failed');
    const done = await client.forceDisconnect(user.userId, { reason: 'test' }, { ifMatch: user.etag });
    expect(done.value.changed).toBe(true);
    expect(done.value.connection.status).toBe('disconnected');
  });

  it('replays an action for the same Idempotency-Key without a second side effect', async () => {
    const user = reference.filter((c) => c.status === 'legacy' && c.role === 'student')[3] as Connection;
    const before = await adminStats(sandbox);
    const first = await client.forceDisconnect(
      user.userId,
      { reason: 'cut-off' },
      { idempotencyKey: `replay-${user.userId}` },
    );
    const second = await client.forceDisconnect(
      user.userId,
      { reason: 'cut-off' },
      { idempotencyKey: `replay-${user.userId}` },
    );
    expect(first.replayed).toBe(false);
    expect(second.replayed).toBe(true);
    expect(second.value).toEqual(first.value);
    const after = await adminStats(sandbox);
    expect(
      (after.sideEffects['force-disconnect']?.executed ?? 0) -
        (before.sideEffects['force-disconnect']?.executed ?? 0),
    ).toBe(1);
    const reused = await failure(
      client.forceDisconnect(
        user.userId,
        { reason: 'another reason' },
        { idempotencyKey: `replay-${user.userId}` },
      ),
    );
    expect(reused.code).toBe('idempotency_key_reused');
    expect(reused.toConsoleError().code).toBe('conflict');
  });

  it('creates magic links one by one and in a batch with per-user problems', async () => {
    const user = reference[5] as Connection;
    const link = await client.createMagicLink({
      userId: user.userId,
      target: 'calendar-sync-settings',
      ttlMinutes: 30,
    });
    expect(link.status).toBe(201);
    expect(Date.parse(link.value.expiresAt)).toBeGreaterThan(0);
    const batch = await client.createMagicLinkBatch({
      userIds: [user.userId, 'u_nobody'],
      target: 'calendar-sync-settings',
      ttlMinutes: 30,
    });
    // One item per requested user, in request order; the unknown one carries its own problem.
    expect(batch.value.items.map((item) => item.userId)).toEqual([user.userId, 'u_nobody']);
    const failed = batch.value.items[1];
    expect(failed && 'error' in failed ? failed.error.code : null).toBe('not_found');
  });

  it('asks for a resync of a migrated user', async () => {
    const user = reference.find((c) => c.status === 'migrated') as Connection;
    const result = await client.resync(user.userId);
    expect(result.status).toBe(202);
    expect(Date.parse(result.value.expectedBy)).toBeGreaterThan(0);
  });

  it('surfaces a tampered cursor as invalid_cursor', async () => {
    const page = await client.listConnectionsPage({ limit: 5 });
    const tampered = `${(page.nextCursor ?? 'x').slice(0, -2)}zz`;
    const error = await failure(client.listConnectionsPage({ limit: 5, cursor: tampered }));
    expect(error.code).toBe('invalid_cursor');
    expect(error.retryable).toBe(false);
  });

  it('keeps 429s rare under a burst of parallel requests (client-side limiter)', async () => {
    const before = await adminStats(sandbox);
    const ids = reference.slice(0, 90).map((c) => c.userId);
    // A second client on the same key with a budget of its own, as another console process would
    // have (in this process, clients of one key share one budget): it starts slow.
    const fresh = new PlatformClient({
      baseUrl: sandbox.platformUrl,
      apiKey: sandbox.apiKey,
      budget: new RequestBudget(realRuntime),
    });
    const got = await Promise.all(ids.map((id) => fresh.getConnection(id)));
    expect(got.map((c) => c.userId)).toEqual(ids);
    const after = await adminStats(sandbox);
    const throttled = (after.requests.byStatus['429'] ?? 0) - (before.requests.byStatus['429'] ?? 0);
    expect(throttled).toBeLessThanOrEqual(2);
  });

  it('cancels a walk in progress', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const error = await failure(
      (async () => {
        for await (const c of client.listConnections({ limit: 10 }, { signal: controller.signal })) {
          seen.push(c.userId);
          if (seen.length === 15) controller.abort();
        }
      })(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformError);
    expect((error as PlatformError).code).toBe('cancelled');
    expect(seen.length).toBeLessThan(30);
  });
});

describe.each(['light', 'heavy'] as const)('platform contract under %s faults', (faults) => {
  let sandbox: Sandbox;
  let client: PlatformClient;
  beforeAll(async () => {
    sandbox = await startSandbox({ users: USERS, seed: 'contract', now: NOW, faults });
    client = new PlatformClient({
      baseUrl: sandbox.platformUrl,
      apiKey: sandbox.apiKey,
      timeoutMs: 10_000,
      retry: { maxTotalDelayMs: 60_000 },
    });
  });
  afterAll(async () => sandbox.close());

  it('returns exactly the same connections as without faults', async () => {
    const walked = await walk(client);
    expect(walked).toEqual(reference);
    const migration = await client.getMigration();
    expect(migration.counts.total).toBe(USERS);
  }, 120_000);

  it('executes each action exactly once despite resets and retries', async () => {
    const targets = reference.filter((c) => c.status === 'legacy').slice(0, 12);
    for (const user of targets) {
      const result = await client.forceDisconnect(user.userId, { reason: 'cut-off' });
      expect(result.value.connection.status).toBe('disconnected');
    }
    const stats = await adminStats(sandbox);
    expect(stats.sideEffects['force-disconnect']?.executed).toBe(targets.length);
    expect(stats.sideEffects['force-disconnect']?.maxPerUser).toBe(1);
  }, 120_000);
});
