import createClient from 'openapi-fetch';
import type { z } from 'zod';
import {
  Connection,
  ConnectionPage,
  ForceDisconnectResult,
  MagicLink,
  MagicLinkBatchRequest,
  MagicLinkBatchResult,
  MagicLinkRequest,
  Migration,
  MigrationHistory,
  PAGE_LIMIT,
  ResyncResult,
  SyncedItemPage,
  SyncLog,
  ForceDisconnectRequest,
  type ConnectionQuery,
  type Page,
  type SyncedItem,
} from '../../../shared/domain/platform.ts';
import { ContractViolationError, parsePlatformReply } from '../../../shared/domain/validate.ts';
import type { Logger } from '../log/logger.ts';
import { errorFromViolation, PlatformError } from './errors.ts';
import type { paths } from './openapi.d.ts';
import { peekNextCursor } from './cursor-peek.ts';
import { items, pagesAhead } from './pagination.ts';
import {
  API_KEY_CHARACTERS,
  platformUrlProblem,
  USER_ID_PATTERN,
} from '../../../shared/domain/platform-url.ts';
import { platformBudgetFor } from '../net/budget-registry.ts';
import { realRuntime, type Runtime } from '../net/clock.ts';
import type { Deadline } from '../net/deadline.ts';
import type { Budget, Priority } from '../net/request-budget.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../net/retry-policy.ts';
import {
  createPlatformFetch,
  type FetchLike,
  type PlatformFetch,
  type RequestHooks,
  type RetryEvent,
} from './transport.ts';
import type { RequestDescription } from './errors.ts';

export interface PlatformClientOptions {
  /** e.g. `https://careers.example.edu/api/calendar-sync/v1` */
  baseUrl: string;
  apiKey: string;
  /** A fetch with a custom dispatcher (a private CA, a proxy); the global fetch by default. */
  fetch?: FetchLike;
  runtime?: Runtime;
  retry?: Partial<RetryPolicy>;
  /**
   * The request budget this client draws from. By default the process-wide one for this platform
   * and key (`platformBudgetFor`), so every client of one key shares one budget.
   */
  budget?: Budget;
  /** The budget queue for calls that do not name one (default `interactive`). */
  priority?: Priority;
  /** Per attempt, headers and body included. */
  timeoutMs?: number;
  /** An overall deadline for every call (a CLI command's): no wait or attempt runs past it. */
  deadline?: Deadline;
  /** Largest reply body per request (bytes); default `defaultMaxReplyBytes`. */
  maxReplyBytes?: (request: RequestDescription) => number;
  logger?: Logger;
  onRetry?: (event: RetryEvent) => void;
  /** Source of Idempotency-Keys; crypto.randomUUID by default. */
  newIdempotencyKey?: () => string;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Which queue of the key's budget this call waits in (default: the client's, normally `interactive`). */
  priority?: Priority;
}

export interface ActionOptions extends CallOptions {
  /** Supply one to make a retried action (even across console restarts) a replay, not a repeat. */
  idempotencyKey?: string;
}

export interface WriteOptions extends ActionOptions {
  /** The connection's etag: the platform refuses with 412 if it changed since. */
  ifMatch?: string;
}

/** A POST's result, with what the audit log needs to know about it. */
export interface ActionResult<T> {
  value: T;
  idempotencyKey: string;
  /** True when the platform replayed an earlier response for this key (no new side effect). */
  replayed: boolean;
  status: number;
}

export type ListConnectionsQuery = ConnectionQuery;

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Typed client of the platform's Calendar Sync Administration API v1. Transport concerns
 * (rate limit, retries, timeouts, error mapping) live in transport.ts; this class builds typed
 * requests with openapi-fetch and validates every reply with the zod schemas in shared/domain,
 * so a caller gets a whole, checked value or a `PlatformError`.
 */
export class PlatformClient {
  readonly baseUrl: string;
  readonly budget: Budget;
  private readonly http: ReturnType<typeof createClient<paths>>;
  private readonly transport: PlatformFetch;
  private readonly newKey: () => string;

