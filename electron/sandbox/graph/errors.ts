import type { GraphResponse } from './types.ts';

/**
 * Graph's error body: `{ error: { code, message, innerError: { date, request-id, client-request-id } } }`
 * (concepts/errors.md). Throttling answers add the innerError fields of Microsoft's 429 sample
 * (`code`/`status` as the strings "429") and a fractional `Retry-After`.
 */

export const JSON_CONTENT_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** Graph writes innerError.date without a zone and without fractions: `2025-02-13T10:17:05`. */
export function graphDate(now: Date): string {
  return now.toISOString().slice(0, 19);
}

export interface ErrorIds {
  requestId: string;
  clientRequestId: string | undefined;
  now: Date;
}

export function graphError(
  ids: ErrorIds,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): GraphResponse {
  const innerError: Record<string, string> = { date: graphDate(ids.now), 'request-id': ids.requestId };
  if (ids.clientRequestId) innerError['client-request-id'] = ids.clientRequestId;
  return {
    status,
    headers: { 'Cache-Control': 'no-cache', 'Content-Type': 'application/json', ...headers },
    body: { error: { code, message, innerError } },
  };
}

/** Seconds as Graph sends them in Retry-After: fractional, never below a millisecond. */
export function retryAfterSeconds(ms: number): string {
  return String(Math.max(0.001, Math.round(ms) / 1000));
}

export function throttled(ids: ErrorIds, code: string, message: string, retryAfterMs: number): GraphResponse {
  const res = graphError(ids, 429, code, message, { 'Retry-After': retryAfterSeconds(retryAfterMs) });
  const body = res.body as { error: { innerError: Record<string, string> } };
  Object.assign(body.error.innerError, { code: '429', status: '429', message: 'Please retry after' });
  return res;
}
