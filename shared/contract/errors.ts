import { z } from 'zod';

/**
 * Every failure that crosses the process boundary (IPC or the browser host) is one of these codes.
 * The renderer switches on `code`; `message` is written for a support person, never a stack trace.
 */
export const ErrorCode = z.enum([
  'bad_input',
  'unknown_method',
  'payload_too_large',
  'bad_sender',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'precondition_failed',
  'rate_limited',
  'unavailable',
  'bad_reply',
  'cancelled',
  'timeout',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorIssue = z.object({
  path: z.string().max(500),
  message: z.string().max(500),
});
export type ErrorIssue = z.infer<typeof ErrorIssue>;

export const ApiError = z.object({
  code: ErrorCode,
  message: z.string().max(2000),
  issues: z.array(ErrorIssue).max(50).optional(),
  retryable: z.boolean().optional(),
});
export type ApiError = z.infer<typeof ApiError>;

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const EnvelopeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ApiError }),
]);

/**
 * Thrown by core services and by the renderer client. Core code throws it with a code and a
 * message fit for the user; the dispatcher turns anything else into `internal` without details.
 */
export class ConsoleError extends Error {
  readonly code: ErrorCode;
  readonly issues: ErrorIssue[] | undefined;
  readonly retryable: boolean | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options?: { issues?: ErrorIssue[]; retryable?: boolean; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConsoleError';
    this.code = code;
    this.issues = options?.issues;
    this.retryable = options?.retryable;
  }

  toApiError(): ApiError {
    const out: ApiError = { code: this.code, message: this.message };
    if (this.issues && this.issues.length > 0) out.issues = this.issues.slice(0, 50);
    if (this.retryable !== undefined) out.retryable = this.retryable;
    return out;
  }

  static fromApiError(error: ApiError): ConsoleError {
    const options: { issues?: ErrorIssue[]; retryable?: boolean } = {};
    if (error.issues) options.issues = error.issues;
    if (error.retryable !== undefined) options.retryable = error.retryable;
    return new ConsoleError(error.code, error.message, options);
  }
}

/** Turns zod issues into short, payload-free issue lines (paths and messages only, never values). */
export function issuesFromZod(error: z.ZodError): ErrorIssue[] {
  return error.issues.slice(0, 50).map((issue) => ({
    path: issue.path.map(String).join('.').slice(0, 500) || '(root)',
    message: issue.message.slice(0, 500),
  }));
}
