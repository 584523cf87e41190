import type { Logger } from '../log/logger.ts';
import { readTextCapped, ReplyTooLarge } from '../net/body-limit.ts';
import type { Runtime } from '../net/clock.ts';
import { deadlineOf, type Deadline } from '../net/deadline.ts';
import type { Budget, Priority } from '../net/request-budget.ts';
import { parseRetryAfter, type RetryPolicy } from '../net/retry-policy.ts';
import { withRetries, type AttemptOutcome } from '../net/retry-loop.ts';
import {
  afterRetries,
  badReply,
  cancelled,
  errorFromBareStatus,
  errorFromProblem,
  networkError,
  PlatformError,
  replyTooLarge,
  timedOut,
  type RequestDescription,
} from './errors.ts';

/**
 * The `fetch` handed to openapi-fetch. One call = one logical request: it waits for a permit from
 * the key's request budget (at the call's priority), sends with a per-attempt timeout, reads the
 * body up to the endpoint's bound, and retries what is safe to retry (GETs, and POSTs that carry an
 * Idempotency-Key, which replay instead of repeating the side effect) through the one retry loop
 * (`net/retry-loop.ts`). It resolves only with a 2xx reply whose JSON is complete; everything else
 * becomes a `PlatformError`. The caller's AbortSignal (on the Request) and the client's deadline
 * stop it at any point.
 */
export type FetchLike = (input: Request) => Promise<Response>;

/** Per-request hooks into the transport, for callers that need a reply before it is parsed. */
export interface RequestHooks {
  /**
   * The text of a successful JSON reply, before it is parsed (called once, for the attempt that
   * succeeded at the HTTP level; the reply can still turn out malformed afterwards).
   */
  onJsonText?: (text: string) => void;
  /** Which queue of the budget this request waits in (default: the client's). */
  priority?: Priority;
}

/** The transport: a FetchLike for openapi-fetch that also takes per-request hooks. */
export type PlatformFetch = (input: Request, hooks?: RequestHooks) => Promise<Response>;

export interface TransportOptions {
  baseUrl: string;
  fetch: FetchLike;
  runtime: Runtime;
  budget: Budget;
  priority: Priority;
  retry: RetryPolicy;
  timeoutMs: number;
  /** An overall deadline for every call of this client (a CLI command's). */
  deadline?: Deadline | undefined;
  /** The largest reply body read for a path (bytes). */
  maxReplyBytes: (description: RequestDescription) => number;
  logger?: Logger | undefined;
  /** Called before each wait, for the UI's "retrying in 3 s" and for tests. */
  onRetry?: ((event: RetryEvent) => void) | undefined;
}

export interface RetryEvent {
  request: RequestDescription;
  attempt: number;
  delayMs: number;
  reason: string;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;

export function createPlatformFetch(options: TransportOptions): PlatformFetch {
  const base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);

