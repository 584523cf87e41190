import type { UserVerification, Verdict } from '../../../shared/contract/verify.ts';
import type { ExchangeIdType, GraphEvent } from '../../../shared/domain/graph.ts';
import type { Connection, SyncedItem, SyncLogEntry } from '../../../shared/domain/platform.ts';
import { GRAPH_BATCH_MAX, type GraphClient } from '../graph/client.ts';
import { GraphError } from '../graph/errors.ts';
import type { PlatformClient } from '../platform/client.ts';
import { PlatformError } from '../platform/errors.ts';
import {
  classifyItems,
  countClasses,
  emptyCounts,
  isEvent,
  isNotFound,
  type Lookup,
  type Translation,
} from './classify.ts';
import type { VerifyPacer } from './pacer.ts';

export interface VerifyDeps {
  platform: PlatformClient;
  /** Null: no Graph access, so the check is platform-only and says what it could not check. */
  graph: GraphClient | null;
  pacer: VerifyPacer;
  /** Why there is no Graph access (shown in notChecked). */
  noGraphReason?: string;
  now?: () => Date;
  /** calendarView page size (Prefer: odata.maxpagesize). */
  pageSize?: number;
}

/** A user's items are read at most this many (the platform pages them); more is reported, not read. */
export const MAX_ITEMS_PER_USER = 50_000;
const SYNC_LOG_LIMIT = 20;
/**
 * One user's Graph requests go one at a time: a $batch already runs 4 of its inner requests at once
 * against the mailbox (Outlook's limit), so a second request alongside it would only earn inner
 * 429s ("MailboxConcurrency"). Parallelism comes from verifying many users (mailboxes) at once.
 */
const PER_USER_PARALLEL = 1;
const DAY_MS = 86_400_000;

/** Graph codes that mean the user has no mailbox Graph can read. */
const NO_MAILBOX =
  /^(ErrorInvalidUser|MailboxNotEnabledForRESTAPI|ErrorMailboxNotFound|ResourceNotFound|Request_ResourceNotFound|ErrorNonExistentMailbox|MailboxNotFound)$/i;

