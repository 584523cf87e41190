import { describe, expect, it } from 'vitest';
import { createUniversity } from './university.ts';
import { decodeEventId, encodeEventId, ID_TYPES } from './event-ids.ts';
import { createZone } from './time-zone.ts';
import { asciiFold } from './names.ts';
import fc from 'fast-check';

const NOW = new Date('2026-11-24T15:00:00Z');

describe('determinism', () => {
  it('the same seed gives the same university; another seed a different one', () => {
    const a = createUniversity({ seed: 'x', users: 300, now: NOW });
    const b = createUniversity({ seed: 'x', users: 300, now: NOW });
    const c = createUniversity({ seed: 'y', users: 300, now: NOW });
    for (const i of [0, 17, 299]) {
      expect(b.connection(i)).toEqual(a.connection(i));
      expect(b.syncedItems(i)).toEqual(a.syncedItems(i));
    }
    expect(b.anomalies()).toEqual(a.anomalies());
    expect(c.connection(17)).not.toEqual(a.connection(17));
  });

  it('userIds, Graph ids and UPNs decode back to the user and reject near misses', () => {
    const u = createUniversity({ seed: 'ids', users: 5000, now: NOW });
    for (const i of [0, 1, 2500, 4999]) {
      const c = u.connection(i);
      expect(u.indexOf(c.userId)).toBe(i);
      if (c.calendarMailbox) expect(u.mailbox.resolve(c.calendarMailbox.toUpperCase())?.index ?? i).toBe(i);
      const flipped = c.userId.slice(0, -1) + (c.userId.endsWith('0') ? '1' : '0');
      expect(u.indexOf(flipped)).toBe(-1);
    }
  });
});

