import { Client, ResponseType, type GraphRequest } from '@microsoft/microsoft-graph-client';
import type { z } from 'zod';
import {
  BatchResponse,
  ConvertedId,
  graphCollection,
  GraphCalendar,
  GraphEvent,
  GraphMessage,
  GraphUser,
  type BatchInnerResponse,
  type ExchangeIdType,
} from '../../../shared/domain/graph.ts';
import type { Logger } from '../log/logger.ts';
import { realRuntime, type Runtime } from '../net/clock.ts';
import type { Deadline } from '../net/deadline.ts';
import { GraphBudget } from '../net/graph-budget.ts';
import { DEFAULT_RETRY_POLICY, parseRetryAfter, type RetryPolicy } from '../net/retry-policy.ts';
import { withRetries } from '../net/retry-loop.ts';
import { OriginAuthMiddleware, type AccessTokenProvider } from './auth.ts';
import { GraphError, graphErrorFrom, isRetryableGraphStatus } from './errors.ts';
import { cancelledError, GraphRequestMeta, GraphTransportMiddleware, type FetchLike } from './transport.ts';

export const GRAPH_BATCH_MAX = 20;
export const TRANSLATE_IDS_MAX = 1000;
export const MAILBOX_CONCURRENCY = 4;
const DEFAULT_MAX_REPLY_BYTES = 32 * 1024 * 1024;

export interface GraphClientOptions {
  /** `https://graph.microsoft.com/v1.0` or the sandbox's graphUrl. */
  baseUrl: string;
  tokens: AccessTokenProvider;
  fetch?: FetchLike;
  runtime?: Runtime;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  /** Sends `Prefer: IdType="ImmutableId"` on every request, so event ids survive moves. */
  immutableIds?: boolean;
  mailboxConcurrency?: number;
  /**
   * Graph's per-mailbox and per-sender budgets; share one between every Graph client of the app
   * (a workspace holds it). A client without one gets its own.
   */
  budget?: GraphBudget;
  /** Largest reply body read (bytes); default 32 MiB (a 1,000-event page or a 20-event $batch). */
  maxReplyBytes?: number;
  /** An overall deadline for every call (a CLI command's): no wait or attempt runs past it. */
  deadline?: Deadline;
  logger?: Logger;
}

export interface GraphCallOptions {
  signal?: AbortSignal;
}

/** A message as Graph's sendMail / messages endpoints take it (recipients, subject, body, …). */
export type GraphOutgoingMessage = Record<string, unknown>;

/**
 * Microsoft Graph v1.0 for the console, over @microsoft/microsoft-graph-client with our own
 * middleware chain (origin-bound auth, then a transport that retries and caps per-mailbox
 * concurrency). Every reply is validated; every failure is a `GraphError`.
 */
export class GraphClient {
  readonly baseUrl: string;
  private readonly client: Client;
  private readonly transport: GraphTransportMiddleware;
  private readonly auth: OriginAuthMiddleware;
  private readonly runtime: Runtime;
  private readonly retry: RetryPolicy;
  private readonly immutableIds: boolean;
  readonly budget: GraphBudget;

  constructor(options: GraphClientOptions) {
    const base = new URL(options.baseUrl);
    this.baseUrl = base.toString().replace(/\/+$/, '');
    const segments = base.pathname.replace(/\/+$/, '').split('/');
    const version = segments.pop() || 'v1.0';
    const root = `${base.origin}${segments.join('/')}`;
    this.runtime = options.runtime ?? realRuntime;
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.immutableIds = options.immutableIds ?? false;
    this.budget =
      options.budget ??
      new GraphBudget({
        runtime: this.runtime,
        concurrentPerMailbox: options.mailboxConcurrency ?? MAILBOX_CONCURRENCY,
      });
    this.transport = new GraphTransportMiddleware({
      fetch: options.fetch ?? ((request) => fetch(request)),
      runtime: this.runtime,
      retry: this.retry,
      timeoutMs: options.timeoutMs ?? 30_000,
      budget: this.budget,
      maxReplyBytes: options.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES,
      deadline: options.deadline,
      basePath: new URL(this.baseUrl).pathname,
      logger: options.logger,
    });
    this.auth = new OriginAuthMiddleware(options.tokens, this.baseUrl);
    this.auth.setNext(this.transport);
    this.client = Client.initWithMiddleware({
      baseUrl: root,
      defaultVersion: version,
      middleware: this.auth,
      customHosts: new Set([base.host]),
    });
  }

  getMe(options: GraphCallOptions = {}): Promise<GraphUser> {
    return this.get(this.client.api('/me'), GraphUser, {
      what: 'GET /me',
      mailbox: 'me',
      signal: options.signal,
    });
  }

