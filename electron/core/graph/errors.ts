import { ConsoleError, type ErrorCode } from '../../../shared/contract/errors.ts';
import { GraphErrorBody } from '../../../shared/domain/graph.ts';

/**
 * A failed Graph call. `code` is Graph's own error code (`ErrorItemNotFound`, `TooManyRequests`,
 * …) or, where Graph gave none, a client-side one (`timeout`, `network_error`, `cancelled`,
 * `bad_reply`, `http_<status>`). `requestId` is what Microsoft support asks for.
 */
export class GraphError extends Error {
  readonly code: string;
  readonly status: number | null;
  readonly requestId: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly mailbox: string | undefined;
  attempts: number;

  constructor(
    message: string,
    init: {
      code: string;
      status: number | null;
      requestId?: string | undefined;
      retryable: boolean;
      retryAfterMs?: number | undefined;
      mailbox?: string | undefined;
      attempts?: number;
      cause?: unknown;
    },
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'GraphError';
    this.code = init.code;
    this.status = init.status;
    this.requestId = init.requestId;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
    this.mailbox = init.mailbox;
    this.attempts = init.attempts ?? 1;
  }

  toConsoleError(): ConsoleError {
    return new ConsoleError(consoleCodeForGraph(this), this.message, {
      retryable: this.retryable,
      cause: this,
    });
  }
}

export function isRetryableGraphStatus(status: number): boolean {
  return status === 429 || status === 503 || status === 504 || status === 502 || status === 500;
}

export function consoleCodeForGraph(error: Pick<GraphError, 'code' | 'status'>): ErrorCode {
  if (error.code === 'cancelled') return 'cancelled';
  if (error.code === 'timeout') return 'timeout';
  if (error.code === 'network_error') return 'unavailable';
  if (error.code === 'bad_reply') return 'bad_reply';
  switch (error.status) {
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 412:
      return 'precondition_failed';
    case 429:
      return 'rate_limited';
    case 400:
      return 'bad_input';
    default:
      return error.status !== null && error.status >= 500 ? 'unavailable' : 'internal';
  }
}

/** The request id from an error body's innerError (`request-id` or `requestId`) or the response headers. */
export function requestIdFrom(
  body: unknown,
  headers?: { get(name: string): string | null },
): string | undefined {
  const parsed = GraphErrorBody.safeParse(body);
  const inner = parsed.success ? parsed.data.error.innerError : undefined;
  const fromBody = inner?.['request-id'] ?? inner?.['requestId'];
  if (typeof fromBody === 'string' && fromBody.length > 0) return fromBody;
  return headers?.get('request-id') ?? headers?.get('client-request-id') ?? undefined;
}

/** Maps a Graph error reply (status, parsed body or not) to a GraphError with an actionable message. */
export function graphErrorFrom(
  status: number,
  body: unknown,
  context: {
    what: string;
    mailbox?: string | undefined;
    retryAfterMs?: number | undefined;
    headers?: { get(name: string): string | null };
  },
): GraphError {
  const parsed = GraphErrorBody.safeParse(body);
  const graphCode = parsed.success ? parsed.data.error.code : undefined;
  const graphMessage = parsed.success ? parsed.data.error.message : undefined;
  const code = graphCode !== undefined && graphCode.length > 0 ? graphCode : `http_${status}`;
  const requestId = requestIdFrom(body, context.headers);
  let hint = '';
  if (status === 401) hint = ' The Graph token is missing or expired: sign in again.';
  else if (status === 403)
    hint =
      ' The app or the signed-in operator lacks the permission (e.g. Calendars.Read for the university tenant): ask the tenant administrator.';
  else if (status === 404)
    hint = context.mailbox ? ` Graph does not know this item in mailbox ${context.mailbox}.` : '';
  else if (status === 429)
    hint = ' Microsoft Graph is throttling this app; the console waits as told and retries.';
  const message =
    `Microsoft Graph answered ${status} ${code} to ${context.what}${graphMessage ? `: ${graphMessage.slice(0, 300).replace(/\.+$/, '')}` : ''}.${hint}` +
    (requestId ? ` (request-id ${requestId})` : '');
  return new GraphError(message, {
    code,
    status,
    requestId,
    retryable: isRetryableGraphStatus(status),
    retryAfterMs: context.retryAfterMs,
    mailbox: context.mailbox,
  });
}
