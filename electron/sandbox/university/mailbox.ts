import {
  decodeEventId,
  encodeEventId,
  isLocationBound,
  type ExchangeIdType,
  type EventKey,
} from './event-ids.ts';
import { DAY_MIN, MINUTE } from './model-types.ts';
import { hash3, intIn, pick, Salt, stream } from './prng.ts';
import type { ModelCalendar, UserPlan } from './plan.ts';
import { iCalUIdOf, plantedMismatch, syncedItemsOf } from './synced-items.ts';

/**
 * The Exchange side of the demo: each connected user's default calendar as Graph-shaped events.
 * Events are the platform's synced items (under the id the platform stored, unless an anomaly
 * says otherwise) plus the user's personal events. Regenerated per call; nothing is stored.
 */
export interface MailboxEvent {
  key: EventKey;
  /** Graph `id` (restId) of the event where it lives now. */
  restId: string;
  restImmutableEntryId: string;
  startMs: number;
  endMs: number;
  /** The Graph v1.0 event resource (UTC times; apply `Prefer: outlook.timezone` on top if needed). */
  resource: Record<string, unknown>;
}

const PERSONAL = [
  'Lecture: Organic Chemistry',
  'Gym',
  'Dentist',
  'Study group',
  'Lab section',
  'Call with Mom',
  'Office hours',
  'Soccer practice',
  'Volunteer shift',
  'Thesis meeting',
];
const PERSONAL_SERIAL_BASE = 1000;
const DUPLICATE_SERIAL_BASE = 2000;

function graphDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '0000');
}

function changeKeyOf(seed: number, key: EventKey): string {
  const b = Buffer.alloc(12);
  b.writeUInt32BE(hash3(seed, key.mailbox, key.serial), 0);
  b.writeUInt32BE(hash3(seed, key.serial, key.mailbox), 4);
  b.writeUInt32BE(key.generation, 8);
  return b.toString('base64');
}

interface EventDraft {
  key: EventKey;
  subject: string;
  startMin: number;
  endMin: number;
  iCalUId: string;
  createdMin: number;
  platform: boolean;
}

export interface MailboxOwner {
  upn: string;
  displayName: string;
}

