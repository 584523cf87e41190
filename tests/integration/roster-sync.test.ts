import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../shared/domain/platform.ts';
import { CONSOLE_DATA_KEY_ENV, EnvKeyWrapper } from '../../electron/core/crypto/env-key-wrapper.ts';
import { createMemoryLogger } from '../../electron/core/log/logger.ts';
import { PlatformClient } from '../../electron/core/platform/client.ts';
import { RosterSyncService } from '../../electron/core/roster/sync/roster-sync-service.ts';
import type { PlatformConnection } from '../../electron/core/roster/sync/sync-protocol.ts';
import { EncryptedStore } from '../../electron/core/store/encrypted-store.ts';
import { startSandbox, type Sandbox } from '../../electron/sandbox/index.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sandbox(users: number): Promise<Sandbox> {
  const started = await startSandbox({
    users,
    identity: false,
    rateLimit: { perSecond: 1000, burst: 1000 },
    now: new Date('2026-11-02T15:00:00Z'),
  });
  cleanups.push(() => started.close());
  return started;
}

function storeIn(folder: string, key: string): EncryptedStore {
  const store = EncryptedStore.open({
    dataFolder: folder,
    keyWrapper: new EnvKeyWrapper({ [CONSOLE_DATA_KEY_ENV]: key }),
  });
  cleanups.push(() => store.close());
  return store;
}

function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'roster-sync-'));
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

function service(store: EncryptedStore | null, platform: () => PlatformConnection | null): RosterSyncService {
  const sync = new RosterSyncService({
    logger: createMemoryLogger(),
    events: null,
    store,
    platform: async () => platform(),
    intervalMs: 0,
  });
  cleanups.push(() => sync.dispose());
  return sync;
}

/** Everything the platform lists now, in its order: the truth the cache must equal. */
async function platformRows(box: Sandbox): Promise<Connection[]> {
  const client = new PlatformClient({
    baseUrl: box.platformUrl,
    apiKey: box.apiKey,
  });
  const rows: Connection[] = [];
  for await (const row of client.listConnections({ limit: 1000 })) rows.push(row);
  return rows;
}

function engineRows(sync: RosterSyncService): Connection[] {
  const engine = sync.engine;
  return engine.query({
    filter: {},
    sort: { field: 'userId', direction: 'asc' },
    offset: 0,
    limit: engine.size,
    now: '2026-11-02T15:00:00Z',
  }).rows;
}

const byId = (rows: readonly Connection[]) => [...rows].sort((a, b) => (a.userId < b.userId ? -1 : 1));

async function advanceClock(box: Sandbox, minutes: number): Promise<void> {
  const reply = await fetch(`${box.adminUrl}/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advanceMinutes: minutes }),
  });
  expect(reply.status).toBe(200);
}

/** A raw proxy in front of the sandbox that breaks one connection's `email` on the second page of /connections. */
async function corruptingProxy(box: Sandbox): Promise<{ url: string; victim: () => string | null }> {
  const target = new URL(box.platformUrl);
  let pages = 0;
  let victim: string | null = null;
  const server: Server = createServer((req, res) => {
    const upstream = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (reply) => {
        const chunks: Buffer[] = [];
        reply.on('data', (chunk: Buffer) => chunks.push(chunk));
        reply.on('end', () => {
          let body = Buffer.concat(chunks);
          const isList =
            (req.url ?? '').split('?')[0]?.endsWith('/connections') === true && reply.statusCode === 200;
          if (isList && ++pages === 2) {
            const page = JSON.parse(body.toString('utf8')) as { items: Array<Record<string, unknown>> };
            const item = page.items[7] as Record<string, unknown>;
            victim = item['userId'] as string;
            item['email'] = 42;
            body = Buffer.from(JSON.stringify(page), 'utf8');
          }
          const headers = { ...reply.headers, 'content-length': String(body.length) };
          delete headers['transfer-encoding'];
          res.writeHead(reply.statusCode ?? 502, headers);
          res.end(body);
        });
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const prefix = target.pathname;
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`, victim: () => victim };
}

