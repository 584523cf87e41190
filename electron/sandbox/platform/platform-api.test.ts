import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../index.ts';
import { admin, allPages, call } from './test-client.ts';

const NOW = new Date('2026-11-24T15:00:00Z');
let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({
    users: 600,
    seed: 'platform-test',
    now: NOW,
    rateLimit: { perSecond: 100_000, burst: 100_000 },
    identity: false,
  });
});
afterAll(async () => {
  await sb.close();
});
beforeEach(async () => {
  await admin(sb, '/reset', {});
});

function problemOf(r: Awaited<ReturnType<typeof call>>) {
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return r.body as {
    type: string;
    title: string;
    status: number;
    detail: string;
    code: string;
    parameter?: string;
  };
}

describe('conventions', () => {
  it('401 without or with a bad key, 403 without the scope, rate-limit headers on every response', async () => {
    const none = await call(sb, '/migration', { key: null });
    expect(none.status).toBe(401);
    expect(problemOf(none).code).toBe('unauthorized');
    const bad = await call(sb, '/migration', { key: 'csk_all_nope' });
    expect(bad.status).toBe(401);
    const ro = await call(sb, '/magic-links', {
      method: 'POST',
      key: sb.keys.readOnly,
      body: { userId: 'x', target: 'calendar-sync-settings', ttlMinutes: 60 },
    });
    expect(ro.status).toBe(403);
    expect(problemOf(ro).code).toBe('forbidden');
    const rw = await call(sb, '/magic-links/batch', {
      method: 'POST',
      key: sb.keys.noMagicLinks,
      body: { userIds: ['x'], target: 'calendar-sync-settings', ttlMinutes: 60 },
    });
    expect(rw.status).toBe(403);
    const ml = await call(sb, '/connections', { key: sb.keys.magicLinksOnly });
    expect(ml.status).toBe(403);
    for (const r of [none, bad, ro, rw, ml]) {
      expect(r.headers.get('ratelimit-limit')).toMatch(/^\d+$/);
      expect(r.headers.get('ratelimit-remaining')).toMatch(/^\d+$/);
      expect(r.headers.get('ratelimit-reset')).toMatch(/^\d+$/);
    }
  });

  it('404 not_found for unknown paths and users; unknown query parameters are ignored', async () => {
    expect(problemOf(await call(sb, '/nope')).code).toBe('not_found');
    const r = await call(sb, '/connections/u_01ZZZZZZZZZZZZZZZZZZZZZZZZ');
    expect(r.status).toBe(404);
    expect(problemOf(r).code).toBe('not_found');
    const ok = await call(sb, '/connections?limit=3&bogus=1');
    expect(ok.status).toBe(200);
    expect(ok.body?.items).toHaveLength(3);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=abc', 'limit'],
    ['status=legacy,nope', 'status'],
    ['role=teacher', 'role'],
    ['provider=yahoo', 'provider'],
    ['updatedSince=yesterday', 'updatedSince'],
    ['updatedSince=2026-11-01T00:00:00', 'updatedSince'],
  ])('400 invalid_parameter for %s', async (query, parameter) => {
    const r = await call(sb, `/connections?${query}`);
    expect(r.status).toBe(400);
    const p = problemOf(r);
    expect(p.code).toBe('invalid_parameter');
    expect(p.parameter).toBe(parameter);
    expect(p.detail).toContain(parameter);
  });
});