  return async (original: Request, hooks: RequestHooks = {}) => {
    const description = describeRequest(original, base);
    const retriable =
      original.method === 'GET' || original.method === 'HEAD' || original.headers.has('idempotency-key');
    const headers = new Headers(original.headers);
    if (!headers.has('accept')) headers.set('accept', 'application/json, application/problem+json');
    // Buffer the body once so every attempt sends the same bytes.
    const body =
      original.method === 'GET' || original.method === 'HEAD' ? undefined : await original.arrayBuffer();
    const deadline = options.deadline;
    const signal =
      deadline === undefined ? original.signal : AbortSignal.any([original.signal, deadline.signal]);
    const priority = hooks.priority ?? options.priority;
    const startedAt = options.runtime.now();
    let attempts = 0;
    let last: PlatformError | null = null;
    /** True while an attempt is on the wire (so a deadline knows it ended one mid-reply). */
    let inFlight = false;
    /** The caller aborted, or the deadline passed: say which, truthfully. */
    const stopped = (cause: unknown): PlatformError => {
      // The deadline's reason reaches the request's own signal too when the caller passed the
      // deadline's signal along (a CLI command does); any other reason is the user stopping it.
      const passed = deadlineOf(signal);
      if (passed === null) return cancelled(description, cause);
      return afterRetries(description, last, {
        attempts,
        elapsedMs: options.runtime.now() - startedAt,
        deadlineMs: passed.deadlineMs,
        inFlight,
      });
    };

    const attempt = async (n: number): Promise<AttemptOutcome<Response>> => {
      let failure: PlatformError;
      inFlight = false;
      try {
        await options.budget.acquire(priority, signal);
        attempts = n;
        inFlight = true;
        return {
          ok: true,
          value: await attemptOnce(options, description, original, headers, body, signal, n, hooks),
        };
      } catch (error) {
        if (signal.aborted) throw stopped(signal.reason);
        inFlight = false;
        if (!(error instanceof PlatformError)) throw error;
        failure = error;
      }
      last = failure;
      failure.attempts = n;
      if (failure.status === 429 || (failure.status === 503 && failure.retryAfterMs !== undefined)) {
        options.budget.pauseFor(failure.retryAfterMs ?? 1000);
      }
      return {
        ok: false,
        retryable: failure.retryable && retriable,
        retryAfterMs: failure.retryAfterMs,
        reason: failure.code,
        giveUp: (why) => {
          throw afterRetries(description, failure, {
            attempts: why.attempts,
            elapsedMs: why.elapsedMs,
            deadlineMs: why.kind === 'deadline' ? deadline?.ms : undefined,
          });
        },
      };
    };

    return withRetries(attempt, {
      policy: options.retry,
      runtime: options.runtime,
      signal,
      deadlineAt: deadline?.at,
      cancelled: stopped,
      onRetry: (event) => {
        options.onRetry?.({
          request: description,
          attempt: event.attempt,
          delayMs: event.delayMs,
          reason: event.reason,
        });
        options.logger?.info('platform request retried', {
          method: description.method,
          path: description.path,
          attempt: event.attempt,
          delayMs: event.delayMs,
          reason: event.reason,
          status: last?.status ?? null,
        });
      },
    });
  };
}

