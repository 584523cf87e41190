import { invalidParameter, problem } from '../http/problem.ts';
import type { Route } from '../http/router.ts';
import { header, json, type SandboxRequest } from '../http/types.ts';
import { DATE_PATTERN } from '../university/time-zone.ts';
import { ROLES, STATUSES, type ConnectionFilter, type University } from '../university/index.ts';
import type { CursorCodec } from './cursor.ts';
import { parseLimit, parseList, parseTimestamp } from './params.ts';
import { syncedItemJson } from './serializers.ts';

export interface PlatformDeps {
  university: University;
  cursors: CursorCodec;
  /** The sandbox's own origin (links it hands out point back at it). */
  origin(): string;
}

/** How many users one list request examines at most; a filtered page can come back short (follow nextCursor). */
export const SCAN_BUDGET = 100_000;
const MAX_HISTORY_DAYS = 400;

export const PLATFORM_NAME = 'Demo University Career Platform';

export function migrationJson(deps: PlatformDeps) {
  const u = deps.university;
  return {
    platformName: PLATFORM_NAME,
    legacyApi: 'outlook_rest_v2',
    targetApi: 'graph',
    cutoffAt: u.zone.format(u.cutoffMs),
    timezone: u.timezone,
    reauthorizeUrl: `${deps.origin()}/account-settings/calendar-sync`,
    helpArticleUrl: `${deps.origin()}/help/reauthorizing-calendar-sync`,
    counts: u.countsAt(),
    asOf: u.zone.format(u.clock.nowMs()),
  };
}

/** Users examined per event-loop turn while reading ahead, so a reply waiting on its latency is never held up for long. */
const READ_AHEAD_SLICE = 100;

/**
 * After a list page, the next page of the same listing is likely to be asked for next (a client
 * walking the cursor): generate it in the background, in small slices, into the university's
 * per-user JSON cache. It changes no reply (entries are only used while still exact), no
 * statistics, and no fault or rate-limit sequence; one read-ahead runs at a time.
 */
function createReadAhead(u: University) {
  let current = 0;
  /** The last read-ahead that ran to its end: its items and their JSON bytes, ready to send. */
  let ready: { digest: string; after: number; limit: number; items: string[]; head: Buffer } | null = null;
  return {
    schedule(filter: ConnectionFilter, digest: string, after: number, limit: number) {
      const token = ++current;
      ready = null;
      let position = after;
      let scanned = 0;
      const items: string[] = [];
      const step = () => {
        if (token !== current) return;
        const page = u.pageJson(
          filter,
          position,
          Math.min(READ_AHEAD_SLICE, limit - items.length),
          Math.min(READ_AHEAD_SLICE, SCAN_BUDGET - scanned),
        );
        items.push(...page.items);
        scanned += page.lastScanned - position;
        position = page.lastScanned;
        if (!page.exhausted && items.length < limit && scanned < SCAN_BUDGET) setImmediate(step);
        else
          setImmediate(() => {
            if (token !== current) return;
            ready = {
              digest,
              after,
              limit,
              items,
              head: Buffer.from(`{"items":[${items.join(',')}]`, 'utf8'),
            };
          });
      };
      setImmediate(step);
    },
    /**
     * The page's `{"items":[…]` bytes when the read-ahead built exactly this page: same listing and
     * position, and the very same per-user texts (the cache hands out one string per user for as
     * long as it is exact, so identity means byte-identical). Null otherwise.
     */
    bytesFor(digest: string, after: number, limit: number, items: readonly string[]): Buffer | null {
      const r = ready;
      if (r === null || r.digest !== digest || r.after !== after || r.limit !== limit) return null;
      if (r.items.length !== items.length) return null;
      for (let k = 0; k < items.length; k += 1) if (r.items[k] !== items[k]) return null;
      return r.head;
    },
  };
}

function invalidCursor(reason: string) {
  return problem(400, 'invalid_cursor', reason);
}

function notFound(userId: string) {
  return problem(404, 'not_found', `No connection for user ${userId.slice(0, 80)}.`);
}