describe('roster sync against the sandbox', () => {
  it('a full sync, then an incremental refresh after the clock moves, equal the platform (engine and sealed store)', async () => {
    const box = await sandbox(2_500);
    const store = storeIn(tempFolder(), randomBytes(32).toString('base64'));
    const sync = service(store, () => ({ baseUrl: box.platformUrl, apiKey: box.apiKey }));
    await sync.start();
    expect(sync.state()).toMatchObject({
      rowCount: 2_500,
      lastError: null,
      offline: false,
      storeState: 'ready',
    });
    expect(sync.state().lastFullSyncAt).not.toBeNull();
    const truth = await platformRows(box);
    expect(engineRows(sync)).toEqual(byId(truth));
    expect([...store.roster.all()]).toEqual(truth);

    // Three simulated days later many users have re-authorized, disconnected or failed.
    await advanceClock(box, 3 * 24 * 60);
    const moved = await platformRows(box);
    const changed = moved.filter((row, i) => JSON.stringify(row) !== JSON.stringify(truth[i]));
    expect(changed.length).toBeGreaterThan(0);
    await sync.syncNow('incremental');
    expect(sync.state().lastIncrementalSyncAt).not.toBeNull();
    // updatedSince covers status changes and first Graph syncs; routine lastSyncAt ticks are not "updates".
    const statusOf = (rows: readonly Connection[]) => rows.map((r) => [r.userId, r.status, r.updatedAt]);
    expect(statusOf(engineRows(sync))).toEqual(statusOf(byId(moved)));
    expect(statusOf([...store.roster.all()])).toEqual(statusOf(moved));
  });

  it('keeps the previous cache when a reply breaks the schema mid-sync, and names the user and field', async () => {
    const box = await sandbox(3_000);
    const store = storeIn(tempFolder(), randomBytes(32).toString('base64'));
    const proxy = await corruptingProxy(box);
    let baseUrl = box.platformUrl;
    const sync = service(store, () => ({ baseUrl, apiKey: box.apiKey }));
    await sync.start();
    const before = [...store.roster.all()];
    const shownBefore = engineRows(sync);
    const metaBefore = store.rosterMeta.get();

    await advanceClock(box, 24 * 60);
    baseUrl = proxy.url;
    await expect(sync.syncNow('full')).rejects.toThrow(/user u_/);
    const victim = proxy.victim();
    expect(victim).not.toBeNull();
    expect(sync.state().lastError).toContain(`user ${victim}`);
    expect(sync.state().lastError).toContain('field "email"');
    expect([...store.roster.all()]).toEqual(before);
    expect(store.rosterMeta.get()).toEqual(metaBefore);
    expect(engineRows(sync)).toEqual(shownBefore);
  });

  it('starts offline from the cache: rows at once, marked offline with the cache age, until the platform answers', async () => {
    const box = await sandbox(1_500);
    const folder = tempFolder();
    const key = randomBytes(32).toString('base64');
    const first = storeIn(folder, key);
    const online = service(first, () => ({ baseUrl: box.platformUrl, apiKey: box.apiKey }));
    await online.start();
    const rows = engineRows(online);
    const { lastFullSyncAt } = online.state();
    await online.dispose();
    first.close();

    // The platform is gone: a port nothing listens on.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const offline = service(storeIn(folder, key), () => ({
      baseUrl: `http://127.0.0.1:${deadPort}/api/calendar-sync/v1`,
      apiKey: box.apiKey,
    }));
    await offline.start();
    expect(offline.state()).toMatchObject({ rowCount: 1_500, offline: true, lastFullSyncAt });
    expect(offline.state().lastError).toMatch(/failed/);
    // No sync brought rows, yet the cache shown gets its sort orders prepared (before any query sorts).
    await offline.sortOrdersPrepared();
    expect(offline.engine.sortOrdersPrepared).toBe(true);
    expect(engineRows(offline)).toEqual(rows);
  }, 60_000);
});

describe('the periodic refresh', () => {
  it('follows a new interval at once (Settings → refresh interval), and 0 stops it', async () => {
    const box = await sandbox(200);
    const sync = service(null, () => ({ baseUrl: box.platformUrl, apiKey: box.apiKey }));
    await sync.start();
    const before = sync.state().lastIncrementalSyncAt;
    sync.setIntervalMs(150);
    await expect
      .poll(() => sync.state().lastIncrementalSyncAt, { timeout: 10_000, interval: 50 })
      .not.toBe(before);
    sync.setIntervalMs(0);
    await sync.wait();
    const stopped = sync.state().lastIncrementalSyncAt;
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(sync.state().lastIncrementalSyncAt).toBe(stopped);
  }, 30_000);
});

describe('the sync worker thread', () => {
  it('can be started ahead of the first job (warmUp), which then syncs as usual', async () => {
    const box = await sandbox(300);
    const sync = service(null, () => ({ baseUrl: box.platformUrl, apiKey: box.apiKey }));
    await sync.warmUp();
    await sync.warmUp();
    await sync.syncNow('full');
    expect(sync.state().rowCount).toBe(300);
  }, 30_000);

  it("keeps to the run's deadline: a hung platform ends the worker's sync at it, and the failure says so", async () => {
    const hung = createServer(() => undefined);
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          hung.closeAllConnections();
          hung.close(() => resolve());
        }),
    );
    const baseUrl = `http://127.0.0.1:${(hung.address() as AddressInfo).port}/api/calendar-sync/v1`;
    let deadline = { at: 0, ms: 3000 };
    const sync = service(null, () => ({ baseUrl, apiKey: 'key-123456', deadline }));
    // The thread's start-up (seconds on a loaded machine) is kept out of the deadline's time.
    await sync.warmUp();
    deadline = { at: Date.now() + 3000, ms: 3000 };
    const started = performance.now();
    await expect(sync.syncNow('full')).rejects.toThrow(
      /full roster sync failed: No complete answer to GET \/connections.* within the deadline of 3 s/,
    );
    // Without it: 6 attempts of 15 s each.
    expect(performance.now() - started).toBeLessThan(12_000);
    // A deadline already past when a sync starts: nothing is sent, and it says so.
    await expect(sync.syncNow('full')).rejects.toThrow(/deadline of 3 s had passed before it could start/);
  }, 30_000);

  it('reports a worker that cannot load, through warmUp and the job that needed it', async () => {
    const sync = new RosterSyncService({
      logger: createMemoryLogger(),
      events: null,
      store: null,
      platform: async () => ({ baseUrl: 'http://127.0.0.1:9', apiKey: 'k' }),
      intervalMs: 0,
      workerUrl: new URL('data:text/javascript,throw new Error("broken build")'),
    });
    cleanups.push(() => sync.dispose());
    await expect(sync.warmUp()).rejects.toThrow(/broken build/);
    await expect(sync.syncNow('full')).rejects.toThrow(/worker/);
  }, 30_000);
});
