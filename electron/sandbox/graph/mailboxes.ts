import { createHash } from 'node:crypto';
import {
  decodeEventId,
  type ExchangeIdType,
  type MailboxEvent,
  type MailboxRef,
  type University,
} from '../university/index.ts';

/**
 * What the Graph subset needs from the demo university, behind one narrow interface so handlers do
 * not depend on how the university is generated.
 */
export interface GraphMailboxes {
  resolve(upnOrId: string): MailboxRef | null;
  listEvents(ref: MailboxRef, startMs: number, endMs: number): MailboxEvent[];
  getEvent(ref: MailboxRef, id: string): MailboxEvent | null;
  /** False when `id` is not an Exchange id at all (Graph: 400 ErrorInvalidIdMalformed, not 404). */
  isWellFormedId(id: string): boolean;
  translateIds(
    ref: MailboxRef,
    ids: readonly string[],
    source: ExchangeIdType,
    target: ExchangeIdType,
  ): Array<{ sourceId: string; targetId: string | null }>;
  /** The default calendar's id for a mailbox: stable, rest-shaped. */
  calendarId(ref: MailboxRef): string;
}

export function mailboxesFromUniversity(university: University): GraphMailboxes {
  const { mailbox } = university;
  return {
    resolve: (upnOrId) => mailbox.resolve(upnOrId),
    listEvents: (ref, startMs, endMs) => mailbox.listEvents(ref, startMs, endMs),
    getEvent: (ref, id) => mailbox.getEvent(ref, id),
    isWellFormedId: (id) => decodeEventId(university.calendar.seed, id) !== null,
    translateIds: (ref, ids, source, target) => mailbox.translateIds(ref, ids, source, target),
    calendarId: (ref) =>
      `AAMkA${createHash('sha256').update(`calendar:${university.seed}:${ref.id}`).digest().subarray(0, 33).toString('base64url')}AAA=`,
  };
}
