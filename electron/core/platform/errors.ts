import { ConsoleError, type ErrorCode, type ErrorIssue } from '../../../shared/contract/errors.ts';
import { type ContractViolationError, UnknownEnumValueError } from '../../../shared/domain/validate.ts';
import { formatBytes } from '../net/body-limit.ts';
import { formatSeconds } from '../net/deadline.ts';

/**
 * Every failure of a platform call is a `PlatformError`. `code` is either the platform's own
 * stable problem code (`not_found`, `invalid_cursor`, `precondition_failed`, …) or one of the
 * client-side codes below for failures that never produced a problem document.
 */
export const CLIENT_ERROR_CODES = [
  /** The connection failed or was reset before a complete reply arrived. */
  'network_error',
  /** No complete reply within the per-request timeout. */
  'timeout',
  /** The caller aborted. */
  'cancelled',
  /** The reply was not what the contract promises (content type, JSON, shape). */
  'bad_reply',
  /** The reply used an enum value this console does not know (a newer platform). */
  'unknown_enum_value',
  /** An error status without a problem document (e.g. a gateway's 502 page). */
  'http_error',
  /** The caller's input was refused before sending (bad limit, ttl, key). */
  'bad_input',
  /** The reply was larger than any the contract allows for this endpoint (never retried). */
  'reply_too_large',
] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

export interface PlatformErrorInit {
  code: string;
  status: number | null;
  title: string;
  detail?: string | undefined;
  retryable: boolean;
  type?: string | undefined;
  /** Milliseconds the platform asked us to wait (Retry-After), when it did. */
  retryAfterMs?: number | undefined;
  userId?: string | undefined;
  /** For contract violations: the fields concerned (no values). */
  issues?: readonly ErrorIssue[] | undefined;
  /** For unknown enum values: the field and the value. */
  field?: string | undefined;
  value?: string | undefined;
  /** How many attempts were made before giving up. */
  attempts?: number | undefined;
  cause?: unknown;
}

export class PlatformError extends Error {
  readonly code: string;
  readonly status: number | null;
  readonly title: string;
  readonly detail: string | undefined;
  readonly retryable: boolean;
  readonly type: string;
  readonly retryAfterMs: number | undefined;
  readonly userId: string | undefined;
  readonly issues: readonly ErrorIssue[] | undefined;
  readonly field: string | undefined;
  readonly value: string | undefined;
  attempts: number;

  constructor(message: string, init: PlatformErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'PlatformError';
    this.code = init.code;
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    this.retryable = init.retryable;
    this.type = init.type ?? 'about:blank';
    this.retryAfterMs = init.retryAfterMs;
    this.userId = init.userId;
    this.issues = init.issues;
    this.field = init.field;
    this.value = init.value;
    this.attempts = init.attempts ?? 1;
  }

  /** The contract's error for the UI: a code the renderer switches on and a message fit for support. */
  toConsoleError(): ConsoleError {
    const options: { issues?: ErrorIssue[]; retryable: boolean; cause: unknown } = {
      retryable: this.retryable,
      cause: this,
    };
    if (this.issues && this.issues.length > 0) options.issues = [...this.issues];
    return new ConsoleError(consoleCodeFor(this), this.message, options);
  }
}

/** Maps a platform failure to the console's contract codes (shared/contract/errors.ts). */
export function consoleCodeFor(error: Pick<PlatformError, 'code' | 'status'>): ErrorCode {
  switch (error.code) {
    case 'cancelled':
      return 'cancelled';
    case 'timeout':
      return 'timeout';
    case 'network_error':
      return 'unavailable';
    case 'bad_reply':
    case 'unknown_enum_value':
    case 'reply_too_large':
      return 'bad_reply';
    case 'precondition_failed':
      return 'precondition_failed';
    case 'not_found':
      return 'not_found';
    case 'bad_input':
      return 'bad_input';
    default:
      break;
  }
  const status = error.status;
  if (status === null) return 'internal';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409 || status === 422) return 'conflict';
  if (status === 412) return 'precondition_failed';
  if (status === 429) return 'rate_limited';
  if (status === 400) return 'bad_input';
  if (status >= 500) return 'unavailable';
  return 'internal';
}

/** The scope an operation needs, so a 403 message can say exactly what to ask for. */
export function scopeFor(method: string, path: string): string {
  if (method === 'GET') return 'calendar-sync:read';
  if (path.includes('/magic-links')) return 'magic-links:write';
  return 'calendar-sync:write';
}

export interface RequestDescription {
  method: string;
  /** Path relative to the base URL, e.g. `/connections/u_1`. No query string (it may hold personal data). */
  path: string;
  userId?: string | undefined;
}