  constructor(options: PlatformClientOptions) {
    const urlProblem = platformUrlProblem(options.baseUrl);
    if (urlProblem !== null) throw invalidInput(urlProblem);
    // Checked here, not left to fetch: its "invalid header value" error quotes the whole header.
    if (!API_KEY_CHARACTERS.test(options.apiKey))
      throw invalidInput(
        'The platform API key contains characters no key has (spaces, line breaks, control or direction characters): copy it again.',
      );
    const url = new URL(options.baseUrl);
    this.baseUrl = url.toString().replace(/\/+$/, '');
    const runtime = options.runtime ?? realRuntime;
    this.budget = options.budget ?? platformBudgetFor(this.baseUrl, options.apiKey, { runtime });
    this.newKey = options.newIdempotencyKey ?? (() => crypto.randomUUID());
    const baseFetch: FetchLike = options.fetch ?? ((request) => fetch(request));
    const transport = (this.transport = createPlatformFetch({
      baseUrl: this.baseUrl,
      fetch: baseFetch,
      runtime,
      budget: this.budget,
      priority: options.priority ?? 'interactive',
      retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
      timeoutMs: options.timeoutMs ?? 15_000,
      deadline: options.deadline,
      maxReplyBytes: options.maxReplyBytes ?? defaultMaxReplyBytes,
      logger: options.logger,
      onRetry: options.onRetry,
    }));
    this.http = createClient<paths>({
      baseUrl: this.baseUrl,
      fetch: transport,
      headers: { Authorization: `Bearer ${options.apiKey}` },
    });
  }

  async getMigration(options: CallOptions = {}): Promise<Migration> {
    const { data } = await this.http.GET('/migration', this.call(options));
    return check(Migration, data, { resource: 'GET /migration' });
  }

  async getMigrationHistory(
    range: { from?: string; to?: string } = {},
    options: CallOptions = {},
  ): Promise<MigrationHistory> {
    const { data } = await this.http.GET('/migration/history', {
      params: { query: range },
      ...this.call(options),
    });
    return check(MigrationHistory, data, { resource: 'GET /migration/history' });
  }

  /** One page of connections; pass the previous page's `nextCursor` verbatim. */
  async listConnectionsPage(
    query: ListConnectionsQuery & { cursor?: string | null },
    options: CallOptions & {
      /** Told the page's next cursor as soon as the reply's text shows it, before parsing (see cursor-peek). */
      onNextCursor?: (cursor: string | null) => void;
    } = {},
  ): Promise<ConnectionPage> {
    const { onNextCursor } = options;
    const hooks: RequestHooks = {};
    if (options.priority !== undefined) hooks.priority = options.priority;
    if (onNextCursor !== undefined)
      hooks.onJsonText = (text) => {
        const peeked = peekNextCursor(text);
        if (peeked !== undefined) onNextCursor(peeked);
      };
    const { data } = await this.http.GET('/connections', {
      params: { query: connectionQuery(query) },
      signal: options.signal,
      fetch: (request: Request) => this.transport(request, hooks),
    });
    return check(ConnectionPage, data, { resource: 'GET /connections' });
  }

  /** Every matching connection, page after page, fetched as the caller iterates. */
  listConnections(
    query: ListConnectionsQuery = {},
    options: CallOptions = {},
  ): AsyncGenerator<Connection, void, undefined> {
    return items(
      (cursor, signal) => this.listConnectionsPage({ ...query, cursor }, withPriority({ signal }, options)),
      options.signal,
      'connections',
    );
  }

  /**
   * The pages themselves (for progress reporting and bulk loads), with the next page already
   * requested while the caller works on this one; see `pagesAhead`.
   */
  connectionPages(
    query: ListConnectionsQuery = {},
    options: CallOptions = {},
  ): AsyncGenerator<Page<Connection>, void, undefined> {
    return pagesAhead(
      (cursor, signal, onNextCursor) =>
        this.listConnectionsPage({ ...query, cursor }, withPriority({ signal, onNextCursor }, options)),
      options.signal,
      'connections',
    );
  }

  async getConnection(userId: string, options: CallOptions = {}): Promise<Connection> {
    const { data } = await this.http.GET('/connections/{userId}', {
      params: { path: { userId: userIdSegment(userId) } },
      ...this.call(options),
    });
    return check(Connection, data, { resource: 'GET /connections/{userId}', userId });
  }

  async getSyncLog(
    userId: string,
    query: { limit?: number } = {},
    options: CallOptions = {},
  ): Promise<SyncLog> {
    const { data } = await this.http.GET('/connections/{userId}/sync-log', {
      params: { path: { userId: userIdSegment(userId) }, query: limitQuery(query.limit) },
      ...this.call(options),
    });
    return check(SyncLog, data, { resource: 'GET /connections/{userId}/sync-log', userId });
  }