function message(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Runs tasks with at most `limit` at once; resolves when all are done (first failure rethrown). */
async function inParallel(tasks: Array<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const task = tasks[next++] as () => Promise<void>;
      await task();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

/** The id format a stored id that Graph did not accept may be in, for translateExchangeIds. */
export function legacySourceType(id: string): ExchangeIdType | null {
  if (/^[A-Za-z0-9_-]+$/.test(id)) return 'restId';
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(id)) return 'ewsId';
  return null;
}

function failedRuns(log: readonly SyncLogEntry[]): { toCalendar: number; fromCalendar: number } {
  let toCalendar = 0;
  let fromCalendar = 0;
  for (const entry of log) {
    if (entry.outcome !== 'failed') continue;
    if (entry.direction === 'to_calendar') toCalendar += 1;
    else fromCalendar += 1;
  }
  return { toCalendar, fromCalendar };
}

interface PlatformFacts {
  connection: Connection;
  items: SyncedItem[];
  truncated: boolean;
  syncLog: SyncLogEntry[] | null;
}

async function readPlatform(deps: VerifyDeps, userId: string, signal?: AbortSignal): Promise<PlatformFacts> {
  const { platform, pacer } = deps;
  const connection = await pacer.platform(() => platform.getConnection(userId, { signal }), signal);
  const itemsTask = (async () => {
    const items: SyncedItem[] = [];
    let truncated = false;
    let cursor: string | null = null;
    for (;;) {
      const page = await pacer.platform(
        () => platform.listSyncedItemsPage(userId, { limit: 1000, cursor }, { signal }),
        signal,
      );
      items.push(...page.items);
      if (page.nextCursor === null) break;
      if (items.length >= MAX_ITEMS_PER_USER) {
        truncated = true;
        break;
      }
      cursor = page.nextCursor;
    }
    return { items, truncated };
  })();
  const logTask = pacer
    .platform(() => platform.getSyncLog(userId, { limit: SYNC_LOG_LIMIT }, { signal }), signal)
    .then((log) => log.items)
    .catch(() => null);
  const [{ items, truncated }, syncLog] = await Promise.all([itemsTask, logTask]);
  return { connection, items, truncated, syncLog };
}

function windowOf(items: readonly SyncedItem[]): { start: string; end: string } {
  let min = Infinity;
  let max = -Infinity;
  for (const item of items) {
    min = Math.min(min, Date.parse(item.start));
    max = Math.max(max, Date.parse(item.end));
  }
  // A day either side: an event moved by up to a day is still in view (and so seen as a duplicate).
  return { start: new Date(min - DAY_MS).toISOString(), end: new Date(max + DAY_MS).toISOString() };
}

interface GraphFacts {
  byId: Map<string, Lookup>;
  view: GraphEvent[] | null;
  viewError: string | null;
  noMailbox: string | null;
  translations: Map<string, Translation>;
}

async function batchLookups(
  deps: VerifyDeps,
  graph: GraphClient,
  mailbox: string,
  ids: readonly string[],
  into: Map<string, Lookup>,
  signal?: AbortSignal,
): Promise<void> {
  const unique = [...new Set(ids)];
  const tasks: Array<() => Promise<void>> = [];
  for (let i = 0; i < unique.length; i += GRAPH_BATCH_MAX) {
    const chunk = unique.slice(i, i + GRAPH_BATCH_MAX);
    tasks.push(async () => {
      try {
        const replies = await deps.pacer.graph(
          mailbox,
          chunk.length,
          () => graph.batchGetEvents(mailbox, chunk, { signal }),
          signal,
        );
        for (const [id, lookup] of replies) into.set(id, lookup);
      } catch (error) {
        if (signal?.aborted) throw error;
        // The whole $batch failed (HTML, cut-off JSON, 401…): every id in it is unanswered.
        const failure =
          error instanceof GraphError
            ? error
            : new GraphError(message(error), { code: 'unknown', status: null, retryable: false, mailbox });
        for (const id of chunk) into.set(id, failure);
      }
    });
  }
  await inParallel(tasks, PER_USER_PARALLEL);
}

async function readCalendarView(
  deps: VerifyDeps,
  graph: GraphClient,
  mailbox: string,
  items: readonly SyncedItem[],
  signal?: AbortSignal,
): Promise<{ view: GraphEvent[] | null; error: GraphError | Error | null }> {
  const { start, end } = windowOf(items);
  const view: GraphEvent[] = [];
  try {
    const pages = graph.listCalendarView(mailbox, start, end, { pageSize: deps.pageSize ?? 500, signal });
    // Each page is one request against the mailbox: pace it like one.
    const iterator = pages[Symbol.asyncIterator]();
    let pageLeft = 0;
    for (;;) {
      const next =
        pageLeft > 0
          ? await iterator.next()
          : await deps.pacer.graph(mailbox, 1, () => iterator.next(), signal);
      if (next.done) break;
      view.push(next.value);
      pageLeft = pageLeftAfter(view.length, deps.pageSize ?? 500);
    }
    return { view, error: null };
  } catch (error) {
    if (signal?.aborted) throw error;
    return { view: null, error: error instanceof Error ? error : new Error(message(error)) };
  }
}

/** Events left in the current page after `seen` events (a new page is a new paced request). */
function pageLeftAfter(seen: number, pageSize: number): number {
  return seen % pageSize === 0 ? 0 : pageSize - (seen % pageSize);
}

async function readGraph(
  deps: VerifyDeps,
  graph: GraphClient,
  mailbox: string,
  items: readonly SyncedItem[],
  signal?: AbortSignal,
): Promise<GraphFacts> {
  const byId = new Map<string, Lookup>();
  await batchLookups(
    deps,
    graph,
    mailbox,
    items.map((i) => i.externalEventId),
    byId,
    signal,
  );
  const viewResult = await readCalendarView(deps, graph, mailbox, items, signal);
  const viewError = viewResult.error;
  if (viewError instanceof GraphError && viewError.status === 404 && NO_MAILBOX.test(viewError.code)) {
    return {
      byId,
      view: null,
      viewError: viewError.message,
      noMailbox: viewError.message,
      translations: new Map(),
    };
  }
  // Stored ids Graph did not find: maybe an older id format that translateExchangeIds resolves.
  const translations = new Map<string, Translation>();
  const bySource = new Map<ExchangeIdType, string[]>();
  for (const [id, lookup] of byId) {
    if (!isNotFound(lookup)) continue;
    const source = legacySourceType(id);
    if (source === null) {
      translations.set(id, { kind: 'unresolved', reason: 'not an Exchange id format' });
      continue;
    }
    bySource.set(source, [...(bySource.get(source) ?? []), id]);
  }
  const resolved = new Map<string, string>();
  for (const [source, ids] of bySource) {
    try {
      const converted = await deps.pacer.graph(
        mailbox,
        Math.ceil(ids.length / 1000),
        () => graph.translateExchangeIds(mailbox, ids, source, 'restId', { signal }),
        signal,
      );
      const bySourceId = new Map(converted.map((c) => [c.sourceId, c]));
      for (const id of ids) {
        const c = bySourceId.get(id);
        if (c?.targetId && c.targetId !== id) resolved.set(id, c.targetId);
        else
          translations.set(id, {
            kind: 'unresolved',
            reason: c?.errorDetails?.code ?? (c?.targetId === id ? 'same id' : 'no answer for this id'),
          });
      }
    } catch (error) {
      if (signal?.aborted) throw error;
      for (const id of ids) translations.set(id, { kind: 'failed', reason: message(error).slice(0, 300) });
    }
  }
  if (resolved.size > 0) {
    const lookups = new Map<string, Lookup>();
    await batchLookups(deps, graph, mailbox, [...resolved.values()], lookups, signal);
    for (const [id, targetId] of resolved) {
      const lookup = lookups.get(targetId);
      translations.set(id, { kind: 'resolved', targetId, lookup });
    }
  }
  return {
    byId,
    view: viewResult.view,
    viewError: viewError === null ? null : viewError.message.slice(0, 400),
    noMailbox: null,
    translations,
  };
}

function verdictOf(counts: Record<string, number>): Verdict {
  const anomalies =
    (counts['missing'] ?? 0) +
    (counts['id_changed'] ?? 0) +
    (counts['mismatch'] ?? 0) +
    (counts['duplicate'] ?? 0) +
    (counts['legacy_id'] ?? 0);
  if (anomalies > 0) return 'anomalies';
  if ((counts['unverified'] ?? 0) > 0) return 'incomplete';
  return 'ok';
}

/**
 * Verifies one user: the platform's synced items against the user's calendar through Graph.
 * Never throws for what the remote systems answer (a failure is the `failed` verdict with the
 * reason); throws only when cancelled.
 */
export async function verifyUser(
  deps: VerifyDeps,
  userId: string,
  signal?: AbortSignal,
): Promise<UserVerification> {
  const now = deps.now ?? (() => new Date());
  const started = Date.now();
  const base = (
    verdict: Verdict,
    facts: PlatformFacts | null,
    extra: Partial<UserVerification> = {},
  ): UserVerification => ({
    userId,
    verdict,
    counts: emptyCounts(),
    checkedAt: now().toISOString(),
    graphChecked: false,
    notChecked: [],
    platform: {
      status: facts?.connection.status ?? 'unknown',
      syncedItemCount: facts?.connection.syncedItemCount ?? 0,
      itemsRead: facts?.items.length ?? 0,
      lastSyncAt: facts?.connection.lastSyncAt ?? null,
      lastSyncOutcome: facts?.connection.lastSyncOutcome ?? null,
      lastErrorCode: facts?.connection.lastError?.code ?? null,
      failedRuns: failedRuns(facts?.syncLog ?? []),
    },
    items: [],
    error: null,
    durationMs: Date.now() - started,
    ...extra,
  });
  let facts: PlatformFacts;
  try {
    facts = await readPlatform(deps, userId, signal);
  } catch (error) {
    if (signal?.aborted) throw error;
    const reason =
      error instanceof PlatformError ? error.message : `The platform could not be read: ${message(error)}`;
    return base('failed', null, { error: reason.slice(0, 2000), notChecked: ['Nothing could be checked.'] });
  }
  const notChecked: string[] = [];
  if (facts.syncLog === null) notChecked.push('The sync log could not be read.');
  if (facts.truncated)
    notChecked.push(`Only the first ${facts.items.length.toLocaleString('en-US')} synced items were read.`);
  if (facts.items.length === 0) return base('no_items', facts, { notChecked });
  const { graph } = deps;
  if (graph === null) {
    notChecked.push(
      `The user's calendar was not read: ${deps.noGraphReason ?? 'no Microsoft Graph access is set up (Settings → Verification)'}. Whether the ${facts.items.length.toLocaleString('en-US')} synced items are still on the calendar, unchanged and under their stored ids was not checked.`,
    );
    return base('platform_only', facts, { notChecked });
  }
  const mailbox = facts.connection.calendarMailbox;
  if (mailbox === null || mailbox.trim() === '') {
    notChecked.push(
      'The platform names no calendar mailbox for this user, so the calendar could not be read.',
    );
    return base('no_mailbox', facts, { notChecked });
  }
  let graphFacts: GraphFacts;
  try {
    graphFacts = await readGraph(deps, graph, mailbox, facts.items, signal);
  } catch (error) {
    if (signal?.aborted) throw error;
    return base('failed', facts, {
      error: `Microsoft Graph could not be read: ${message(error)}`.slice(0, 2000),
      notChecked,
    });
  }
  if (graphFacts.noMailbox !== null) {
    notChecked.push(`Graph has no mailbox it can read for ${mailbox}: ${graphFacts.noMailbox.slice(0, 300)}`);
    return base('no_mailbox', facts, { notChecked });
  }
  const items = classifyItems({
    userId,
    items: facts.items,
    byId: graphFacts.byId,
    view: graphFacts.view,
    viewError: graphFacts.viewError,
    translations: graphFacts.translations,
  });
  const counts = countClasses(items);
  if (graphFacts.view === null)
    notChecked.push(
      `Duplicates and moved events could not be looked for: ${graphFacts.viewError ?? 'calendarView failed'}.`,
    );
  if (counts.unverified > 0)
    notChecked.push(`${counts.unverified} item(s) could not be checked (see each item's detail).`);
  return base(verdictOf(counts), facts, {
    counts,
    items,
    graphChecked: true,
    notChecked: notChecked.slice(0, 20),
  });
}

export { isEvent };
