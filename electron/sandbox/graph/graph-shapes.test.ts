import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { external } from '../../../tests/support/paths.ts';
import { shapeDifferences, startGraphHarness, type GraphHarness } from './graph-test-setup.ts';

const sample = (name: string) =>
  JSON.parse(readFileSync(external('graph', name), 'utf8')) as Record<string, unknown>;

let h: GraphHarness;
beforeAll(async () => {
  h = await startGraphHarness();
});
afterAll(() => h.close());

const window = () => {
  const start = new Date(h.clock.now.getTime() - 90 * 86400_000).toISOString();
  const end = new Date(h.clock.now.getTime() + 90 * 86400_000).toISOString();
  return `startDateTime=${encodeURIComponent(start)}&endDateTime=${encodeURIComponent(end)}`;
};

describe('Graph responses match Microsoft samples', () => {
  it('user, user with $select, calendar', async () => {
    const user = await h.call(`/users/${encodeURIComponent(h.busy.upn)}`);
    expect(user.status).toBe(200);
    expect(shapeDifferences(sample('user-get.response.json'), user.json)).toEqual([]);
    expect(user.json).toMatchObject({ id: h.busy.id, userPrincipalName: h.busy.upn });
    const selected = await h.call(`/users/${h.busy.id}?$select=displayName,givenName`);
    expect(Object.keys(selected.json).sort()).toEqual(['@odata.context', 'displayName', 'givenName']);
    const calendar = await h.call(`/users/${h.busy.id}/calendar`);
    expect(shapeDifferences(sample('calendar-get.response.json'), calendar.json)).toEqual([]);
  });

  it('event and calendarView items', async () => {
    const view = await h.call(`/users/${h.busy.id}/calendarView?${window()}&$top=3`);
    expect(view.status).toBe(200);
    expect(shapeDifferences(sample('user-list-calendarview.response.json'), view.json)).toEqual([]);
    const all = await h.call(`/users/${h.busy.id}/calendarView?${window()}&$top=1000`);
    // A platform-synced event has a named location, like Microsoft's sample.
    const first = (all.json.value as Array<{ id: string; location: { displayName: string } }>).find(
      (e) => e.location.displayName !== '',
    )!;
    const event = await h.call(`/users/${h.busy.id}/events/${encodeURIComponent(first.id)}`);
    expect(event.status).toBe(200);
    expect(shapeDifferences(sample('event-get.response.json'), event.json)).toEqual([]);
  });

  it('translateExchangeIds, $batch and errors', async () => {
    const view = await h.call(`/users/${h.busy.id}/calendarView?${window()}&$top=2`);
    const inputIds = (view.json.value as Array<{ id: string }>).map((e) => e.id);
    const translated = await h.call(`/users/${h.busy.id}/translateExchangeIds`, {
      method: 'POST',
      body: { inputIds, sourceIdType: 'restId', targetIdType: 'restImmutableEntryId' },
    });
    expect(shapeDifferences(sample('translateexchangeids.response.json'), translated.json)).toEqual([]);
    const batch = await h.call('/$batch', {
      method: 'POST',
      body: {
        requests: [
          { id: '1', method: 'GET', url: `/users/${h.busy.id}` },
          { id: '2', method: 'GET', url: '/users/nobody@nowhere.example' },
        ],
      },
    });
    expect(batch.status).toBe(200);
    const batchSample = sample('json-batching-2025.response.json') as {
      responses: Array<Record<string, unknown>>;
    };
    const ours = batch.json.responses as Array<Record<string, unknown>>;
    expect(ours.map((r) => r.id).sort()).toEqual(['1', '2']);
    for (const r of ours)
      expect(shapeDifferences({ id: '', status: 0, headers: {}, body: {} }, r)).toEqual([]);
    // Microsoft's 403 sub-response is an error body with innerError date/request-id/client-request-id.
    const failed = ours.find((r) => r.id === '2')!;
    expect(failed.status).toBe(404);
    expect(
      shapeDifferences(
        { ...batchSample.responses[2], id: '2', status: 404 },
        { ...failed, headers: { ...(failed.headers as object), 'x-ms-resource-unit': '1' } },
      ),
    ).toEqual([]);
    const missing = await h.call('/users/nobody@nowhere.example/calendar');
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({
      error: { code: 'ErrorInvalidUser', innerError: { 'request-id': missing.headers.get('request-id') } },
    });
    expect(typeof (missing.json.error as { innerError: { date: string } }).innerError.date).toBe('string');
  });
});