describe('rate limiting', () => {
  it('refuses past the burst with 429 rate_limited and a (possibly fractional) Retry-After', async () => {
    const tight = await startSandbox({ users: 50, seed: 'rl', now: NOW, identity: false });
    try {
      const results = await Promise.all(Array.from({ length: 60 }, () => call(tight, '/migration')));
      const limited = results.filter((r) => r.status === 429);
      expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(40);
      expect(limited.length).toBeGreaterThan(0);
      const first = limited[0]!;
      expect(problemOf(first).code).toBe('rate_limited');
      expect(Number(first.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(first.headers.get('ratelimit-remaining')).toBe('0');
    } finally {
      await tight.close();
    }
  });
});

describe('migration', () => {
  it('matches the contract and the brute-force truth', async () => {
    const r = await call(sb, '/migration');
    const m = r.body as Record<string, unknown> & {
      counts: {
        total: number;
        byStatus: Record<string, number>;
        byRole: Record<string, Record<string, number>>;
      };
    };
    expect(m).toMatchObject({
      legacyApi: 'outlook_rest_v2',
      targetApi: 'graph',
      timezone: 'America/New_York',
      cutoffAt: '2026-12-15T23:59:00-05:00',
    });
    expect(m.asOf).toBe('2026-11-24T10:00:00-05:00');
    const truth = await admin(sb, '/truth');
    expect(m.counts).toEqual({ total: truth.total, byStatus: truth.byStatus, byRole: truth.byRole });
    expect(m.counts.total).toBe(600);
  });

  it('history: one end-of-day snapshot per day, 45 days by default, validated dates', async () => {
    const r = await call(sb, '/migration/history');
    const days = (r.body as { days: Array<{ date: string; byStatus: Record<string, number> }> }).days;
    expect(days).toHaveLength(45);
    expect(days[0]!.date).toBe('2026-10-10');
    expect(days.at(-1)!.date).toBe('2026-11-23');
    const some = await call(sb, '/migration/history?from=2026-11-01&to=2026-11-03');
    expect((some.body as { days: unknown[] }).days).toHaveLength(3);
    expect(problemOf(await call(sb, '/migration/history?from=2026-11-05&to=2026-11-01')).parameter).toBe(
      'from',
    );
    expect(problemOf(await call(sb, '/migration/history?to=11/01/2026')).parameter).toBe('to');
  });
});

describe('connections', () => {
  it('the sum over pages equals /migration counts, and pages never repeat a user', async () => {
    const all = await allPages(sb, '/connections', 77);
    expect(new Set(all.map((c) => c.userId)).size).toBe(600);
    const counts: Record<string, number> = {};
    for (const c of all) counts[c.status as string] = (counts[c.status as string] ?? 0) + 1;
    const m = (await call(sb, '/migration')).body as { counts: { byStatus: Record<string, number> } };
    for (const [k, v] of Object.entries(m.counts.byStatus)) expect(counts[k] ?? 0).toBe(v);
  });

  it('filters agree with a brute-force oracle', async () => {
    const all = await allPages(sb, '/connections');
    const sample = all.slice(0, 40);
    const queries = fc.sample(
      fc.record({
        status: fc.option(
          fc.subarray(
            [
              'legacy',
              'reauth_pending',
              'migrated',
              'disconnected',
              'error',
              'not_connected',
              'not_affected',
            ],
            { minLength: 1 },
          ),
          { nil: undefined },
        ),
        role: fc.option(fc.subarray(['student', 'alumni', 'career_center'], { minLength: 1 }), {
          nil: undefined,
        }),
        provider: fc.option(fc.constantFrom('office365', 'google'), { nil: undefined }),
        q: fc.option(
          fc.constantFrom(
            ...sample
              .flatMap((c) => [
                String(c.email).slice(0, 3),
                String(c.lastName).slice(0, 2),
                String(c.userId).slice(0, 6).toLowerCase(),
                String(c.firstName).slice(0, 1).toUpperCase(),
              ])
              .filter((s) => s.trim() !== ''),
          ),
          { nil: undefined },
        ),
      }),
      { numRuns: 25, seed: 7 },
    );
    for (const f of queries) {
      const params = new URLSearchParams();
      if (f.status) params.set('status', f.status.join(','));
      if (f.role) params.set('role', f.role.join(','));
      if (f.provider) params.set('provider', f.provider);
      if (f.q) params.set('q', f.q);
      const got = (await allPages(sb, `/connections?${params}`, 97)).map((c) => c.userId);
      const q = f.q?.trim().toLowerCase();
      const expected = all
        .filter((c) => !f.status || f.status.includes(c.status as string))
        .filter((c) => !f.role || f.role.includes(c.role as string))
        .filter((c) => !f.provider || c.provider === f.provider)
        .filter((c) => {
          if (!q) return true;
          const name = `${c.firstName as string} ${c.lastName as string}`;
          const fields = [
            c.firstName,
            c.lastName,
            c.preferredName ?? '',
            name,
            c.email,
            c.userId,
            ...name.split(/[\s-]+/u),
          ].map((s) => String(s).toLowerCase());
          return fields.some((s) => s.startsWith(q));
        })
        .map((c) => c.userId);
      expect(got, JSON.stringify(f)).toEqual(expected);
    }
  });

  it('updatedSince returns every connection updated later, including those that left the status filter', async () => {
    const before = new Map((await allPages(sb, '/connections')).map((c) => [c.userId, c]));
    const since = ((await call(sb, '/migration')).body as { asOf: string }).asOf;
    await admin(sb, '/clock', { advanceMinutes: 3 * 1440 });
    const after = await allPages(sb, '/connections');
    const got = await allPages(sb, `/connections?status=legacy&updatedSince=${encodeURIComponent(since)}`);
    const expected = after.filter(
      (c) =>
        Date.parse(c.updatedAt as string) > Date.parse(since) &&
        (c.status === 'legacy' || before.get(c.userId)?.status === 'legacy'),
    );
    expect(got.map((c) => c.userId)).toEqual(expected.map((c) => c.userId));
    expect(got.some((c) => c.status !== 'legacy')).toBe(true);
  });

  it('a connection carries its etag in the body and the ETag header', async () => {
    const [first] = (await call(sb, '/connections?limit=1')).body!.items!;
    const r = await call(sb, `/connections/${first!.userId as string}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('etag')).toBe(r.body!.etag);
    expect(r.body).toEqual(first);
  });

  it('sync log is newest first; synced items page with cursors', async () => {
    const all = await allPages(sb, '/connections?status=migrated,legacy');
    const withItems = all.find((c) => (c.syncedItemCount as number) > 5)!;
    const log = (await call(sb, `/connections/${withItems.userId as string}/sync-log?limit=10`)).body!.items!;
    expect(log.length).toBe(10);
    const times = log.map((e) => Date.parse(e.at as string));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const items = await allPages(sb, `/connections/${withItems.userId as string}/synced-items`, 2);
    expect(items).toHaveLength(withItems.syncedItemCount as number);
    expect(Object.keys(items[0]!).sort()).toEqual(
      [
        'end',
        'externalEventId',
        'iCalUId',
        'itemId',
        'kind',
        'start',
        'syncedAt',
        'syncedVia',
        'timeZone',
        'title',
      ].sort(),
    );
  });
});

describe('cursors', () => {
  it('round-trip and detect any tampering', async () => {
    const first = await call(sb, '/connections?limit=5&status=legacy');
    const cursor = first.body!.nextCursor!;
    const ok = await call(sb, `/connections?limit=5&status=legacy&cursor=${encodeURIComponent(cursor)}`);
    expect(ok.status).toBe(200);
    expect(ok.body!.items![0]!.userId).not.toBe(first.body!.items![0]!.userId);
    await fc.assert(
      fc.asyncProperty(
        fc.nat(cursor.length - 1),
        fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.'),
        async (pos, ch) => {
          fc.pre(cursor[pos] !== ch);
          const tampered = cursor.slice(0, pos) + ch + cursor.slice(pos + 1);
          const r = await call(
            sb,
            `/connections?limit=5&status=legacy&cursor=${encodeURIComponent(tampered)}`,
          );
          expect(r.status).toBe(400);
          expect(problemOf(r).code).toBe('invalid_cursor');
        },
      ),
      { numRuns: 60, seed: 11 },
    );
  });

  it('is bound to its filter and expires', async () => {
    const cursor = (await call(sb, '/connections?limit=5&status=legacy')).body!.nextCursor!;
    const other = await call(sb, `/connections?limit=5&status=migrated&cursor=${encodeURIComponent(cursor)}`);
    expect(problemOf(other).code).toBe('invalid_cursor');
    const otherLimit = await call(
      sb,
      `/connections?limit=9&status=legacy&cursor=${encodeURIComponent(cursor)}`,
    );
    expect(otherLimit.status).toBe(200);
    await admin(sb, '/clock', { advanceMinutes: 61 });
    const expired = await call(sb, `/connections?limit=5&status=legacy&cursor=${encodeURIComponent(cursor)}`);
    expect(problemOf(expired).code).toBe('invalid_cursor');
  });
});

describe('actions', () => {
  async function firstWith(status: string) {
    return (await call(sb, `/connections?limit=1&status=${status}`)).body!.items![0]!;
  }

  it('force-disconnect changes a connected user once; If-Match guards it', async () => {
    const c = await firstWith('legacy');
    const path = `/connections/${c.userId as string}/force-disconnect`;
    const stale = await call(sb, path, {
      method: 'POST',
      body: { reason: 'test' },
      headers: { 'if-match': '"stale"' },
    });
    expect(stale.status).toBe(412);
    expect(problemOf(stale).code).toBe('precondition_failed');
    const r = await call(sb, path, {
      method: 'POST',
      body: { reason: 'test' },
      headers: { 'if-match': c.etag as string },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      changed: true,
      connection: { status: 'disconnected', userId: c.userId, api: null },
    });
    expect(r.headers.get('etag')).toBe((r.body!.connection as { etag: string }).etag);
    const again = await call(sb, path, { method: 'POST', body: { reason: 'test' } });
    expect(again.body).toMatchObject({ changed: false });
    expect(problemOf(await call(sb, path, { method: 'POST', body: {} })).parameter).toBe('reason');
    const m = (await call(sb, '/migration')).body as { counts: unknown };
    const truth = await admin(sb, '/truth');
    expect(m.counts).toEqual({ total: truth.total, byStatus: truth.byStatus, byRole: truth.byRole });
    const stats = (await admin(sb, '/stats')) as {
      sideEffects: Record<string, { executed: number; maxPerUser: number }>;
    };
    expect(stats.sideEffects['force-disconnect']).toMatchObject({ executed: 1, maxPerUser: 1 });
  });

  it('Idempotency-Key replays the first response without a new side effect; a different body is 422', async () => {
    const c = await firstWith('migrated');
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 40 }).filter((s) => /^[\x21-\x7e]+$/.test(s)),
        fc.integer({ min: 5, max: 10080 }),
        async (suffix, ttl) => {
          const key = `k-${suffix}-${ttl}`;
          const body = { userId: c.userId, target: 'calendar-sync-settings', ttlMinutes: ttl };
          const a = await call(sb, '/magic-links', {
            method: 'POST',
            body,
            headers: { 'idempotency-key': key },
          });
          const b = await call(sb, '/magic-links', {
            method: 'POST',
            body: { ttlMinutes: ttl, target: 'calendar-sync-settings', userId: c.userId },
            headers: { 'idempotency-key': key },
          });
          expect(a.status).toBe(201);
          expect(b.status).toBe(201);
          expect(b.body).toEqual(a.body);
          expect(b.headers.get('idempotent-replayed')).toBe('true');
          expect(a.headers.get('idempotent-replayed')).toBeNull();
          const c2 = await call(sb, '/magic-links', {
            method: 'POST',
            body: { ...body, ttlMinutes: ttl === 5 ? 6 : 5 },
            headers: { 'idempotency-key': key },
          });
          expect(c2.status).toBe(422);
          expect(problemOf(c2).code).toBe('idempotency_key_reused');
        },
      ),
      { numRuns: 15, seed: 3 },
    );
    const stats = (await admin(sb, '/stats')) as {
      sideEffects: Record<string, { executed: number; replayed: number }>;
    };
    expect(stats.sideEffects['magic-link']!.replayed).toBe(stats.sideEffects['magic-link']!.executed);
    expect(
      problemOf(
        await call(sb, '/magic-links', {
          method: 'POST',
          body: {},
          headers: { 'idempotency-key': 'x'.repeat(256) },
        }),
      ).parameter,
    ).toBe('Idempotency-Key');
  });

  it('resync answers 202 for a running connection and 409 otherwise', async () => {
    const c = await firstWith('migrated');
    const r = await call(sb, `/connections/${c.userId as string}/resync`, { method: 'POST' });
    expect(r.status).toBe(202);
    expect(r.body!.requestId).toMatch(/^rsq_/);
    expect(Date.parse(r.body!.expectedBy as string)).toBeGreaterThan(NOW.getTime());
    const n = await firstWith('not_connected');
    expect((await call(sb, `/connections/${n.userId as string}/resync`, { method: 'POST' })).status).toBe(
      409,
    );
  });

  it('magic links: single 201, ttl bounds, batch with per-item errors and at most 500 ids', async () => {
    const c = await firstWith('legacy');
    const one = await call(sb, '/magic-links', {
      method: 'POST',
      body: { userId: c.userId, target: 'calendar-sync-settings', ttlMinutes: 60 },
    });
    expect(one.status).toBe(201);
    expect(Date.parse(one.body!.expiresAt as string)).toBe(NOW.getTime() + 3_600_000);
    for (const ttl of [4, 10081, 1.5]) {
      const r = await call(sb, '/magic-links', {
        method: 'POST',
        body: { userId: c.userId, target: 'calendar-sync-settings', ttlMinutes: ttl },
      });
      expect(problemOf(r).parameter).toBe('ttlMinutes');
    }
    expect(
      problemOf(
        await call(sb, '/magic-links', {
          method: 'POST',
          body: { userId: c.userId, target: 'home', ttlMinutes: 60 },
        }),
      ).parameter,
    ).toBe('target');
    expect(
      (
        await call(sb, '/magic-links', {
          method: 'POST',
          body: { userId: 'u_nobody', target: 'calendar-sync-settings', ttlMinutes: 60 },
        })
      ).status,
    ).toBe(404);
    const batch = await call(sb, '/magic-links/batch', {
      method: 'POST',
      body: { userIds: [c.userId, 'u_nobody'], target: 'calendar-sync-settings', ttlMinutes: 60 },
    });
    expect(batch.status).toBe(200);
    const [ok, bad] = batch.body!.items!;
    expect(ok).toMatchObject({ userId: c.userId });
    expect(ok!.url).toMatch(/\/magic\//);
    expect(bad).toMatchObject({ userId: 'u_nobody', error: { status: 404, code: 'not_found' } });
    const tooMany = await call(sb, '/magic-links/batch', {
      method: 'POST',
      body: {
        userIds: Array.from({ length: 501 }, () => c.userId),
        target: 'calendar-sync-settings',
        ttlMinutes: 60,
      },
    });
    expect(problemOf(tooMany).parameter).toBe('userIds');
  });
});