function toEvent(seed: number, owner: MailboxOwner, d: EventDraft): MailboxEvent {
  const restId = encodeEventId(seed, 'restId', d.key);
  const restImmutableEntryId = encodeEventId(seed, 'restImmutableEntryId', { ...d.key, generation: 0 });
  const created = new Date(d.createdMin * MINUTE).toISOString();
  const changeKey = changeKeyOf(seed, d.key);
  const preview = d.platform ? 'Added to your calendar by the career platform.' : '';
  return {
    key: d.key,
    restId,
    restImmutableEntryId,
    startMs: d.startMin * MINUTE,
    endMs: d.endMin * MINUTE,
    resource: {
      '@odata.etag': `W/"${changeKey}"`,
      id: restId,
      createdDateTime: created,
      lastModifiedDateTime: created,
      changeKey,
      categories: [],
      transactionId: null,
      originalStartTimeZone: 'Eastern Standard Time',
      originalEndTimeZone: 'Eastern Standard Time',
      iCalUId: d.iCalUId,
      reminderMinutesBeforeStart: 15,
      isReminderOn: true,
      hasAttachments: false,
      subject: d.subject,
      bodyPreview: preview,
      importance: 'normal',
      sensitivity: 'normal',
      isAllDay: false,
      isCancelled: false,
      isOrganizer: true,
      responseRequested: true,
      seriesMasterId: null,
      showAs: 'busy',
      type: 'singleInstance',
      webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(restId)}&exvsurl=1&path=/calendar/item`,
      onlineMeetingUrl: null,
      isOnlineMeeting: false,
      responseStatus: { response: 'organizer', time: '0001-01-01T00:00:00Z' },
      body: { contentType: 'html', content: preview ? `<html><body><p>${preview}</p></body></html>` : '' },
      start: { dateTime: graphDateTime(d.startMin * MINUTE), timeZone: 'UTC' },
      end: { dateTime: graphDateTime(d.endMin * MINUTE), timeZone: 'UTC' },
      location: {
        displayName: d.platform ? 'Career Center' : '',
        locationType: 'default',
        uniqueIdType: 'unknown',
      },
      locations: [],
      attendees: [],
      organizer: { emailAddress: { name: owner.displayName, address: owner.upn } },
    },
  };
}

/** Every event in the mailbox calendar, sorted by start then id (a stable paging order). */
export function mailboxEventsOf(cal: ModelCalendar, plan: UserPlan, owner: MailboxOwner): MailboxEvent[] {
  const seed = cal.seed;
  const drafts: EventDraft[] = [];
  for (const item of syncedItemsOf(cal, plan)) {
    if (item.anomaly === 'missing') continue;
    const generation = item.anomaly === 'id_changed' ? 1 : 0;
    // Someone moved or renamed the event in Outlook after the platform synced it.
    const changed = item.anomaly === 'mismatch' ? plantedMismatch(seed, plan.index, item) : null;
    const base = {
      subject: changed?.title ?? item.title,
      startMin: item.startMin + (changed?.shiftMin ?? 0),
      endMin: item.endMin + (changed?.shiftMin ?? 0),
      iCalUId: item.iCalUId,
      createdMin: item.syncedAtMin,
      platform: true,
    };
    drafts.push({ ...base, key: { mailbox: plan.index, serial: item.serial, generation } });
    if (item.anomaly === 'duplicate') {
      // The platform created the event twice (e.g. after a lost id during re-authorization).
      drafts.push({
        ...base,
        key: { mailbox: plan.index, serial: DUPLICATE_SERIAL_BASE + item.serial, generation: 0 },
        createdMin: item.syncedAtMin + 7,
      });
    }
  }
  const personal = intIn(seed, plan.index, Salt.personal, 0, 25);
  const r = stream(hash3(seed, plan.index, Salt.personal + 1));
  for (let k = 0; k < personal; k++) {
    const serial = PERSONAL_SERIAL_BASE + k;
    const startMin = cal.startMin - 60 * DAY_MIN + Math.floor(r() * 120 * 96) * 15;
    drafts.push({
      key: { mailbox: plan.index, serial, generation: 0 },
      subject: pick(PERSONAL, r()),
      startMin,
      endMin: startMin + 30 + Math.floor(r() * 4) * 30,
      iCalUId: iCalUIdOf(seed, plan.index, serial),
      createdMin: startMin - DAY_MIN * (1 + Math.floor(r() * 30)),
      platform: false,
    });
  }
  const events = drafts.map((d) => toEvent(seed, owner, d));
  events.sort((a, b) => a.startMs - b.startMs || (a.restId < b.restId ? -1 : a.restId > b.restId ? 1 : 0));
  return events;
}

/** Events overlapping [startMs, endMs), in the stable order. */
export function eventsInWindow(
  events: readonly MailboxEvent[],
  startMs: number,
  endMs: number,
): MailboxEvent[] {
  return events.filter((e) => e.startMs < endMs && e.endMs > startMs);
}

/**
 * Finds an event by restId or restImmutableEntryId (what Graph accepts in a URL). A location-bound
 * id of a moved event no longer matches (404 in Graph); its immutable id still does.
 */
export function findEvent(
  seed: number,
  mailbox: number,
  events: readonly MailboxEvent[],
  id: string,
): MailboxEvent | null {
  const decoded = decodeEventId(seed, id);
  if (!decoded || decoded.mailbox !== mailbox) return null;
  if (decoded.form !== 'restId' && decoded.form !== 'restImmutableEntryId') return null;
  for (const e of events) {
    if (e.key.serial !== decoded.serial) continue;
    if (decoded.form === 'restId' && e.key.generation !== decoded.generation) return null;
    return e;
  }
  return null;
}

/**
 * translateExchangeIds: pure format conversion (as Exchange does), except that converting an
 * immutable form into a location-bound one uses the event's current location. Legacy Outlook
 * REST v2.0 ids are accepted as `restId` sources. Returns null per id that is not a valid id of
 * `sourceType` for this mailbox.
 */
export function translateId(
  seed: number,
  mailbox: number,
  events: readonly MailboxEvent[],
  id: string,
  sourceType: ExchangeIdType,
  targetType: ExchangeIdType,
): string | null {
  const decoded = decodeEventId(seed, id);
  if (!decoded || decoded.mailbox !== mailbox) return null;
  const sourceOk =
    decoded.form === sourceType || (sourceType === 'restId' && decoded.form === 'legacyRestV2');
  if (!sourceOk) return null;
  let generation = decoded.generation;
  if (!isLocationBound(decoded.form) && isLocationBound(targetType)) {
    const current = events.find((e) => e.key.serial === decoded.serial);
    if (!current) return null;
    generation = current.key.generation;
  }
  return encodeEventId(seed, targetType, { mailbox, serial: decoded.serial, generation });
}
