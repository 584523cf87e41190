import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGraphHarness, type GraphHarness } from './graph-test-setup.ts';

const windowQuery = (h: GraphHarness, days = 90) => {
  const start = new Date(h.clock.now.getTime() - days * 86400_000).toISOString();
  const end = new Date(h.clock.now.getTime() + days * 86400_000).toISOString();
  return `startDateTime=${encodeURIComponent(start)}&endDateTime=${encodeURIComponent(end)}`;
};

describe('Graph over HTTP', () => {
  let h: GraphHarness;
  beforeAll(async () => {
    h = await startGraphHarness();
  });
  afterAll(() => h.close());

  it('pages calendarView by following @odata.nextLink verbatim, and refuses edited skiptokens', async () => {
    const everything = await h.call(`/users/${h.busy.id}/calendarView?${windowQuery(h)}&$top=1000`);
    const allIds = (everything.json.value as Array<{ id: string }>).map((e) => e.id);
    expect(allIds.length).toBeGreaterThan(10);
    const seen: string[] = [];
    let next: string | undefined =
      `/users/${encodeURIComponent(h.busy.upn)}/calendarView?${windowQuery(h)}&$top=4`;
    let pages = 0;
    let lastLink = '';
    while (next) {
      const page = await h.call(next);
      expect(page.status).toBe(200);
      const value = page.json.value as Array<{ id: string }>;
      expect(value.length).toBeLessThanOrEqual(4);
      seen.push(...value.map((e) => e.id));
      next = page.json['@odata.nextLink'] as string | undefined;
      if (next) lastLink = next;
      pages += 1;
    }
    expect(pages).toBe(Math.ceil(allIds.length / 4));
    expect(seen).toEqual(allIds);
    const link = new URL(lastLink);
    const token = link.searchParams.get('$skiptoken') ?? '';
    link.searchParams.set('$skiptoken', `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`);
    expect((await h.call(link.toString())).status).toBe(400);
    // The same token with another window is another query: refused rather than a wrong page.
    const moved = new URL(lastLink);
    moved.searchParams.set('endDateTime', new Date(h.clock.now.getTime() + 10 * 86400_000).toISOString());
    expect((await h.call(moved.toString())).json).toMatchObject({ error: { code: 'BadRequest' } });
    expect((await h.call(`/users/${h.busy.id}/calendarView`)).json).toMatchObject({
      error: { code: 'ErrorInvalidParameter' },
    });
  });

  it('honours Prefer: IdType="ImmutableId" and round-trips ids through translateExchangeIds', async () => {
    const prefer = { Prefer: 'IdType="ImmutableId"' };
    const plain = await h.call(`/users/${h.busy.id}/calendarView?${windowQuery(h)}&$top=5`);
    const immutable = await h.call(`/users/${h.busy.id}/calendarView?${windowQuery(h)}&$top=5`, {
      headers: prefer,
    });
    expect(immutable.headers.get('preference-applied')).toBe('IdType="ImmutableId"');
    expect(plain.headers.get('preference-applied')).toBeNull();
    const restIds = (plain.json.value as Array<{ id: string }>).map((e) => e.id);
    const immutableIds = (immutable.json.value as Array<{ id: string }>).map((e) => e.id);
    expect(immutableIds).not.toEqual(restIds);
    const toImmutable = await h.call(`/users/${h.busy.id}/translateExchangeIds`, {
      method: 'POST',
      body: { inputIds: restIds, sourceIdType: 'restId', targetIdType: 'restImmutableEntryId' },
    });
    expect((toImmutable.json.value as Array<{ targetId: string }>).map((v) => v.targetId)).toEqual(
      immutableIds,
    );
    const back = await h.call(`/users/${h.busy.id}/translateExchangeIds`, {
      method: 'POST',
      body: { inputIds: immutableIds, sourceIdType: 'restImmutableEntryId', targetIdType: 'restId' },
    });
    expect((back.json.value as Array<{ targetId: string }>).map((v) => v.targetId)).toEqual(restIds);
    const ews = await h.call(`/users/${h.busy.id}/translateExchangeIds`, {
      method: 'POST',
      body: { inputIds: restIds, sourceIdType: 'restId', targetIdType: 'ewsId' },
    });
    const ewsIds = (ews.json.value as Array<{ targetId: string }>).map((v) => v.targetId);
    const fromEws = await h.call(`/users/${h.busy.id}/translateExchangeIds`, {
      method: 'POST',
      body: { inputIds: ewsIds, sourceIdType: 'ewsId', targetIdType: 'restId' },
    });
    expect((fromEws.json.value as Array<{ targetId: string }>).map((v) => v.targetId)).toEqual(restIds);
    const byImmutable = await h.call(`/users/${h.busy.id}/events/${encodeURIComponent(immutableIds[0]!)}`, {
      headers: prefer,
    });
    expect(byImmutable.status).toBe(200);
    expect(byImmutable.json.id).toBe(immutableIds[0]);
    expect(byImmutable.headers.get('preference-applied')).toBe('IdType="ImmutableId"');
  });

  it('validates translateExchangeIds input and reports per-id failures', async () => {
    const tooMany = Array.from({ length: 1001 }, (_, i) => `id-${i}`);
    expect(
      (
        await h.call(`/users/${h.busy.id}/translateExchangeIds`, {
          method: 'POST',
          body: { inputIds: tooMany, sourceIdType: 'restId', targetIdType: 'ewsId' },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await h.call(`/users/${h.busy.id}/translateExchangeIds`, {
          method: 'POST',
          body: { inputIds: ['x'], sourceIdType: 'restId', targetIdType: 'outlookId' },
        })
      ).status,
    ).toBe(400);
    const mixed = await h.call(`/users/${h.busy.id}/translateExchangeIds`, {
      method: 'POST',
      body: { inputIds: ['not-an-id'], sourceIdType: 'restId', targetIdType: 'ewsId' },
    });
    expect(mixed.json.value).toEqual([
      {
        sourceId: 'not-an-id',
        errorDetails: { code: 'ErrorInvalidIdMalformed', message: expect.any(String) },
      },
    ]);
    expect((await h.call(`/users/${h.busy.id}/events/not-an-id`)).json).toMatchObject({
      error: { code: 'ErrorInvalidIdMalformed' },
    });
  });

  it('authenticates and authorises every call', async () => {
    const path = `/users/${h.busy.id}/calendar`;
    expect((await h.call(path, { token: null })).json).toMatchObject({
      error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' },
    });
    expect((await h.call(path, { token: null })).headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await h.call(path, { token: `${h.appToken}x` })).status).toBe(401);
    expect((await h.call(path, { token: h.idp.mintAppToken({ roles: [] }) })).json).toMatchObject({
      error: { code: 'ErrorAccessDenied' },
    });
    const director = h.idp.mintUserToken({ user: 'director' });
    expect((await h.call(path, { token: director })).status).toBe(403);
    expect((await h.call('/me')).json).toMatchObject({ error: { code: 'BadRequest' } });
    const me = await h.call('/me', { token: director });
    expect(me.json).toMatchObject({
      userPrincipalName: 'career.director@demo-university.edu',
      displayName: 'Demo Director',
    });
    const readOnly = h.idp.mintUserToken({ user: 'support', scopes: ['User.Read'] });
    expect(
      (
        await h.call('/me/sendMail', {
          token: readOnly,
          method: 'POST',
          body: { message: { toRecipients: [{ emailAddress: { address: 'a@b.edu' } }] } },
        })
      ).status,
    ).toBe(403);
    const short = h.idp.mintAppToken({ lifetimeSeconds: 60 });
    h.clock.advance(2 * 3600_000);
    expect((await h.call(path, { token: short })).json).toMatchObject({
      error: { message: 'Lifetime validation failed, the token is expired.' },
    });
  });
});

describe('Graph limits', () => {
  let h: GraphHarness;
  afterEach(() => h.close());

  it('rejects batches over 20, answers inner 429s with their own fractional Retry-After and 424 for dependents', async () => {
    h = await startGraphHarness({ limits: { requestsPerWindow: 5 } });
    const many = Array.from({ length: 21 }, (_, i) => ({
      id: String(i + 1),
      method: 'GET',
      url: `/users/${h.busy.id}/calendar`,
    }));
    expect((await h.call('/$batch', { method: 'POST', body: { requests: many } })).status).toBe(400);
    // One request now and the rest 1.234 s later: the window frees up at a fractional second.
    expect((await h.call(`/users/${h.busy.id}/calendar`)).status).toBe(200);
    h.clock.advance(1234);
    const eight = many.slice(0, 8);
    const batch = await h.call('/$batch', {
      method: 'POST',
      body: {
        requests: [...eight, { id: 'after', dependsOn: ['8'], method: 'GET', url: `/users/${h.busy.id}` }],
      },
    });
    expect(batch.status).toBe(200);
    const responses = batch.json.responses as Array<{
      id: string;
      status: number;
      headers: Record<string, string>;
      body: { error?: { code: string } };
    }>;
    expect(responses.filter((r) => r.status === 200 && r.id !== 'after')).toHaveLength(4);
    const limited = responses.filter((r) => r.status === 429);
    expect(limited).toHaveLength(4);
    for (const r of limited) {
      expect(r.body.error?.code).toBe('ApplicationThrottled');
      expect(Number(r.headers['Retry-After'])).toBeGreaterThan(0);
      expect(r.headers['Retry-After']).toBe('598.766');
    }
    expect(responses.find((r) => r.id === 'after')?.status).toBe(424);
    // Once the window has moved on, a retry after Retry-After succeeds.
    h.clock.advance(Number(limited[0]!.headers['Retry-After']) * 1000 + 1);
    expect((await h.call(`/users/${h.busy.id}/calendar`)).status).toBe(200);
    const cyclic = await h.call('/$batch', {
      method: 'POST',
      body: {
        requests: [
          { id: 'a', dependsOn: ['b'], method: 'GET', url: '/me' },
          { id: 'b', dependsOn: ['a'], method: 'GET', url: '/me' },
        ],
      },
    });
    expect(cyclic.status).toBe(400);
  });

  it('allows 4 concurrent requests per app and mailbox; a batch keeps itself under that', async () => {
    h = await startGraphHarness({ latencyMs: 150 });
    const results = await Promise.all(
      Array.from({ length: 8 }, () => h.call(`/users/${h.busy.id}/calendar`)),
    );
    const ok = results.filter((r) => r.status === 200).length;
    const limited = results.filter((r) => r.status === 429);
    expect(ok).toBeGreaterThanOrEqual(1);
    expect(ok).toBeLessThanOrEqual(4);
    expect(limited.length).toBe(8 - ok);
    expect(limited[0]?.json).toMatchObject({
      error: {
        code: 'ApplicationThrottled',
        message: 'Application is over its MailboxConcurrency limit.',
        innerError: { code: '429', status: '429' },
      },
    });
    expect(limited[0]?.headers.get('retry-after')).toMatch(/^\d+(\.\d+)?$/);
    const batch = await h.call('/$batch', {
      method: 'POST',
      body: {
        requests: Array.from({ length: 10 }, (_, i) => ({
          id: String(i),
          method: 'GET',
          url: `/users/${h.busy.id}/calendar`,
        })),
      },
    });
    expect((batch.json.responses as Array<{ status: number }>).every((r) => r.status === 200)).toBe(true);
  });

  it('enforces Exchange sending limits and counts each send once', async () => {
    h = await startGraphHarness({ limits: { recipientsPerDay: 1200 } });
    // A fresh token per call: the test moves the clock by a day.
    const token = () => h.idp.mintUserToken({ user: 'director' });
    const to = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ emailAddress: { address: `student${i}@demo-university.edu` } }));
    const send = (n: number) =>
      h.call('/me/sendMail', {
        token: token(),
        method: 'POST',
        body: {
          message: {
            subject: 'Re-authorize calendar sync',
            body: { contentType: 'Text', content: 'Hello' },
            toRecipients: to(n),
          },
          saveToSentItems: 'false',
        },
      });
    expect((await send(501)).json).toMatchObject({ error: { code: 'ErrorTooManyRecipients' } });
    for (let i = 0; i < 30; i += 1) expect((await send(1)).status).toBe(202);
    const throttled = await send(1);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    h.clock.advance(61_000);
    expect((await send(500)).status).toBe(202);
    expect((await send(500)).status).toBe(202);
    const quota = await send(200);
    expect(quota.status).toBe(403);
    expect((quota.json.error as { message: string }).message).toMatch(
      /^554 5\.2\.0 .*SubmissionQuotaExceededException/,
    );
    // The window slides: a day after the first sends, the recipients are free again.
    h.clock.advance(24 * 3600_000);
    expect((await send(200)).status).toBe(202);
    expect(h.stats.snapshot().sideEffects.sendMail.executed).toBe(33);
  });

  it('creates drafts, keeps sent items when asked, and pages GET /me/messages', async () => {
    h = await startGraphHarness();
    const token = h.idp.mintUserToken({ user: 'support' });
    const draft = await h.call('/me/messages', {
      token,
      method: 'POST',
      body: {
        subject: 'Draft announcement',
        body: { contentType: 'HTML', content: '<p>Hi {{FirstName}}</p>' },
        toRecipients: [{ emailAddress: { address: 'x@demo-university.edu' } }],
      },
    });
    expect(draft.status).toBe(201);
    expect(draft.json).toMatchObject({
      isDraft: true,
      subject: 'Draft announcement',
      bodyPreview: 'Hi {{FirstName}}',
    });
    expect(
      (
        await h.call('/me/sendMail', {
          token,
          method: 'POST',
          body: {
            message: {
              subject: 'Sent',
              toRecipients: [{ emailAddress: { address: 'y@demo-university.edu' } }],
            },
            saveToSentItems: true,
          },
        })
      ).status,
    ).toBe(202);
    const first = await h.call('/me/messages?$top=1&$select=subject,isDraft', { token });
    expect(first.json.value).toEqual([
      { '@odata.etag': expect.any(String), id: expect.any(String), subject: 'Sent', isDraft: false },
    ]);
    const second = await h.call(String(first.json['@odata.nextLink']), { token });
    expect((second.json.value as Array<{ subject: string }>).map((m) => m.subject)).toEqual([
      'Draft announcement',
    ]);
    expect(second.json['@odata.nextLink']).toBeUndefined();
    expect(
      (
        await h.call('/me/messages', {
          token: h.idp.mintUserToken({ user: 'support', scopes: ['User.Read', 'Mail.Send'] }),
          method: 'POST',
          body: {},
        })
      ).status,
    ).toBe(403);
  });
});