describe('names', () => {
  it('carry real-world variety and ASCII-folded, unique e-mail addresses', () => {
    const u = createUniversity({ seed: 'names', users: 3000, now: NOW });
    const people = Array.from({ length: 3000 }, (_, i) => u.connection(i));
    expect(people.some((p) => p.firstName === '')).toBe(true);
    expect(people.some((p) => /[’']/.test(p.lastName))).toBe(true);
    expect(people.some((p) => / /.test(p.lastName))).toBe(true);
    expect(people.some((p) => /[^ -~]/.test(p.lastName))).toBe(true);
    expect(new Set(people.map((p) => p.email)).size).toBe(3000);
    for (const p of people) expect(p.email).toMatch(/^[a-z0-9.]+@demo-university\.edu$/);
    expect(asciiFold('Søren Dąbrowski-Straße')).toBe('sorendabrowskistrasse');
  });
});

describe('status mix and clock', () => {
  const u = createUniversity({ seed: 'mix', users: 12_000, now: NOW });

  it('has the documented shares three weeks before the cut-off and every error code', () => {
    const { byStatus, total } = u.countsAt();
    const share = (n: number) => n / total;
    expect(share(byStatus.legacy)).toBeGreaterThan(0.36);
    expect(share(byStatus.legacy)).toBeLessThan(0.44);
    expect(share(byStatus.migrated)).toBeGreaterThan(0.31);
    expect(share(byStatus.migrated)).toBeLessThan(0.39);
    expect(share(byStatus.not_affected)).toBeGreaterThan(0.05);
    expect(
      byStatus.reauth_pending + byStatus.error + byStatus.disconnected + byStatus.not_connected,
    ).toBeGreaterThan(0.12 * total);
    const codes = new Set<string>();
    const pendingFirstSync: string[] = [];
    for (let i = 0; i < 12_000; i++) {
      const c = u.connection(i);
      if (c.lastError) codes.add(c.lastError.code);
      if (
        c.status === 'migrated' &&
        (c.lastSyncAt === null || Date.parse(c.lastSyncAt) < Date.parse(c.connectedAt ?? ''))
      )
        pendingFirstSync.push(c.userId);
    }
    expect([...codes].sort()).toEqual([
      'consent_revoked',
      'mailbox_inactive',
      'mailbox_not_found',
      'throttled',
      'token_expired',
      'unknown',
    ]);
    expect(pendingFirstSync.length).toBeGreaterThan(0);
  });

  it('advancing the clock changes counts consistently with truth and the next history day', () => {
    const u2 = createUniversity({ seed: 'clock', users: 2000, now: NOW });
    const before = u2.countsAt();
    const zone = createZone('America/New_York');
    // Move to the end of the start day (local), then check the day's snapshot.
    const endOfDay = zone.startOfDay(zone.addDays(zone.localDate(NOW.getTime()), 1)) - 60_000;
    u2.clock.advanceMinutes(Math.round((endOfDay - NOW.getTime()) / 60_000));
    const atEnd = u2.countsAt();
    u2.clock.advanceMinutes(1);
    const day = u2.history('2026-11-24', '2026-11-24');
    expect(day).toHaveLength(1);
    expect(day[0]!.byStatus).toEqual(atEnd.byStatus);
    u2.clock.advanceMinutes(7 * 1440);
    const later = u2.countsAt();
    expect(later).toEqual(u2.truth());
    expect(later.byStatus.migrated).toBeGreaterThan(before.byStatus.migrated);
    expect(later.byStatus.legacy).toBeLessThan(before.byStatus.legacy);
  });

  it('at the cut-off every remaining legacy or pending user is disconnected', () => {
    const u3 = createUniversity({ seed: 'cutoff', users: 2000, now: NOW });
    u3.clock.advanceMinutes(Math.ceil((u3.cutoffMs - NOW.getTime()) / 60_000) + 1);
    const c = u3.countsAt();
    expect(c.byStatus.legacy).toBe(0);
    expect(c.byStatus.reauth_pending).toBe(0);
    expect(c).toEqual(u3.truth());
  });

  it('force-disconnect overrides keep counts equal to the brute-force truth', () => {
    const u4 = createUniversity({ seed: 'ov', users: 800, now: NOW });
    let changed = 0;
    for (let i = 0; i < 800; i += 7) if (u4.forceDisconnect(i, 'test').changed) changed++;
    expect(changed).toBeGreaterThan(0);
    expect(u4.countsAt()).toEqual(u4.truth());
    u4.clock.advanceMinutes(30 * 1440);
    expect(u4.countsAt()).toEqual(u4.truth());
    u4.reset();
    expect(u4.countsAt()).toEqual(createUniversity({ seed: 'ov', users: 800, now: NOW }).countsAt());
  });
});

describe('mailbox and anomalies', () => {
  const u = createUniversity({ seed: 'mail', users: 4000, now: NOW });
  const truth = u.anomalies();

  it('plants every anomaly class with ground truth', () => {
    expect(new Set(truth.map((a) => a.class))).toEqual(
      new Set(['missing', 'id_changed', 'mismatch', 'duplicate', 'legacy_id']),
    );
  });

  it('each anomaly is observable through the mailbox exactly as classified', () => {
    for (const a of truth) {
      const index = u.indexOf(a.userId);
      const item = u.syncedItems(index).find((i) => i.itemId === a.itemId)!;
      const ref = u.mailbox.resolve(a.userId);
      if (!ref) continue; // the mailbox itself is gone (mailbox_not_found)
      const events = u.mailbox.events(ref);
      const found = u.mailbox.getEvent(ref, item.externalEventId);
      const sameUid = events.filter((e) => e.resource.iCalUId === item.iCalUId);
      if (a.class === 'missing') {
        expect(found).toBeNull();
        expect(sameUid).toHaveLength(0);
      } else if (a.class === 'id_changed') {
        expect(found).toBeNull();
        const [immutable] = u.mailbox.translateIds(
          ref,
          [item.externalEventId],
          'restId',
          'restImmutableEntryId',
        );
        const moved = u.mailbox.getEvent(ref, immutable!.targetId!);
        expect(moved?.resource.iCalUId).toBe(item.iCalUId);
        expect(moved?.restId).not.toBe(item.externalEventId);
      } else if (a.class === 'duplicate') {
        expect(found).not.toBeNull();
        expect(sameUid).toHaveLength(2);
      } else if (a.class === 'mismatch') {
        expect(sameUid).toHaveLength(1);
        const event = found!;
        const shiftMs = event.startMs - item.startMin * 60_000;
        const retitled = event.resource.subject !== item.title;
        // Exactly one change: a start moved by ±30 min, ±1 h or ±1 day, or a new title.
        expect(retitled ? shiftMs === 0 : [30, 60, 1440].includes(Math.abs(shiftMs) / 60_000)).toBe(true);
        expect(event.endMs - event.startMs).toBe((item.endMin - item.startMin) * 60_000);
      } else {
        expect(item.externalEventId.startsWith('AQMk')).toBe(true);
        expect(found).toBeNull();
        const [rest] = u.mailbox.translateIds(ref, [item.externalEventId], 'restId', 'restId');
        expect(u.mailbox.getEvent(ref, rest!.targetId!)?.resource.subject).toBe(item.title);
      }
    }
  });

  it('items without anomalies are found under their stored id, and windows list sorted events', () => {
    const index = u.indexOf(truth[0]!.userId);
    const ref = u.mailbox.resolve(truth[0]!.userId)!;
    const clean = u.syncedItems(index).filter((i) => i.anomaly === null);
    for (const item of clean)
      expect(u.mailbox.getEvent(ref, item.externalEventId)?.resource.subject).toBe(item.title);
    const window = u.mailbox.listEvents(
      ref,
      NOW.getTime() - 30 * 86_400_000,
      NOW.getTime() + 30 * 86_400_000,
    );
    for (let k = 1; k < window.length; k++)
      expect(window[k]!.startMs).toBeGreaterThanOrEqual(window[k - 1]!.startMs);
  });

  it('id encodings are reversible and reject tampering', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ID_TYPES),
        fc.nat(999_999),
        fc.nat(3000),
        fc.nat(3),
        (form, mailbox, serial, generation) => {
          const id = encodeEventId(42, form, { mailbox, serial, generation });
          const d = decodeEventId(42, id);
          expect(d).toMatchObject({ form, mailbox, serial });
          expect(decodeEventId(43, id)).toBeNull();
          expect(decodeEventId(42, id.slice(0, -2) + (id.endsWith('AA') ? 'BA' : 'AA'))).toBeNull();
        },
      ),
      { numRuns: 200, seed: 5 },
    );
  });
});