  async listSyncedItemsPage(
    userId: string,
    query: { limit?: number; cursor?: string | null } = {},
    options: CallOptions = {},
  ): Promise<SyncedItemPage> {
    const { data } = await this.http.GET('/connections/{userId}/synced-items', {
      params: {
        path: { userId: userIdSegment(userId) },
        query: { ...limitQuery(query.limit), ...(query.cursor ? { cursor: query.cursor } : {}) },
      },
      ...this.call(options),
    });
    return check(SyncedItemPage, data, { resource: 'GET /connections/{userId}/synced-items', userId });
  }

  listSyncedItems(
    userId: string,
    query: { limit?: number } = {},
    options: CallOptions = {},
  ): AsyncGenerator<SyncedItem, void, undefined> {
    return items(
      (cursor, signal) =>
        this.listSyncedItemsPage(userId, { ...query, cursor }, withPriority({ signal }, options)),
      options.signal,
      'synced items',
    );
  }

  async forceDisconnect(
    userId: string,
    body: ForceDisconnectRequest,
    options: WriteOptions = {},
  ): Promise<ActionResult<ForceDisconnectResult>> {
    const checked = checkInput(ForceDisconnectRequest, body, 'force-disconnect request');
    const key = this.idempotencyKey(options);
    const { data, response } = await this.http.POST('/connections/{userId}/force-disconnect', {
      params: { path: { userId: userIdSegment(userId) }, header: writeHeaders(key, options.ifMatch) },
      body: checked,
      ...this.call(options),
    });
    return action(ForceDisconnectResult, data, response, key, {
      resource: 'POST /connections/{userId}/force-disconnect',
      userId,
    });
  }

  async resync(userId: string, options: WriteOptions = {}): Promise<ActionResult<ResyncResult>> {
    const key = this.idempotencyKey(options);
    const { data, response } = await this.http.POST('/connections/{userId}/resync', {
      params: { path: { userId: userIdSegment(userId) }, header: writeHeaders(key, options.ifMatch) },
      body: {},
      ...this.call(options),
    });
    return action(ResyncResult, data, response, key, {
      resource: 'POST /connections/{userId}/resync',
      userId,
    });
  }

  async createMagicLink(
    request: MagicLinkRequest,
    options: ActionOptions = {},
  ): Promise<ActionResult<MagicLink>> {
    const body = checkInput(MagicLinkRequest, request, 'magic link request');
    const key = this.idempotencyKey(options);
    try {
      const { data, response } = await this.http.POST('/magic-links', {
        params: { header: { 'Idempotency-Key': key } },
        body,
        ...this.call(options),
      });
      return action(MagicLink, data, response, key, { resource: 'POST /magic-links', userId: body.userId });
    } catch (error) {
      throw error instanceof PlatformError ? withUser(error, body.userId) : error;
    }
  }

  /** Links for up to 500 users; per-user failures come back as items with their own problem. */
  async createMagicLinkBatch(
    request: MagicLinkBatchRequest,
    options: ActionOptions = {},
  ): Promise<ActionResult<MagicLinkBatchResult>> {
    const body = checkInput(MagicLinkBatchRequest, request, 'magic link batch');
    const key = this.idempotencyKey(options);
    const { data, response } = await this.http.POST('/magic-links/batch', {
      params: { header: { 'Idempotency-Key': key } },
      body,
      ...this.call(options),
    });
    return action(MagicLinkBatchResult, data, response, key, { resource: 'POST /magic-links/batch' });
  }

  /** The signal, and the transport at the call's priority when it names one. */
  private call(options: CallOptions): {
    signal?: AbortSignal;
    fetch?: (request: Request) => Promise<Response>;
  } {
    const { priority } = options;
    const out: { signal?: AbortSignal; fetch?: (request: Request) => Promise<Response> } = {};
    if (options.signal !== undefined) out.signal = options.signal;
    if (priority !== undefined) out.fetch = (request: Request) => this.transport(request, { priority });
    return out;
  }

  private idempotencyKey(options: ActionOptions): string {
    const key = options.idempotencyKey ?? this.newKey();
    if (!IDEMPOTENCY_KEY.test(key))
      throw invalidInput('An Idempotency-Key is 1-255 visible ASCII characters.');
    return key;
  }
}