  getUser(upn: string, options: GraphCallOptions = {}): Promise<GraphUser> {
    return this.get(this.client.api(`/users/${seg(upn)}`), GraphUser, {
      what: 'GET /users/{upn}',
      mailbox: upn,
      signal: options.signal,
    });
  }

  getCalendar(upn: string, options: GraphCallOptions = {}): Promise<GraphCalendar> {
    return this.get(this.client.api(`/users/${seg(upn)}/calendar`), GraphCalendar, {
      what: 'GET /users/{upn}/calendar',
      mailbox: upn,
      signal: options.signal,
    });
  }

  getEvent(upn: string, id: string, options: GraphCallOptions = {}): Promise<GraphEvent> {
    return this.get(this.client.api(`/users/${seg(upn)}/events/${seg(id)}`), GraphEvent, {
      what: 'GET /users/{upn}/events/{id}',
      mailbox: upn,
      signal: options.signal,
    });
  }

  /** Every event occurrence between start and end (ISO), following @odata.nextLink exactly as given. */
  async *listCalendarView(
    upn: string,
    start: string,
    end: string,
    options: GraphCallOptions & { pageSize?: number } = {},
  ): AsyncGenerator<GraphEvent, void, undefined> {
    const Page = graphCollection(GraphEvent);
    const { pageSize } = options;
    if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= 1000)) {
      throw new RangeError('pageSize must be an integer from 1 to 1000.');
    }
    // Page size goes in Prefer (odata.maxpagesize), Graph's documented way for calendarView.
    const context: CallContext = {
      what: 'GET /users/{upn}/calendarView',
      mailbox: upn,
      signal: options.signal,
      prefer: pageSize === undefined ? [] : [`odata.maxpagesize=${pageSize}`],
    };
    let page = await this.get(
      this.client
        .api(`/users/${seg(upn)}/calendarView`)
        .query({ startDateTime: encodeURIComponent(start), endDateTime: encodeURIComponent(end) }),
      Page,
      context,
    );
    const seen = new Set<string>();
    for (;;) {
      yield* page.value;
      const next = page['@odata.nextLink'];
      if (next === undefined) return;
      if (seen.has(next)) throw badReply(context.what, upn, 'Graph returned the same @odata.nextLink twice');
      seen.add(next);
      page = await this.getVerbatim(next, Page, context);
    }
  }

  /** Converts ids between Exchange formats, 1,000 per call (Graph's limit); order follows `ids`. */
  async translateExchangeIds(
    upn: string,
    ids: readonly string[],
    from: ExchangeIdType,
    to: ExchangeIdType,
    options: GraphCallOptions = {},
  ): Promise<ConvertedId[]> {
    const Reply = graphCollection(ConvertedId);
    const out: ConvertedId[] = [];
    for (let i = 0; i < ids.length; i += TRANSLATE_IDS_MAX) {
      const chunk = ids.slice(i, i + TRANSLATE_IDS_MAX);
      const meta = new GraphRequestMeta({ mailbox: upn, idempotent: true });
      const reply = await this.call(
        this.client.api(`/users/${seg(upn)}/translateExchangeIds`),
        meta,
        (request) => request.post({ inputIds: chunk, sourceIdType: from, targetIdType: to }),
        Reply,
        { what: 'POST /users/{upn}/translateExchangeIds', mailbox: upn, signal: options.signal },
      );
      out.push(...reply.value);
    }
    return out;
  }

  /**
   * Reads many events of one mailbox through JSON $batch, 20 per batch. Inner 429/503/504s are
   * retried on their own Retry-After; the result maps every id to its event or its GraphError.
   */
  async batchGetEvents(
    upn: string,
    ids: readonly string[],
    options: GraphCallOptions = {},
  ): Promise<Map<string, GraphEvent | GraphError>> {
    const results = new Map<string, GraphEvent | GraphError>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += GRAPH_BATCH_MAX) {
      const chunk = unique.slice(i, i + GRAPH_BATCH_MAX);
      await this.runBatch(upn, chunk, results, options.signal);
    }
    return results;
  }

  /** Sends a message as the signed-in operator (202, no body). Retried only when throttled. */
  async sendMail(
    message: GraphOutgoingMessage,
    options: GraphCallOptions & {
      saveToSentItems?: boolean;
      /** The sending mailbox's address, so its quota is shared with other clients that name it (default `me`). */
      sender?: string;
      /**
       * Called once the sending budget admitted the message, just before it goes on the wire: a job
       * records "sending" there, so after a crash it knows which messages may have left.
       */
      onAdmitted?: () => void;
    } = {},
  ): Promise<void> {
    const meta = new GraphRequestMeta({ mailbox: 'me', idempotent: false });
    // Exchange Online's sending limits (30 messages a minute, 10,000 recipients a day) are waited
    // for here rather than earned as throttling or a day-long SubmissionQuotaExceeded.
    await this.budget.send(options.sender ?? 'me', recipientCount(message), options.signal);
    options.onAdmitted?.();
    await this.call(
      this.client.api('/me/sendMail'),
      meta,
      (request) => request.post({ message, saveToSentItems: options.saveToSentItems ?? true }),
      null,
      { what: 'POST /me/sendMail', mailbox: 'me', signal: options.signal },
    );
  }

  /** Saves a draft in the operator's mailbox for review before sending. */
  createDraft(message: GraphOutgoingMessage, options: GraphCallOptions = {}): Promise<GraphMessage> {
    const meta = new GraphRequestMeta({ mailbox: 'me', idempotent: false });
    return this.call(
      this.client.api('/me/messages'),
      meta,
      (request) => request.post(message),
      GraphMessage,
      {
        what: 'POST /me/messages',
        mailbox: 'me',
        signal: options.signal,
      },
    );
  }

  private async runBatch(
    upn: string,
    ids: string[],
    results: Map<string, GraphEvent | GraphError>,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const what = 'POST /$batch';
    let pending = ids.map((id, index) => ({ id, requestId: String(index + 1) }));
    // Each round sends what is pending; inner 429/503/504s go round again through the one retry loop.
    await withRetries<void>(
      async () => {
        const retry = await this.batchRound(upn, pending, results, signal);
        if (retry.items.length === 0) return { ok: true, value: undefined };
        pending = retry.items;
        return {
          ok: false,
          retryable: true,
          retryAfterMs: retry.retryAfterMs,
          reason: 'inner throttling',
          // Out of budget: the throttled items keep their 429/503 GraphError in the results.
          giveUp: () => undefined,
        };
      },
      {
        policy: this.retry,
        runtime: this.runtime,
        signal,
        cancelled: (cause) => cancelledError(what, upn, cause),
      },
    );
  }

  /** One $batch of the pending ids; what should go round again, with the largest inner Retry-After. */
  private async batchRound(
    upn: string,
    pending: Array<{ id: string; requestId: string }>,
    results: Map<string, GraphEvent | GraphError>,
    signal: AbortSignal | undefined,
  ): Promise<{ items: Array<{ id: string; requestId: string }>; retryAfterMs: number | undefined }> {
    const what = 'POST /$batch';
    const body = {
      requests: pending.map((p) => ({
        id: p.requestId,
        method: 'GET',
        url: `/users/${seg(upn)}/events/${seg(p.id)}`,
        ...(this.immutableIds ? { headers: { Prefer: 'IdType="ImmutableId"' } } : {}),
      })),
    };
    const meta = new GraphRequestMeta({ mailbox: upn, idempotent: true });
    const reply = await this.call(
      this.client.api('/$batch'),
      meta,
      (request) => request.post(body),
      BatchResponse,
      { what, mailbox: upn, signal },
    );
    const byId = new Map<string, BatchInnerResponse>(reply.responses.map((r) => [r.id, r]));
    const retry: typeof pending = [];
    let retryAfterMs: number | undefined;
    for (const item of pending) {
      const inner = byId.get(item.requestId);
      if (inner === undefined) {
        results.set(
          item.id,
          badReply(what, upn, `the batch reply has no response for request ${item.requestId}`),
        );
        continue;
      }
      if (inner.status >= 200 && inner.status < 300) {
        const parsed = GraphEvent.safeParse(inner.body);
        results.set(
          item.id,
          parsed.success
            ? parsed.data
            : badReply(what, upn, `event ${item.requestId}: ${fieldsOf(parsed.error)}`),
        );
        continue;
      }
      const innerRetryAfter =
        parseRetryAfter(headerOf(inner.headers, 'retry-after'), this.runtime.now()) ?? undefined;
      if (isRetryableGraphStatus(inner.status)) {
        retry.push(item);
        if (innerRetryAfter !== undefined) retryAfterMs = Math.max(retryAfterMs ?? 0, innerRetryAfter);
      }
      results.set(
        item.id,
        graphErrorFrom(inner.status, inner.body, {
          what: 'GET /users/{upn}/events/{id} (in $batch)',
          mailbox: upn,
          retryAfterMs: innerRetryAfter,
        }),
      );
    }
    return { items: retry, retryAfterMs };
  }

  private get<S extends z.ZodType>(
    request: GraphRequest,
    schema: S,
    context: CallContext,
  ): Promise<z.output<S>> {
    const meta = new GraphRequestMeta({ mailbox: context.mailbox, idempotent: true });
    return this.call(request, meta, (r) => r.get(), schema, context);
  }

  private async call<S extends z.ZodType>(
    request: GraphRequest,
    meta: GraphRequestMeta,
    send: (request: GraphRequest) => Promise<unknown>,
    schema: S | null,
    context: CallContext,
  ): Promise<z.output<S>> {
    const prefer = this.prefer(context);
    if (prefer !== undefined) request.header('Prefer', prefer);
    request.middlewareOptions([meta]).responseType(ResponseType.RAW);
    if (context.signal) request.option('signal', context.signal);
    let response: Response;
    try {
      response = (await send(request)) as Response;
    } catch (error) {
      if (meta.failure) throw meta.failure;
      if (context.signal?.aborted) throw cancelledError(context.what, context.mailbox, error);
      throw error;
    }
    return readReply(response, schema, context);
  }

  private prefer(context: CallContext): string | undefined {
    const values = [...(this.immutableIds ? ['IdType="ImmutableId"'] : []), ...(context.prefer ?? [])];
    return values.length === 0 ? undefined : values.join(', ');
  }

  /** GETs an absolute URL exactly as Graph gave it, through the same auth and transport. */
  private async getVerbatim<S extends z.ZodType>(
    url: string,
    schema: S,
    context: CallContext,
  ): Promise<z.output<S>> {
    if (new URL(url).origin !== new URL(this.baseUrl).origin) {
      throw badReply(
        context.what,
        context.mailbox,
        'the @odata.nextLink points to another host; it was not followed',
      );
    }
    // A nextLink carries the query, not the headers: the preferences are sent again.
    const prefer = this.prefer(context);
    const headers: Record<string, string> = prefer === undefined ? {} : { Prefer: prefer };
    const meta = new GraphRequestMeta({ mailbox: context.mailbox, idempotent: true });
    const ctx = {
      request: url,
      options: { method: 'GET', headers, signal: context.signal ?? null },
    } as Parameters<OriginAuthMiddleware['execute']>[0];
    ctx.middlewareControl = { getMiddlewareOptions: () => meta } as unknown as typeof ctx.middlewareControl;
    await this.auth.execute(ctx);
    return readReply(ctx.response as Response, schema, context);
  }
}

