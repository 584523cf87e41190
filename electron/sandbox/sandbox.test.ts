import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index.ts';
import { admin, call } from './platform/test-client.ts';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ users: 400, seed: 'whole', now: new Date('2026-11-24T15:00:00Z') });
});
afterAll(async () => {
  await sb.close();
});

describe('startSandbox', () => {
  it('serves platform, Graph (with the minted app token) and admin controls together', async () => {
    expect(sb.authorityUrl).toMatch(/^https:\/\/localhost:\d+\//);
    expect(sb.caCertPem).toContain('BEGIN CERTIFICATE');
    const { items } = (await admin(sb, '/anomalies')) as {
      items: Array<{ userId: string; itemId: string; class: string }>;
    };
    expect(items.length).toBeGreaterThan(0);
    const userId = items[0]!.userId;
    const conn = (await call(sb, `/connections/${userId}`)).body as { calendarMailbox: string };
    const synced = (await call(sb, `/connections/${userId}/synced-items?limit=1000`)).body!.items!;
    const clean = synced.find((i) => !items.some((a) => a.itemId === i.itemId))!;
    const res = await fetch(
      `${sb.graphUrl}/users/${conn.calendarMailbox}/events/${clean.externalEventId as string}`,
      { headers: { authorization: `Bearer ${sb.graphAppToken}` } },
    );
    expect(res.status).toBe(200);
    const event = (await res.json()) as { iCalUId: string; subject: string };
    expect(event.iCalUId).toBe(clean.iCalUId);
    expect(event.subject).toBe(clean.title);
    const clock = await admin(sb, '/clock', { advanceMinutes: 90 });
    expect(clock.now).toBe('2026-11-24T11:30:00-05:00');
    const stats = (await admin(sb, '/stats')) as { requests: { byStatus: Record<string, number> } };
    expect(stats.requests.byStatus['200']).toBeGreaterThanOrEqual(3);
  });
});