async function attemptOnce(
  options: TransportOptions,
  description: RequestDescription,
  original: Request,
  headers: Headers,
  body: ArrayBuffer | undefined,
  callerSignal: AbortSignal,
  attempt: number,
  hooks: RequestHooks,
): Promise<Response> {
  const timeout = new AbortController();
  const timer = setTimeout(
    () => timeout.abort(new DOMException('timeout', 'TimeoutError')),
    options.timeoutMs,
  );
  const signal = AbortSignal.any([callerSignal, timeout.signal]);
  try {
    const request = new Request(original.url, {
      method: original.method,
      headers,
      body: body ?? null,
      signal,
      redirect: 'manual',
    });
    let response: Response;
    let text: string;
    try {
      response = await options.fetch(request);
      // The whole body inside the timeout: a reply that stalls half-way is a timeout too. Read up
      // to the endpoint's bound only: a reply larger than any the contract allows is refused.
      text = await readTextCapped(response, options.maxReplyBytes(description));
    } catch (error) {
      if (callerSignal.aborted) throw cancelled(description, callerSignal.reason);
      if (timeout.signal.aborted) throw timedOut(description, options.timeoutMs);
      if (error instanceof ReplyTooLarge) throw replyTooLarge(description, error.limitBytes, error);
      throw networkError(description, error);
    }
    options.budget.observe(response.headers, { retryAfterGiven: response.headers.has('retry-after') });
    if (
      hooks.onJsonText !== undefined &&
      response.ok &&
      JSON_TYPE.test(response.headers.get('content-type') ?? '')
    ) {
      hooks.onJsonText(text);
      // Let what the hook started (the next page's request) leave before this reply is parsed and
      // checked, which takes a few milliseconds for a large page: fetch() writes a request on the
      // second event-loop turn after it is called (measured, Node 24), so two turns are given.
      await new Promise<void>((resolve) => setImmediate(resolve));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return decode(options, description, response, text, attempt);
  } finally {
    clearTimeout(timer);
  }
}

function decode(
  options: TransportOptions,
  description: RequestDescription,
  response: Response,
  text: string,
  attempt: number,
): Response {
  const status = response.status;
  const contentType = response.headers.get('content-type') ?? '';
  const retryAfterMs =
    parseRetryAfter(response.headers.get('retry-after'), options.runtime.now()) ?? undefined;

  if (status >= 200 && status < 300) {
    if (status === 204 || text.length === 0) {
      throw badReply(
        description,
        status,
        `an empty ${status} reply where the contract promises a JSON body`,
        false,
      );
    }
    if (!JSON_TYPE.test(contentType)) {
      throw badReply(
        description,
        status,
        `it is ${/text\/html/i.test(contentType) ? 'a web page' : `"${contentType.slice(0, 60) || 'untyped'}"`}, not JSON ` +
          '(a proxy, captive portal or wrong platform URL may be answering)',
        false,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      // With the right content type, unreadable JSON is almost always a reply cut short: retry it.
      throw badReply(description, status, 'the JSON is cut off or malformed', true, error);
    }
    if (attempt > 1)
      options.logger?.debug('platform request succeeded after retry', { path: description.path, attempt });
    const headers = decodedHeaders(response.headers);
    // The length of the body handed on, so openapi-fetch reads it with json(), which answers with the
    // value parsed above instead of encoding, decoding and parsing a 1,000-row page a second time.
    headers.set('content-length', String(Buffer.byteLength(text, 'utf8')));
    return parsedJsonResponse(text, parsed, { status, statusText: response.statusText, headers });
  }

  if (/^application\/problem\+json\b/i.test(contentType) || JSON_TYPE.test(contentType)) {
    const problem = readProblem(text, status);
    if (problem !== null) return throwIt(errorFromProblem(description, status, problem, retryAfterMs));
  }
  return throwIt(errorFromBareStatus(description, status, contentType, retryAfterMs));
}

/** A successful reply whose JSON is already parsed: the first json() returns that value; later reads behave as usual. */
function parsedJsonResponse(text: string, parsed: unknown, init: ResponseInit): Response {
  const response = new Response(text, init);
  const readBody = response.json.bind(response);
  let pending: { value: unknown } | null = { value: parsed };
  Object.defineProperty(response, 'json', {
    configurable: true,
    value: (): Promise<unknown> => {
      if (pending === null || response.bodyUsed) return readBody();
      const { value } = pending;
      pending = null;
      return Promise.resolve(value);
    },
  });
  return response;
}

function throwIt(error: PlatformError): never {
  throw error;
}

/** A problem document if the body is one, with the fields we rely on; null otherwise. */
function readProblem(
  text: string,
  status: number,
): { code: string; title: string; detail?: string; type?: string; requiredScope?: string } | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return null;
  const record = data as Record<string, unknown>;
  const code = typeof record['code'] === 'string' && record['code'].length > 0 ? record['code'] : null;
  const title = typeof record['title'] === 'string' ? record['title'] : `HTTP ${status}`;
  if (code === null) return null;
  const problem: { code: string; title: string; detail?: string; type?: string; requiredScope?: string } = {
    code: code.slice(0, 100),
    title: title.slice(0, 300),
  };
  if (typeof record['detail'] === 'string') problem.detail = record['detail'].slice(0, 1000);
  if (typeof record['type'] === 'string') problem.type = record['type'].slice(0, 300);
  if (typeof record['requiredScope'] === 'string')
    problem.requiredScope = record['requiredScope'].slice(0, 100);
  return problem;
}

/** Method, path below the base URL (never the query: it may hold names) and the user the path names. */
export function describeRequest(request: Request, base: URL): RequestDescription {
  const url = new URL(request.url);
  let path = url.pathname.startsWith(base.pathname)
    ? `/${url.pathname.slice(base.pathname.length)}`
    : url.pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    // Keep the encoded form; it is only used in messages.
  }
  const userId = /^\/connections\/([^/]+)/.exec(path)?.[1];
  return { method: request.method, path, userId };
}

/** Headers for a re-built, already decoded body: the wire's length and encoding no longer apply. */
export function decodedHeaders(headers: Headers): Headers {
  const copy = new Headers(headers);
  copy.delete('content-length');
  copy.delete('content-encoding');
  return copy;
}
