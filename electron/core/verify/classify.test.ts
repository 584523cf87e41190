import { describe, expect, it } from 'vitest';
import type { GraphEvent } from '../../../shared/domain/graph.ts';
import type { SyncedItem } from '../../../shared/domain/platform.ts';
import { GraphError } from '../graph/errors.ts';
import { classifyItems, type Lookup, type Translation } from './classify.ts';
import { describeShift, instantOf } from './event-time.ts';

const item: SyncedItem = {
  itemId: 'i1',
  kind: 'event',
  title: 'Career Fair',
  start: '2026-11-02T10:00:00-05:00',
  end: '2026-11-02T11:00:00-05:00',
  timeZone: 'Eastern Standard Time',
  externalEventId: 'AAMkAstored',
  iCalUId: 'uid-1',
  syncedAt: '2026-10-01T00:00:00Z',
  syncedVia: 'graph',
};
const utc = (iso: string) => ({
  dateTime: new Date(iso).toISOString().replace('Z', '0000'),
  timeZone: 'UTC',
});
const event = (over: Partial<GraphEvent> = {}): GraphEvent => ({
  id: 'AAMkAstored',
  iCalUId: 'uid-1',
  subject: 'Career Fair',
  start: utc(item.start),
  end: utc(item.end),
  type: 'singleInstance',
  ...over,
});
const notFound = new GraphError('404', { code: 'ErrorItemNotFound', status: 404, retryable: false });

function classify(byId: Lookup | undefined, view: GraphEvent[] | null, translation?: Translation) {
  return classifyItems({
    userId: 'u1',
    items: [item],
    byId: new Map(byId === undefined ? [] : [[item.externalEventId, byId]]),
    view,
    viewError: view === null ? 'HTML page' : null,
    translations: new Map(translation ? [[item.externalEventId, translation]] : []),
  })[0]!;
}

describe('classifyItems', () => {
  it('ok, mismatch (start as an instant, in another zone), duplicate', () => {
    expect(classify(event(), [event()]).class).toBe('ok');
    // The same instant written in New York time is not a mismatch.
    const ny = event({ start: { dateTime: '2026-11-02T10:00:00', timeZone: 'America/New_York' } });
    expect(classify(ny, [ny]).class).toBe('ok');
    const moved = event({ start: utc('2026-11-02T11:00:00-05:00'), end: utc('2026-11-02T12:00:00-05:00') });
    const m = classify(moved, [moved]);
    expect(m.class).toBe('mismatch');
    expect(m.detail).toMatch(/start \+1 h/);
    expect(classify(event(), [event(), event({ id: 'AAMkAsecond' })])).toMatchObject({ class: 'duplicate' });
  });

  it('occurrences of a series share nothing but their own start: not duplicates', () => {
    const occurrence = event({ type: 'occurrence' });
    const other = event({ id: 'AAMkAnext', type: 'occurrence', start: utc('2026-11-09T10:00:00-05:00') });
    expect(classify(occurrence, [occurrence, other]).class).toBe('ok');
  });

  it('not found: legacy_id, id_changed, missing, duplicate by iCalUId', () => {
    const current = event({ id: 'AAMkAcurrent' });
    expect(
      classify(notFound, [current], { kind: 'resolved', targetId: 'AAMkAcurrent', lookup: current }),
    ).toMatchObject({
      class: 'legacy_id',
      newId: 'AAMkAcurrent',
    });
    expect(classify(notFound, [current], { kind: 'unresolved', reason: 'same id' })).toMatchObject({
      class: 'id_changed',
      newId: 'AAMkAcurrent',
    });
    expect(classify(notFound, []).class).toBe('missing');
    expect(classify(notFound, [current, event({ id: 'AAMkAthird' })]).class).toBe('duplicate');
  });

  it('never guesses: unverified when Graph did not answer or the view is missing', () => {
    const throttled = new GraphError('429', { code: 'TooManyRequests', status: 429, retryable: true });
    expect(classify(throttled, [event()]).class).toBe('unverified');
    expect(classify(undefined, [event()]).class).toBe('unverified');
    expect(classify(notFound, null).class).toBe('unverified');
    expect(classify(event(), null).class).toBe('unverified');
    const windows = event({ start: { dateTime: '2026-11-02T10:00:00', timeZone: 'Eastern Standard Time' } });
    expect(classify(windows, [windows]).class).toBe('unverified');
  });
});

describe('event times', () => {
  it('reads Graph dateTimeTimeZone as an instant; unknown zones are null', () => {
    expect(instantOf({ dateTime: '2026-11-02T15:00:00.0000000', timeZone: 'UTC' })).toBe(
      Date.parse('2026-11-02T15:00:00Z'),
    );
    expect(instantOf({ dateTime: '2026-07-01T09:30:00', timeZone: 'Europe/Berlin' })).toBe(
      Date.parse('2026-07-01T07:30:00Z'),
    );
    expect(instantOf({ dateTime: 'garbage', timeZone: 'UTC' })).toBeNull();
    expect(instantOf({ dateTime: '2026-11-02T15:00:00', timeZone: 'Pacific Standard Time' })).toBeNull();
    expect(describeShift(-30 * 60_000)).toBe('−30 min');
    expect(describeShift(26 * 3_600_000)).toBe('+1 day 2 h');
  });
});