describe('a million users', () => {
  it('answers a page, counts and history with bounded memory', () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const u = createUniversity({ seed: 'big', users: 1_000_000, now: NOW });
    const page = u.page(
      { statuses: new Set(['error']), roles: null, provider: null, q: null, updatedSinceMs: null },
      500_000,
      1000,
      100_000,
    );
    expect(page.items.length).toBeGreaterThan(500);
    expect(page.items.every((c) => c.status === 'error')).toBe(true);
    expect(u.countsAt().total).toBe(1_000_000);
    expect(u.history('2026-10-10', '2026-11-23')).toHaveLength(45);
    expect(u.connection(999_999).userId).toMatch(/^u_/);
    // Generous: the aggregates take ~10 MB; a per-user table would take hundreds.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(120 * 1024 * 1024);
  });
});

describe('serialised pages', () => {
  const noFilter = { statuses: null, roles: null, provider: null, q: null, updatedSinceMs: null };
  const asJson = (
    u: ReturnType<typeof createUniversity>,
    filter: Parameters<typeof u.page>[0],
    after: number,
  ) => {
    const page = u.pageJson(filter, after, 50, 100_000);
    return { items: page.items, lastScanned: page.lastScanned, exhausted: page.exhausted };
  };
  const expected = (
    u: ReturnType<typeof createUniversity>,
    filter: Parameters<typeof u.page>[0],
    after: number,
  ) => {
    const page = u.page(filter, after, 50, 100_000);
    return {
      items: page.items.map((c) => JSON.stringify(c)),
      lastScanned: page.lastScanned,
      exhausted: page.exhausted,
    };
  };

  it('are exactly JSON.stringify of the connections, filtered or not', () => {
    const u = createUniversity({ seed: 'json', users: 400, now: NOW });
    expect(asJson(u, noFilter, -1)).toEqual(expected(u, noFilter, -1));
    expect(asJson(u, noFilter, 380)).toEqual(expected(u, noFilter, 380));
    const errors = { ...noFilter, statuses: new Set(['error', 'legacy'] as const) };
    expect(asJson(u, errors, 10)).toEqual(expected(u, errors, 10));
  });

  it('never serve a cached text once the clock, an override or a reset changed the connection', () => {
    const u = createUniversity({ seed: 'json-cache', users: 300, now: NOW });
    expect(asJson(u, noFilter, -1)).toEqual(expected(u, noFilter, -1));
    const connected = Array.from({ length: 50 }, (_, i) => i).filter(
      (i) => u.forceDisconnect(i, 'test').changed,
    );
    expect(connected.length).toBeGreaterThan(0);
    expect(asJson(u, noFilter, -1)).toEqual(expected(u, noFilter, -1));
    u.requestResync(60);
    u.clock.advanceMinutes(24 * 60);
    expect(asJson(u, noFilter, 40)).toEqual(expected(u, noFilter, 40));
    u.reset();
    expect(asJson(u, noFilter, -1)).toEqual(expected(u, noFilter, -1));
  });
});

