import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemClass, UserVerification } from '../../../shared/contract/verify.ts';
import { startSandbox, type Sandbox } from '../../sandbox/index.ts';
import { StaticTokenProvider } from '../graph/auth.ts';
import { GraphClient } from '../graph/client.ts';
import { realRuntime } from '../net/clock.ts';
import { RequestBudget } from '../net/request-budget.ts';
import { PlatformClient } from '../platform/client.ts';
import { verifyUsers } from './bulk.ts';
import { VerifyPacer } from './pacer.ts';
import { verifyUser, type VerifyDeps } from './verify-user.ts';

/**
 * The verification engine against the sandbox's planted anomalies (ground truth from
 * /__sandbox/anomalies), over real HTTP: every class found, precision and recall 1.0.
 */
const NOW = new Date('2026-11-20T15:00:00Z');
let sandbox: Sandbox;
let deps: VerifyDeps;

function makeDeps(sb: Sandbox, pageSize?: number): VerifyDeps {
  return {
    platform: new PlatformClient({
      baseUrl: sb.platformUrl,
      apiKey: sb.apiKey,
      budget: new RequestBudget(realRuntime, { ratePerSecond: 10_000, burst: 10_000 }),
    }),
    graph: new GraphClient({ baseUrl: sb.graphUrl, tokens: new StaticTokenProvider(sb.graphAppToken) }),
    pacer: new VerifyPacer({ globalConcurrency: 16 }),
    now: () => NOW,
    ...(pageSize === undefined ? {} : { pageSize }),
  };
}

beforeAll(async () => {
  sandbox = await startSandbox({
    users: 3000,
    seed: 'verify-truth',
    now: NOW,
    rateLimit: { perSecond: 1000, burst: 1000 },
  });
  deps = makeDeps(sandbox);
});
afterAll(() => sandbox.close());

async function truth(sb: Sandbox): Promise<Array<{ userId: string; itemId: string; class: string }>> {
  const reply = await fetch(`${sb.adminUrl}/anomalies`);
  return ((await reply.json()) as { items: Array<{ userId: string; itemId: string; class: string }> }).items;
}

