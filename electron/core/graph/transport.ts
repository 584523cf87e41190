import type { Context, Middleware, MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import type { Logger } from '../log/logger.ts';
import { formatBytes, readBodyCapped, ReplyTooLarge } from '../net/body-limit.ts';
import type { Runtime } from '../net/clock.ts';
import { deadlineOf, formatSeconds, type Deadline } from '../net/deadline.ts';
import type { GraphBudget } from '../net/graph-budget.ts';
import { parseRetryAfter, type RetryPolicy } from '../net/retry-policy.ts';
import { withRetries, type AttemptOutcome } from '../net/retry-loop.ts';
import { decodedHeaders } from '../platform/transport.ts';
import { GraphError, isRetryableGraphStatus } from './errors.ts';
import { mailboxOf } from './mailbox-limiter.ts';

export type FetchLike = (input: Request) => Promise<Response>;

/**
 * Per-request facts for the transport, handed through the Graph client's middleware options.
 * The transport also leaves its own failure here, because the library rewraps anything a
 * middleware throws into its own error type and would lose ours.
 */
export class GraphRequestMeta implements MiddlewareOptions {
  readonly mailbox: string | undefined;
  /** True for reads and read-only POSTs ($batch of GETs, translateExchangeIds): safe to resend after a 5xx. */
  readonly idempotent: boolean;
  failure: GraphError | undefined;

  constructor(options: { mailbox?: string | undefined; idempotent: boolean }) {
    this.mailbox = options.mailbox;
    this.idempotent = options.idempotent;
  }
}

export interface GraphTransportOptions {
  fetch: FetchLike;
  runtime: Runtime;
  retry: RetryPolicy;
  timeoutMs: number;
  /** Per-mailbox concurrency and request quota, shared by every Graph client of the app. */
  budget: GraphBudget;
  /** Largest reply body read (bytes). */
  maxReplyBytes: number;
  /** An overall deadline for every call (a CLI command's). */
  deadline?: Deadline | undefined;
  /** Path of the Graph base URL (e.g. `/graph/v1.0`), to find the mailbox in a URL. */
  basePath: string;
  logger?: Logger | undefined;
  onRetry?:
    | ((event: {
        url: string;
        mailbox: string;
        attempt: number;
        delayMs: number;
        status: number | null;
      }) => void)
    | undefined;
}

/**
 * The last middleware: sends with the injected fetch (custom CA later), holds one of the
 * mailbox's 4 slots only while a request is on the wire, and retries throttling (429/503 with
 * their Retry-After, fractional included), gateway errors, resets and timeouts within the
 * retry budget. A POST that is not idempotent (sendMail, createDraft) is retried only on 429,
 * which Graph answers before doing anything. The final reply is buffered into context.response.
 */
export class GraphTransportMiddleware implements Middleware {
  private readonly options: GraphTransportOptions;

  constructor(options: GraphTransportOptions) {
    this.options = options;
  }

  async execute(context: Context): Promise<void> {
    const meta = context.middlewareControl?.getMiddlewareOptions(GraphRequestMeta) as
      GraphRequestMeta | undefined;
    try {
      context.response = await this.send(context, meta);
    } catch (error) {
      if (meta && error instanceof GraphError) meta.failure = error;
      throw error;
    }
  }

  /** Also used directly for @odata.nextLink URLs, which must not be re-parsed by GraphRequest. */
  async send(context: Context, meta: GraphRequestMeta | undefined): Promise<Response> {
    const { runtime, retry } = this.options;
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const init = context.options ?? {};
    const method = (init.method ?? 'GET').toUpperCase();
    const mailbox = meta?.mailbox ?? mailboxOf(url, this.options.basePath);
    const idempotent = meta?.idempotent ?? method === 'GET';
    const deadline = this.options.deadline;
    const given = init.signal ?? undefined;
    const callerSignal =
      deadline === undefined ? given : given ? AbortSignal.any([given, deadline.signal]) : deadline.signal;
    /** The caller stopped it, or the deadline passed: say which. */
    const stopped = (cause: unknown): GraphError => {
      const passed = deadlineOf(callerSignal);
      if (passed === null) return cancelledError(what, mailbox, cause);
      return new GraphError(
        `Microsoft Graph gave no complete answer to ${what} within the deadline of ${formatSeconds(passed.deadlineMs)}.`,
        { code: 'timeout', status: null, retryable: true, mailbox, cause },
      );
    };
    const what = `${method} ${new URL(url).pathname}`;
    const attempt = async (): Promise<AttemptOutcome<Response>> => {
      let response: Response | undefined;
      let failure: GraphError | undefined;
      let release: (() => void) | undefined;
      try {
        // The slot is held only while the request is on the wire (Outlook counts concurrent requests).
        release = await this.options.budget.request(mailbox, callerSignal);
        response = await this.attempt(url, init, callerSignal, what, mailbox);
      } catch (error) {
        if (callerSignal?.aborted) throw stopped(callerSignal.reason);
        if (!(error instanceof GraphError)) throw error;
        failure = error;
      } finally {
        release?.();
      }
      const status = response?.status ?? null;
      if (failure === undefined && response !== undefined && !isRetryableGraphStatus(response.status))
        return { ok: true, value: response };
      const retryAfterMs = response
        ? (parseRetryAfter(response.headers.get('retry-after'), runtime.now()) ?? undefined)
        : undefined;
      if (status === 429 && retryAfterMs !== undefined) this.options.budget.pause(mailbox, retryAfterMs);
      const retryable =
        failure !== undefined
          ? failure.retryable && idempotent
          : status !== null && (idempotent || status === 429);
      return {
        ok: false,
        retryable,
        retryAfterMs,
        reason: failure?.code ?? String(status),
        giveUp: (why) => {
          if (failure) {
            failure.attempts = why.attempts;
            throw failure;
          }
          // A throttled or failed reply that is not retried goes back to the caller, which maps it.
          return response as Response;
        },
      };
    };
    return withRetries(attempt, {
      policy: retry,
      runtime,
      signal: callerSignal,
      deadlineAt: deadline?.at,
      cancelled: stopped,
      onRetry: (event) => {
        this.options.onRetry?.({
          url,
          mailbox,
          attempt: event.attempt,
          delayMs: event.delayMs,
          status: /^\d+$/.test(event.reason) ? Number(event.reason) : null,
        });
        this.options.logger?.info('graph request retried', {
          path: new URL(url).pathname,
          attempt: event.attempt,
          delayMs: event.delayMs,
          reason: event.reason,
        });
      },
    });
  }

  private async attempt(
    url: string,
    init: RequestInit,
    callerSignal: AbortSignal | undefined,
    what: string,
    mailbox: string,
  ): Promise<Response> {
    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(new DOMException('timeout', 'TimeoutError')),
      this.options.timeoutMs,
    );
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout.signal]) : timeout.signal;
    try {
      const request = new Request(url, {
        method: init.method ?? 'GET',
        headers: init.headers ?? {},
        body: init.body ?? null,
        signal,
        redirect: 'manual',
      });
      const response = await this.options.fetch(request);
      const body = await readBodyCapped(response, this.options.maxReplyBytes);
      return new Response(response.status === 204 || response.status === 304 ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers: decodedHeaders(response.headers),
      });
    } catch (error) {
      if (callerSignal?.aborted) throw cancelledError(what, mailbox, callerSignal.reason);
      if (error instanceof ReplyTooLarge) {
        throw new GraphError(
          `Microsoft Graph's reply to ${what} is larger than ${formatBytes(error.limitBytes)}; it was not read further and will not be retried.`,
          { code: 'reply_too_large', status: null, retryable: false, mailbox, cause: error },
        );
      }
      if (timeout.signal.aborted) {
        throw new GraphError(
          `Microsoft Graph did not answer ${what} within ${this.options.timeoutMs / 1000} s.`,
          {
            code: 'timeout',
            status: null,
            retryable: true,
            mailbox,
          },
        );
      }
      throw new GraphError(
        `Could not reach Microsoft Graph for ${what} (${errorCode(error)}). Check the network.`,
        {
          code: 'network_error',
          status: null,
          retryable: true,
          mailbox,
          cause: error,
        },
      );
    } finally {
      clearTimeout(timer);
    }
  }
}

export function cancelledError(what: string, mailbox: string | undefined, cause: unknown): GraphError {
  return new GraphError(`${what} was cancelled.`, {
    code: 'cancelled',
    status: null,
    retryable: false,
    mailbox,
    cause,
  });
}

function errorCode(error: unknown): string {
  let node: unknown = error;
  for (let depth = 0; depth < 4 && node instanceof Error; depth += 1) {
    const code = (node as Error & { code?: unknown }).code;
    if (typeof code === 'string') return code;
    node = node.cause;
  }
  if (error instanceof Error && /header/i.test(error.message))
    return 'a request header was refused by the network layer'; // fetch quotes the value: maybe a token
  return error instanceof Error ? error.message.slice(0, 100) : 'unknown failure';
}