function describe(request: RequestDescription): string {
  return `${request.method} ${request.path}`;
}

/** Builds the error for a reply with an RFC 9457 problem document. */
export function errorFromProblem(
  request: RequestDescription,
  status: number,
  problem: {
    code: string;
    title: string;
    detail?: string | undefined;
    type?: string | undefined;
    requiredScope?: string | undefined;
  },
  retryAfterMs: number | undefined,
): PlatformError {
  const retryable = isRetryableStatus(status) || problem.code === 'idempotency_key_in_use';
  const detail = problem.detail;
  let message: string;
  switch (status) {
    case 401:
      message =
        'The platform refused the API key (401). Check that the key configured for this console is current and ' +
        'was copied whole; if it was revoked or expired, ask the platform administrator for a new one.';
      break;
    case 403:
      message =
        `The API key is valid but may not do this (403 on ${describe(request)}). Ask the platform administrator ` +
        `to grant the key the "${problem.requiredScope ?? scopeFor(request.method, request.path)}" scope.`;
      break;
    case 404:
      message = request.userId
        ? `The platform has no user ${request.userId} (404). The user may have been removed; refresh the list.`
        : `The platform does not know ${describe(request)} (404). Check the platform URL.`;
      break;
    case 412:
      message =
        'Someone changed this connection since the console last read it (412 precondition_failed). ' +
        'Refresh it and try again.';
      break;
    case 429:
      message =
        'The platform is rate limiting this console (429). The console slows down and retries on its own.';
      break;
    default:
      message = `The platform answered ${status} ${problem.code} to ${describe(request)}: ${problem.title}${detail ? ` (${detail})` : ''}.`;
  }
  return new PlatformError(message, {
    code: problem.code,
    status,
    title: problem.title,
    detail,
    retryable,
    type: problem.type,
    retryAfterMs,
    userId: request.userId,
  });
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/** Where to fix the URL, for the app and the CLI alike (the CLI has no Settings page). */
const CHECK_URL =
  'check the platform URL (Settings → Career platform in the console, --platform-url on the command line).';

/** An error status that came without a problem document (proxies, gateways, crashes). */
export function errorFromBareStatus(
  request: RequestDescription,
  status: number,
  contentType: string,
  retryAfterMs: number | undefined,
): PlatformError {
  const html = /text\/html/i.test(contentType);
  const what = html ? 'a web page' : contentType ? `"${contentType.slice(0, 60)}"` : 'an empty reply';
  let message = `The platform address answered ${status} with ${what} instead of an API error to ${describe(request)}.`;
  if (status >= 300 && status < 400) {
    message =
      `The platform address redirected ${describe(request)} (${status}) instead of answering. A sign-in gateway ` +
      `or proxy may be in front of the API, or the platform URL is incomplete: ${CHECK_URL}`;
  } else if (status === 401 || status === 403) {
    message +=
      ' Something in front of the platform (a proxy or single sign-on gateway) refused the request: check the platform URL.';
  } else if (html) {
    message += ` A proxy or firewall may be in the way, or the platform URL is wrong: ${CHECK_URL}`;
  }
  return new PlatformError(message, {
    code: 'http_error',
    status,
    title: `HTTP ${status}`,
    retryable: isRetryableStatus(status),
    retryAfterMs,
    userId: request.userId,
  });
}

export function badReply(
  request: RequestDescription,
  status: number,
  reason: string,
  retryable: boolean,
  cause?: unknown,
): PlatformError {
  return new PlatformError(`The platform's reply to ${describe(request)} could not be used: ${reason}.`, {
    code: 'bad_reply',
    status,
    title: 'Unusable reply',
    detail: reason,
    retryable,
    userId: request.userId,
    cause,
  });
}

/** Wraps a schema violation from shared/domain, keeping the field, value and user it names. */
export function errorFromViolation(
  request: RequestDescription,
  status: number,
  violation: ContractViolationError,
): PlatformError {
  const base = {
    status,
    retryable: false,
    userId: violation.userId ?? request.userId,
    issues: violation.issues,
    cause: violation,
  };
  if (violation instanceof UnknownEnumValueError) {
    return new PlatformError(violation.message, {
      ...base,
      code: 'unknown_enum_value',
      title: 'Unknown value from a newer platform',
      detail: `${violation.field}: ${violation.value}`,
      field: violation.field,
      value: violation.value,
    });
  }
  return new PlatformError(violation.message, {
    ...base,
    code: 'bad_reply',
    title: 'Reply does not match the contract',
    detail: violation.issues.map((i) => i.path).join(', '),
    field: violation.issues[0]?.path,
  });
}

export function cancelled(request: RequestDescription, cause: unknown): PlatformError {
  return new PlatformError(`${describe(request)} was cancelled.`, {
    code: 'cancelled',
    status: null,
    title: 'Cancelled',
    retryable: false,
    userId: request.userId,
    cause,
  });
}

export function timedOut(request: RequestDescription, timeoutMs: number): PlatformError {
  return new PlatformError(
    `The platform did not answer ${describe(request)} within ${Math.round(timeoutMs / 100) / 10} s. ` +
      'It may be overloaded or unreachable; the console will retry later.',
    { code: 'timeout', status: null, title: 'Timed out', retryable: true, userId: request.userId },
  );
}

export function networkError(request: RequestDescription, cause: unknown): PlatformError {
  const reason = describeNetworkCause(cause);
  return new PlatformError(
    `Could not reach the platform for ${describe(request)} (${reason}). Check the network and the platform URL.`,
    {
      code: 'network_error',
      status: null,
      title: 'Network error',
      detail: reason,
      retryable: true,
      userId: request.userId,
      cause,
    },
  );
}

/** A short, payload-free reason from undici's nested causes (`ECONNRESET`, `ECONNREFUSED`, certificate errors, …). */
export function describeNetworkCause(cause: unknown): string {
  let node: unknown = cause;
  let innermost = cause instanceof Error ? cause.message : 'unknown failure';
  for (let depth = 0; depth < 4 && node instanceof Error; depth += 1) {
    const code = (node as Error & { code?: unknown }).code;
    if (typeof code === 'string' && code.length > 0) return code;
    innermost = node.message;
    node = node.cause;
  }
  // No system error code: the innermost message is the specific one ("bad port", not "fetch failed"),
  // except when it is about a header: fetch quotes the whole header value, which may be a key.
  if (/header/i.test(innermost)) return 'a request header was refused by the network layer';
  return innermost.slice(0, 120);
}

export function replyTooLarge(
  request: RequestDescription,
  limitBytes: number,
  cause: unknown,
): PlatformError {
  return new PlatformError(
    `The platform's reply to ${describe(request)} is larger than ${formatBytes(limitBytes)}, more than the ` +
      'contract allows for it; it was not read further and will not be retried. A proxy or the wrong platform URL may be answering.',
    {
      code: 'reply_too_large',
      status: null,
      title: 'Reply too large',
      retryable: false,
      userId: request.userId,
      cause,
    },
  );
}

/**
 * The error a call ends with after retries, saying truthfully what happened: how many attempts
 * over how long, and whether the overall deadline (rather than one attempt's timeout) ended it.
 */
export function afterRetries(
  request: RequestDescription,
  last: PlatformError | null,
  outcome: { attempts: number; elapsedMs: number; deadlineMs?: number | undefined; inFlight?: boolean },
): PlatformError {
  if (last !== null) last.attempts = outcome.attempts;
  if (last !== null && outcome.deadlineMs === undefined && outcome.attempts <= 1) return last;
  const tried =
    outcome.attempts === 0
      ? 'no request could go out yet: it was waiting for its turn under the rate limit'
      : outcome.attempts === 1
        ? '1 attempt'
        : `${outcome.attempts} attempts over ${formatSeconds(outcome.elapsedMs)}`;
  let message: string;
  if (outcome.deadlineMs === undefined)
    message = `${(last as PlatformError).message} (Gave up after ${tried}.)`;
  else {
    const what =
      outcome.attempts === 0
        ? 'nothing was sent'
        : outcome.inFlight === true || last === null
          ? 'attempt ' + String(outcome.attempts) + ' was still waiting for a reply when time ran out'
          : `the last failed: ${last.message}`;
    message =
      `No complete answer to ${describe(request)} within the deadline of ${formatSeconds(outcome.deadlineMs)} ` +
      `(${tried}; ${what}). The platform may be overloaded or unreachable.`;
  }
  return new PlatformError(message, {
    code: outcome.deadlineMs === undefined && last !== null ? last.code : 'timeout',
    status: outcome.deadlineMs === undefined ? (last?.status ?? null) : null,
    title: outcome.deadlineMs === undefined && last !== null ? last.title : 'Deadline passed',
    detail: last?.detail,
    retryable: true,
    type: last?.type,
    retryAfterMs: last?.retryAfterMs,
    userId: last?.userId ?? request.userId,
    issues: last?.issues,
    field: last?.field,
    value: last?.value,
    attempts: outcome.attempts,
    cause: last ?? undefined,
  });
}