interface CallContext {
  what: string;
  mailbox: string;
  signal?: AbortSignal | undefined;
  /** Extra `Prefer` preferences for this call, e.g. `odata.maxpagesize=50`. */
  prefer?: readonly string[];
}

async function readReply<S extends z.ZodType>(
  response: Response,
  schema: S | null,
  context: CallContext,
): Promise<z.output<S>> {
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now()) ?? undefined;
  let body: unknown;
  if (text.length > 0 && /json/i.test(contentType)) {
    try {
      body = JSON.parse(text);
    } catch {
      if (response.ok) throw badReply(context.what, context.mailbox, 'the JSON is cut off or malformed');
    }
  }
  if (!response.ok) {
    throw graphErrorFrom(response.status, body, {
      what: context.what,
      mailbox: context.mailbox,
      retryAfterMs,
      headers: response.headers,
    });
  }
  if (schema === null) return undefined as z.output<S>;
  if (body === undefined) {
    throw badReply(
      context.what,
      context.mailbox,
      text.length === 0 ? 'an empty reply' : `"${contentType.slice(0, 60)}" instead of JSON`,
    );
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw badReply(context.what, context.mailbox, `fields not as documented: ${fieldsOf(parsed.error)}`);
  return parsed.data;
}

function badReply(what: string, mailbox: string | undefined, reason: string): GraphError {
  return new GraphError(`Microsoft Graph's reply to ${what} could not be used: ${reason}.`, {
    code: 'bad_reply',
    status: null,
    retryable: false,
    mailbox,
  });
}

function fieldsOf(error: z.ZodError): string {
  return [...new Set(error.issues.map((i) => i.path.map(String).join('.') || '(root)'))]
    .slice(0, 5)
    .join(', ');
}

function headerOf(headers: Record<string, string> | undefined, name: string): string | null {
  if (!headers) return null;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return null;
}

/** Everyone a message goes to (To, Cc and Bcc), as Exchange counts recipients. */
function recipientCount(message: GraphOutgoingMessage): number {
  let count = 0;
  for (const field of ['toRecipients', 'ccRecipients', 'bccRecipients']) {
    const list = message[field];
    if (Array.isArray(list)) count += list.length;
  }
  return Math.max(1, count);
}

/** One path segment: UPNs and ids may hold `/`, `+` or `=` (Exchange ids are base64). */
function seg(value: string): string {
  if (value.length === 0) throw new TypeError('An empty id or UPN cannot address anything in Graph.');
  return encodeURIComponent(value);
}
