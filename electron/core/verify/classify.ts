import type { ItemClass, ItemResult } from '../../../shared/contract/verify.ts';
import type { GraphEvent } from '../../../shared/domain/graph.ts';
import type { SyncedItem } from '../../../shared/domain/platform.ts';
import type { GraphError } from '../graph/errors.ts';
import { describeShift, eventInstants } from './event-time.ts';

/** What Graph said about one stored id: the event, or why not. */
export type Lookup = GraphEvent | GraphError;

/** The translateExchangeIds outcome for a stored id that Graph did not find. */
export type Translation =
  | { kind: 'resolved'; targetId: string; lookup: Lookup | undefined }
  | { kind: 'unresolved'; reason: string }
  | { kind: 'failed'; reason: string };

export interface ClassifyInput {
  userId: string;
  items: readonly SyncedItem[];
  /** GET by stored id (through $batch), keyed by the stored id. */
  byId: ReadonlyMap<string, Lookup>;
  /** calendarView over the items' window; null when it could not be read (the reason is given). */
  view: readonly GraphEvent[] | null;
  viewError: string | null;
  /** Only for stored ids Graph did not find. */
  translations: ReadonlyMap<string, Translation>;
}

export function isEvent(lookup: Lookup | undefined): lookup is GraphEvent {
  return lookup !== undefined && !(lookup instanceof Error);
}

/** Graph's answers that mean "no such item under this id" (as opposed to "could not ask"). */
export function isNotFound(lookup: Lookup | undefined): boolean {
  if (lookup === undefined || isEvent(lookup)) return false;
  return (
    lookup.status === 404 ||
    (lookup.status === 400 && /ErrorInvalidIdMalformed|ErrorInvalidId|InvalidId/i.test(lookup.code))
  );
}

function lookupProblem(lookup: Lookup | undefined): string {
  if (lookup === undefined) return 'Graph gave no answer for this id';
  if (isEvent(lookup)) return '';
  return lookup.message.slice(0, 400);
}

/**
 * Events in the view that are the item's event: same iCalUId and, for occurrences of a series
 * (whose iCalUId Graph gives per occurrence, but which an exception may share), the same
 * original start.
 */
function sameEvent(item: SyncedItem, index: Map<string, GraphEvent[]>): GraphEvent[] {
  const candidates = index.get(item.iCalUId) ?? [];
  if (candidates.length <= 1) return candidates;
  const itemStart = Date.parse(item.start);
  const recurring = candidates.filter((e) => e.type === 'occurrence' || e.type === 'exception');
  if (recurring.length === 0) return candidates;
  return candidates.filter((e) => {
    if (e.type !== 'occurrence' && e.type !== 'exception') return true;
    const original = (e as { originalStart?: unknown }).originalStart;
    const at = typeof original === 'string' ? Date.parse(original) : eventInstants(e).start;
    return at === itemStart;
  });
}

/** Title, start and end of the item against the event; empty when they agree. */
export function differences(
  item: SyncedItem,
  event: GraphEvent,
): { diffs: string[]; unknown: string | null } {
  const diffs: string[] = [];
  const { start, end } = eventInstants(event);
  if (start === null || end === null)
    return { diffs, unknown: 'the event’s start or end is in a time zone the console cannot convert' };
  const itemStart = Date.parse(item.start);
  const itemEnd = Date.parse(item.end);
  if (start !== itemStart)
    diffs.push(
      `start ${describeShift(start - itemStart)} (platform ${iso(itemStart)}, calendar ${iso(start)})`,
    );
  if (end !== itemEnd)
    diffs.push(`end ${describeShift(end - itemEnd)} (platform ${iso(itemEnd)}, calendar ${iso(end)})`);
  const subject = event.subject ?? '';
  if (subject !== item.title)
    diffs.push(`title differs (platform “${clip(item.title)}”, calendar “${clip(subject)}”)`);
  return { diffs, unknown: null };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(':00.000Z', 'Z');
}