function withPriority<T extends object>(call: T, options: CallOptions): T & { priority?: Priority } {
  return options.priority === undefined ? call : { ...call, priority: options.priority };
}

/**
 * Every user id that goes into a path passes here (force-disconnect and resync included): it must
 * match the contract's pattern (never `.` or `..`, which would walk up the path), and openapi-fetch
 * then percent-encodes it as one segment.
 */
export function userIdSegment(userId: string): string {
  if (typeof userId !== 'string' || !USER_ID_PATTERN.test(userId))
    throw invalidInput(
      `"${String(userId).slice(0, 40)}" is not a platform user id (letters, digits and _ . ~ -, starting with a letter or digit).`,
    );
  return userId;
}

const MIB = 1024 * 1024;

/**
 * The largest reply the contract allows per endpoint, generously: a page of 1,000 connections is
 * about 0.5 MB, a 500-link batch less; one connection, a sync log or the migration a few kB.
 */
export function defaultMaxReplyBytes(request: RequestDescription): number {
  const path = request.path;
  if (path === '/connections' || path.endsWith('/synced-items') || path === '/magic-links/batch')
    return 32 * MIB;
  if (path === '/migration/history') return 16 * MIB;
  return 4 * MIB;
}

/** A caller's mistake, caught before anything is sent: code `bad_input`, never retried. */
function invalidInput(message: string, issues?: Array<{ path: string; message: string }>): PlatformError {
  return new PlatformError(message, {
    code: 'bad_input',
    status: null,
    title: 'Invalid request',
    retryable: false,
    issues,
  });
}

function checkInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues
    .slice(0, 20)
    .map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
  throw invalidInput(`The ${what} is not valid: ${issues.map((i) => i.path).join(', ')}.`, issues);
}

function check<S extends z.ZodType>(
  schema: S,
  data: unknown,
  context: { resource: string; userId?: string },
): z.output<S> {
  try {
    return parsePlatformReply(schema, data, context);
  } catch (error) {
    if (error instanceof ContractViolationError) {
      const [method = 'GET', path = context.resource] = context.resource.split(' ');
      throw errorFromViolation({ method, path, userId: context.userId }, 200, error);
    }
    throw error;
  }
}

function action<S extends z.ZodType>(
  schema: S,
  data: unknown,
  response: Response,
  idempotencyKey: string,
  context: { resource: string; userId?: string },
): ActionResult<z.output<S>> {
  const value = check(schema, data, context);
  return {
    value,
    idempotencyKey,
    replayed: response.headers.get('idempotent-replayed') === 'true',
    status: response.status,
  };
}

function writeHeaders(
  key: string,
  ifMatch: string | undefined,
): { 'Idempotency-Key': string; 'If-Match'?: string } {
  return ifMatch === undefined ? { 'Idempotency-Key': key } : { 'Idempotency-Key': key, 'If-Match': ifMatch };
}

function limitQuery(limit: number | undefined): { limit?: number } {
  if (limit === undefined) return {};
  if (!Number.isInteger(limit) || limit < PAGE_LIMIT.min || limit > PAGE_LIMIT.max) {
    throw invalidInput(`limit must be an integer from ${PAGE_LIMIT.min} to ${PAGE_LIMIT.max}.`);
  }
  return { limit };
}

type ConnectionsQueryParams = NonNullable<paths['/connections']['get']['parameters']['query']>;

function connectionQuery(query: ListConnectionsQuery & { cursor?: string | null }): ConnectionsQueryParams {
  const out: ConnectionsQueryParams = { ...limitQuery(query.limit) };
  if (query.role && query.role.length > 0) out.role = query.role.join(',');
  if (query.status && query.status.length > 0) out.status = query.status.join(',');
  if (query.provider) out.provider = query.provider;
  if (query.updatedSince) out.updatedSince = query.updatedSince;
  if (query.q) out.q = query.q;
  if (query.cursor) out.cursor = query.cursor;
  return out;
}

function withUser(error: PlatformError, userId: string): PlatformError {
  if (error.userId !== undefined) return error;
  const copy = new PlatformError(
    error.status === 404
      ? `The platform has no user ${userId} (404). The user may have been removed; refresh the list.`
      : error.message,
    {
      ...error,
      userId,
      cause: error.cause,
      detail: error.detail,
      retryAfterMs: error.retryAfterMs,
      issues: error.issues,
    },
  );
  copy.attempts = error.attempts;
  return copy;
}
