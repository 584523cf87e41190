import { describe, expect, it } from 'vitest';
import { startSandbox } from '../index.ts';
import { createFaultInjector } from './faults.ts';

describe('fault injection', () => {
  it('is deterministic per seed and matches its profile', () => {
    const fates = (seed: string) => {
      const f = createFaultInjector('heavy', seed);
      return Array.from({ length: 2000 }, () => f.next());
    };
    const a = fates('s1');
    expect(fates('s1')).toEqual(a);
    expect(fates('s2')).not.toEqual(a);
    const kinds = new Set(
      a.map((x) =>
        x === null ? 'ok' : x.kind === 'status' ? `${x.status}${x.retryAfter ? '+ra' : ''}` : x.kind,
      ),
    );
    for (const k of ['ok', '500', '502', '503', '503+ra', 'reset', 'throttle', 'slow'])
      expect(kinds).toContain(k);
    const faulty = a.filter((x) => x !== null).length / a.length;
    expect(faulty).toBeGreaterThan(0.15);
    expect(faulty).toBeLessThan(0.45);
    expect(a.some((x) => x?.kind === 'throttle' && !Number.isInteger(Number(x.retryAfter)))).toBe(true);
    const none = createFaultInjector('none', 's1');
    expect(Array.from({ length: 500 }, () => none.next()).every((x) => x === null)).toBe(true);
  });

  it('reaches clients as 5xx, 429 with Retry-After and dropped connections; admin endpoints are exempt', async () => {
    const sb = await startSandbox({
      users: 100,
      seed: 'faulty',
      faults: 'heavy',
      identity: false,
      rateLimit: { perSecond: 100_000, burst: 100_000 },
    });
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 150 }, async () => {
          try {
            const r = await fetch(`${sb.platformUrl}/migration`, {
              headers: { authorization: `Bearer ${sb.apiKey}` },
            });
            return {
              status: r.status,
              retryAfter: r.headers.get('retry-after'),
              limit: r.headers.get('ratelimit-limit'),
            };
          } catch {
            return { status: 'reset' as const, retryAfter: null, limit: null };
          }
        }),
      );
      const statuses = new Set(outcomes.map((o) => o.status));
      expect(statuses).toContain(200);
      expect(statuses).toContain('reset');
      expect([...statuses].some((s) => s === 500 || s === 502 || s === 503)).toBe(true);
      expect(outcomes.filter((o) => o.status === 429).every((o) => o.retryAfter !== null)).toBe(true);
      expect(outcomes.filter((o) => o.status !== 'reset').every((o) => o.limit !== null)).toBe(true);
      for (let i = 0; i < 30; i++) expect((await fetch(`${sb.adminUrl}/stats`)).status).toBe(200);
      const stats = (await (await fetch(`${sb.adminUrl}/stats`)).json()) as {
        requests: { total: number; byStatus: Record<string, number> };
      };
      expect(stats.requests.total).toBe(150);
      expect(stats.requests.byStatus.reset).toBe(outcomes.filter((o) => o.status === 'reset').length);
    } finally {
      await sb.close();
    }
  });
});