function clip(text: string): string {
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

function result(
  item: SyncedItem,
  userId: string,
  cls: ItemClass,
  detail: string,
  newId?: string,
): ItemResult {
  return {
    userId,
    itemId: item.itemId,
    externalEventId: item.externalEventId,
    class: cls,
    detail: detail.slice(0, 1000),
    ...(newId === undefined ? {} : { newId }),
  };
}

/**
 * Classifies every synced item as exactly one class. Order of the rules (docs/verification.md):
 * found under the stored id → duplicate if another event shares its iCalUId, else mismatch or ok;
 * not found → legacy_id if translateExchangeIds resolves the stored id to an event, else by
 * iCalUId in the calendar view: none → missing, one → id_changed, several → duplicate. Whenever a
 * rule needs an answer Graph did not give, the item is `unverified` with the reason, never a guess.
 */
export function classifyItems(input: ClassifyInput): ItemResult[] {
  const { userId, view } = input;
  const index = new Map<string, GraphEvent[]>();
  for (const event of view ?? []) {
    const uid = event.iCalUId;
    if (typeof uid !== 'string' || uid.length === 0) continue;
    const list = index.get(uid);
    if (list) {
      if (!list.some((e) => e.id === event.id)) list.push(event);
    } else index.set(uid, [event]);
  }
  const viewMissing = `calendarView could not be read (${input.viewError ?? 'no reason given'})`;
  return input.items.map((item) => {
    const lookup = input.byId.get(item.externalEventId);
    const matches = view === null ? null : sameEvent(item, index);
    if (isEvent(lookup)) {
      const others = matches === null ? null : matches.filter((e) => e.id !== lookup.id);
      if (others !== null && others.length > 0)
        return result(
          item,
          userId,
          'duplicate',
          `${others.length + 1} events share this iCalUId: the stored one and ${others
            .slice(0, 3)
            .map((e) => e.id)
            .join(', ')}`,
        );
      const { diffs, unknown } = differences(item, lookup);
      if (unknown !== null)
        return result(item, userId, 'unverified', `Found under the stored id, but ${unknown}.`);
      if (diffs.length > 0) return result(item, userId, 'mismatch', `Found, but ${diffs.join('; ')}.`);
      if (others === null)
        return result(
          item,
          userId,
          'unverified',
          `Found and matching, but duplicates could not be checked: ${viewMissing}.`,
        );
      return result(item, userId, 'ok', 'Found under the stored id with the same title, start and end.');
    }
    if (!isNotFound(lookup))
      return result(
        item,
        userId,
        'unverified',
        `Graph could not be asked about the stored id: ${lookupProblem(lookup)}.`,
      );
    const translation = input.translations.get(item.externalEventId);
    if (translation?.kind === 'resolved' && isEvent(translation.lookup))
      return result(
        item,
        userId,
        'legacy_id',
        `The stored id is in an older Exchange format; translateExchangeIds gives ${translation.targetId}, which Graph finds.`,
        translation.targetId,
      );
    if (matches === null)
      return result(item, userId, 'unverified', `Not found under the stored id, and ${viewMissing}.`);
    if (matches.length === 0) {
      if (translation?.kind === 'failed')
        return result(
          item,
          userId,
          'missing',
          `Not under the stored id and no event with its iCalUId (translateExchangeIds failed: ${translation.reason}).`,
        );
      return result(item, userId, 'missing', 'No event under the stored id and none with its iCalUId.');
    }
    if (translation?.kind === 'failed')
      return result(
        item,
        userId,
        'unverified',
        `An event with its iCalUId exists under ${matches[0]?.id}, but whether the stored id is an older-format id could not be checked: translateExchangeIds failed (${translation.reason}).`,
      );
    if (
      translation?.kind === 'resolved' &&
      translation.lookup !== undefined &&
      !isEvent(translation.lookup) &&
      !isNotFound(translation.lookup)
    )
      return result(
        item,
        userId,
        'unverified',
        `translateExchangeIds gave ${translation.targetId}, but Graph could not be asked about it: ${lookupProblem(translation.lookup)}.`,
      );
    if (matches.length > 1)
      return result(
        item,
        userId,
        'duplicate',
        `Not under the stored id; ${matches.length} events share its iCalUId: ${matches
          .slice(0, 3)
          .map((e) => e.id)
          .join(', ')}.`,
      );
    const moved = matches[0] as GraphEvent;
    return result(
      item,
      userId,
      'id_changed',
      `Found by iCalUId under another id (re-created or moved).`,
      moved.id,
    );
  });
}

export function emptyCounts(): Record<ItemClass, number> {
  return { ok: 0, missing: 0, id_changed: 0, mismatch: 0, duplicate: 0, legacy_id: 0, unverified: 0 };
}

export function countClasses(items: readonly ItemResult[]): Record<ItemClass, number> {
  const counts = emptyCounts();
  for (const item of items) counts[item.class] += 1;
  return counts;
}