describe('verification against the planted anomalies', () => {
  it('finds every class with precision and recall 1.0', async () => {
    const planted = await truth(sandbox);
    expect(new Set(planted.map((a) => a.class))).toEqual(
      new Set(['missing', 'id_changed', 'mismatch', 'duplicate', 'legacy_id']),
    );
    const anomalyUsers = [...new Set(planted.map((a) => a.userId))];
    // Plus clean users with items, so false positives have somewhere to show.
    const clean: string[] = [];
    for await (const c of deps.platform.listConnections({ status: ['migrated', 'legacy'] })) {
      if (c.syncedItemCount > 0 && !anomalyUsers.includes(c.userId)) clean.push(c.userId);
      if (clean.length >= 40) break;
    }
    const results = new Map<string, UserVerification>();
    await verifyUsers(deps, [...anomalyUsers, ...clean], {
      userConcurrency: 8,
      onUser: (r) => {
        results.set(r.userId, r);
      },
    });
    const checked = [...results.values()].filter((r) => r.graphChecked);
    const found = new Set<string>();
    for (const r of checked) {
      expect(r.counts.unverified).toBe(0);
      for (const item of r.items)
        if (item.class !== 'ok') found.add(`${r.userId}|${item.itemId}|${item.class}`);
    }
    const expected = new Set(
      planted
        .filter((a) => results.get(a.userId)?.graphChecked)
        .map((a) => `${a.userId}|${a.itemId}|${a.class}`),
    );
    const perClass = (cls: string) => ({
      truePositives: [...found].filter((k) => k.endsWith(`|${cls}`) && expected.has(k)).length,
      found: [...found].filter((k) => k.endsWith(`|${cls}`)).length,
      expected: [...expected].filter((k) => k.endsWith(`|${cls}`)).length,
    });
    for (const cls of ['missing', 'id_changed', 'mismatch', 'duplicate', 'legacy_id']) {
      const { truePositives, found: f, expected: e } = perClass(cls);
      expect(e, `planted ${cls}`).toBeGreaterThan(0);
      expect(truePositives / f, `precision ${cls}`).toBe(1);
      expect(truePositives / e, `recall ${cls}`).toBe(1);
    }
    // Users skipped for want of a mailbox are exactly the ones whose mailbox is gone or inactive.
    for (const r of results.values()) {
      if (r.graphChecked) continue;
      expect(r.verdict).toBe('no_mailbox');
      expect(['mailbox_not_found', 'mailbox_inactive']).toContain(r.platform.lastErrorCode);
    }
    // Verdicts follow the counts.
    for (const r of checked) {
      const anomalies = r.items.filter((i) => i.class !== 'ok').length;
      expect(r.verdict).toBe(anomalies > 0 ? 'anomalies' : 'ok');
    }
  }, 120_000);

  it('reports the new id for id_changed and legacy_id, and says by how much a mismatch differs', async () => {
    const planted = await truth(sandbox);
    const pick = (cls: string) => planted.find((a) => a.class === cls)!;
    for (const cls of ['id_changed', 'legacy_id', 'mismatch'] as const) {
      const a = pick(cls);
      const r = await verifyUser(deps, a.userId);
      const item = r.items.find((i) => i.itemId === a.itemId)!;
      expect(item.class).toBe(cls satisfies ItemClass);
      if (cls === 'mismatch') expect(item.detail).toMatch(/start [+−](30 min|1 h|1 day)|title differs/);
      else {
        expect(item.newId).toMatch(/^AAMkA/);
        expect(item.newId).not.toBe(item.externalEventId);
      }
    }
  }, 60_000);

  it('follows @odata.nextLink verbatim: the same answers with pages of 3 events', async () => {
    const planted = await truth(sandbox);
    const userId = planted.find((a) => a.class === 'duplicate')!.userId;
    const paged = await verifyUser(makeDeps(sandbox, 3), userId);
    const whole = await verifyUser(deps, userId);
    expect(paged.items).toEqual(whole.items);
    expect(paged.counts.duplicate).toBeGreaterThan(0);
  }, 60_000);

  it('without Graph access: a platform-only check that says what it could not check', async () => {
    const planted = await truth(sandbox);
    const r = await verifyUser({ ...deps, graph: null }, planted[0]!.userId);
    expect(r.verdict).toBe('platform_only');
    expect(r.graphChecked).toBe(false);
    expect(r.items).toEqual([]);
    expect(r.platform.itemsRead).toBeGreaterThan(0);
    expect(r.notChecked.join(' ')).toMatch(/calendar was not read/);
  });

  it('a user that does not exist on the platform is a failed verdict with the reason, not a crash', async () => {
    const r = await verifyUser(deps, 'u_00000000000000000000000000');
    expect(r.verdict).toBe('failed');
    expect(r.error).toMatch(/has no user/);
  });
});

describe('resumable bulk runs', () => {
  it('skips users an earlier run finished, and a cancelled run reports no partial user', async () => {
    const planted = await truth(sandbox);
    const users = [...new Set(planted.map((a) => a.userId))].slice(0, 12);
    const done = new Set<string>();
    const controller = new AbortController();
    await expect(
      verifyUsers(deps, users, {
        userConcurrency: 2,
        signal: controller.signal,
        onUser: (r) => {
          done.add(r.userId);
          if (done.size === 4) controller.abort(new Error('stop'));
        },
      }),
    ).rejects.toThrow();
    const firstRun = done.size;
    expect(firstRun).toBeGreaterThanOrEqual(4);
    expect(firstRun).toBeLessThan(users.length);
    const second: string[] = [];
    const progress = await verifyUsers(deps, users, {
      userConcurrency: 2,
      isDone: (id) => done.has(id),
      onUser: (r) => {
        second.push(r.userId);
      },
    });
    expect(progress.skipped).toBe(firstRun);
    expect(new Set([...done, ...second])).toEqual(new Set(users));
    expect(second.some((id) => done.has(id))).toBe(false);
  }, 60_000);
});