describe('updatedSince listings (indexed by the time updatedAt changed)', () => {
  type Filter = Parameters<ReturnType<typeof createUniversity>['page']>[0];
  const noFilter: Filter = { statuses: null, roles: null, provider: null, q: null, updatedSinceMs: null };
  /** Brute force: every user's connection, kept when its updatedAt is later than the bound. */
  const bruteForce = (
    u: ReturnType<typeof createUniversity>,
    sinceMs: number,
    statuses: Set<string> | null,
  ) => {
    const out: string[] = [];
    for (let i = 0; i < u.users; i++) {
      const c = u.connection(i);
      if (Date.parse(c.updatedAt) <= sinceMs) continue;
      if (statuses) {
        const then = u.statusOf(i, Math.floor(sinceMs / 60_000));
        if (!statuses.has(c.status) && !statuses.has(then)) continue;
      }
      out.push(JSON.stringify(c));
    }
    return out;
  };
  /** Walks the cursor like a client, in small pages with a small scan budget. */
  const walked = (u: ReturnType<typeof createUniversity>, filter: Filter, limit: number, budget: number) => {
    const out: string[] = [];
    let after = -1;
    for (;;) {
      const page = u.pageJson(filter, after, limit, budget);
      out.push(...page.items);
      if (page.exhausted) return out;
      expect(page.lastScanned).toBeGreaterThanOrEqual(after);
      after = page.lastScanned;
    }
  };

  it('equal a brute-force scan after clock moves, force-disconnects, resyncs and a reset', () => {
    const u = createUniversity({ seed: 'since', users: 3000, now: NOW });
    const check = () => {
      const now = u.clock.nowMs();
      for (const back of [1, 7, 60, 6 * 60, 30 * 60, 3 * 24 * 60]) {
        const since = now - back * 60_000 + 17_000;
        for (const statuses of [null, new Set(['legacy', 'migrated'])]) {
          const filter = { ...noFilter, updatedSinceMs: since, statuses: statuses as Filter['statuses'] };
          const want = bruteForce(u, since, statuses);
          expect(walked(u, filter, 1000, 100_000)).toEqual(want);
          expect(walked(u, filter, 7, 500)).toEqual(want);
        }
      }
    };
    check();
    u.clock.advanceMinutes(90);
    check();
    for (let i = 0; i < 3000; i += 37) u.forceDisconnect(i, 'test');
    for (let i = 5; i < 3000; i += 101) u.requestResync(i);
    check();
    u.clock.advanceMinutes(3 * 24 * 60 + 11);
    check();
    u.clock.advanceMinutes(25 * 24 * 60);
    check();
    u.reset();
    check();
  });

  it('give the same pages, cursors and ends as a plain scan', () => {
    const u = createUniversity({ seed: 'since-pages', users: 2000, now: NOW });
    u.clock.advanceMinutes(240);
    for (let i = 3; i < 2000; i += 53) u.forceDisconnect(i, 'test');
    const since = u.clock.nowMs() - 300 * 60_000;
    const filter = { ...noFilter, updatedSinceMs: since };
    // The same filter through `matches` over every user (what a scan does).
    for (const [after, limit, budget] of [
      [-1, 5, 100_000],
      [100, 3, 400],
      [1990, 50, 100_000],
      [-1, 0, 100],
      [500, 10, 0],
    ] as const) {
      const page = u.page(filter, after, limit, budget);
      let i = after + 1;
      const items: string[] = [];
      for (; i < 2000 && items.length < limit && i - after - 1 < budget; i++) {
        if (u.matches(i, filter)) items.push(JSON.stringify(u.connection(i)));
      }
      expect(page.items.map((c) => JSON.stringify(c))).toEqual(items);
      expect({ lastScanned: page.lastScanned, exhausted: page.exhausted }).toEqual({
        lastScanned: i - 1,
        exhausted: i >= 2000,
      });
    }
  });
});