export function readRoutes(deps: PlatformDeps): Route[] {
  const u = deps.university;

  const history = (req: SandboxRequest) => {
    const bounds = u.historyBounds();
    const from = req.query.get('from');
    const to = req.query.get('to');
    for (const [name, v] of [
      ['from', from],
      ['to', to],
    ] as const) {
      if (v !== null && !DATE_PATTERN.test(v)) return invalidParameter(name, 'must be a date YYYY-MM-DD.');
    }
    const end = to ?? bounds.last;
    const start = from ?? u.zone.addDays(end, -44);
    if (start > end) return invalidParameter('from', 'must not be after to.');
    if (u.zone.addDays(start, MAX_HISTORY_DAYS) < end)
      return invalidParameter('from', `the range may span at most ${MAX_HISTORY_DAYS} days.`);
    return json(200, { days: u.history(start, end) });
  };

  const listConnections = (req: SandboxRequest) => {
    const limit = parseLimit(req.query, 200);
    if (!limit.ok) return limit.response;
    const statuses = parseList(req.query, 'status', STATUSES);
    if (!statuses.ok) return statuses.response;
    const roles = parseList(req.query, 'role', ROLES);
    if (!roles.ok) return roles.response;
    const providers = parseList(req.query, 'provider', ['office365', 'google'] as const);
    if (!providers.ok) return providers.response;
    const since = parseTimestamp(req.query, 'updatedSince');
    if (!since.ok) return since.response;
    const q = (req.query.get('q') ?? '').trim().toLowerCase();
    if (q.length > 200) return invalidParameter('q', 'must be at most 200 characters.');
    const providerSet = providers.value;
    const filter: ConnectionFilter = {
      statuses: statuses.value,
      roles: roles.value,
      // provider=office365,google is no filter at all.
      provider: providerSet && providerSet.size === 1 ? ([...providerSet][0] ?? null) : null,
      q: q === '' ? null : q,
      updatedSinceMs: since.value,
    };
    const digest = JSON.stringify([
      filter.statuses ? [...filter.statuses].sort() : null,
      filter.roles ? [...filter.roles].sort() : null,
      filter.provider,
      filter.q,
      filter.updatedSinceMs,
    ]);
    let after = -1;
    const cursor = req.query.get('cursor');
    if (cursor !== null) {
      const c = deps.cursors.decode(cursor, { scope: 'connections', filter: digest }, u.clock.nowMs());
      if (!c.ok) return invalidCursor(c.reason);
      after = c.after;
    }
    const page = u.pageJson(filter, after, limit.value, SCAN_BUDGET);
    const nextCursor = page.exhausted
      ? null
      : deps.cursors.encode(
          { scope: 'connections', filter: digest, after: page.lastScanned },
          u.clock.nowMs(),
        );
    const head = readAhead.bytesFor(digest, after, limit.value, page.items);
    if (!page.exhausted) readAhead.schedule(filter, digest, page.lastScanned, limit.value);
    // Byte for byte JSON.stringify({ items, nextCursor }), from the per-user texts.
    const tail = `,"nextCursor":${JSON.stringify(nextCursor)}}`;
    return json(
      200,
      head === null
        ? Buffer.from(`{"items":[${page.items.join(',')}]${tail}`, 'utf8')
        : Buffer.concat([head, Buffer.from(tail, 'utf8')]),
    );
  };

  const readAhead = createReadAhead(u);

  const userIndex = (req: SandboxRequest) => u.indexOf(req.params.userId ?? '');

  return [
    { method: 'GET', pattern: '/migration', handler: () => json(200, migrationJson(deps)) },
    { method: 'GET', pattern: '/migration/history', handler: history },
    { method: 'GET', pattern: '/connections', handler: listConnections },
    {
      method: 'GET',
      pattern: '/connections/:userId',
      handler: (req) => {
        const index = userIndex(req);
        if (index < 0) return notFound(req.params.userId ?? '');
        const c = u.connection(index);
        if (header(req, 'if-none-match') === c.etag) return { status: 304, headers: { etag: c.etag } };
        return json(200, c, { etag: c.etag });
      },
    },
    {
      method: 'GET',
      pattern: '/connections/:userId/sync-log',
      handler: (req) => {
        const index = userIndex(req);
        if (index < 0) return notFound(req.params.userId ?? '');
        const limit = parseLimit(req.query, 50);
        if (!limit.ok) return limit.response;
        return json(200, { items: u.syncLog(index, limit.value) });
      },
    },
    {
      method: 'GET',
      pattern: '/connections/:userId/synced-items',
      handler: (req) => {
        const userId = req.params.userId ?? '';
        const index = userIndex(req);
        if (index < 0) return notFound(userId);
        const limit = parseLimit(req.query, 200);
        if (!limit.ok) return limit.response;
        const scope = `synced-items:${userId}`;
        let after = -1;
        const cursor = req.query.get('cursor');
        if (cursor !== null) {
          const c = deps.cursors.decode(cursor, { scope, filter: '' }, u.clock.nowMs());
          if (!c.ok) return invalidCursor(c.reason);
          after = c.after;
        }
        const all = u.syncedItems(index);
        const slice = all.filter((i) => i.serial > after).slice(0, limit.value);
        const last = slice[slice.length - 1];
        const more = last !== undefined && all.some((i) => i.serial > last.serial);
        return json(200, {
          items: slice.map((i) => syncedItemJson(u, i)),
          nextCursor:
            more && last
              ? deps.cursors.encode({ scope, filter: '', after: last.serial }, u.clock.nowMs())
              : null,
        });
      },
    },
  ];
}
