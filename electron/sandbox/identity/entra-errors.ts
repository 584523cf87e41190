import { randomUUID } from 'node:crypto';

/**
 * OAuth errors in the shape Entra ID answers them: the RFC 6749 `error` plus `error_description`
 * starting with the AADSTS code, `error_codes`, `timestamp`, `trace_id`, `correlation_id`, `error_uri`.
 * MSAL surfaces `error_codes` and the AADSTS prefix to applications, so clients branch on them.
 */

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'authorization_pending'
  | 'slow_down'
  | 'expired_token'
  | 'login_required'
  | 'interaction_required'
  | 'unsupported_response_type'
  | 'temporarily_unavailable';

export interface OAuthProblem {
  error: OAuthErrorCode;
  aadsts: number;
  message: string;
  /** HTTP status for the token endpoint; invalid_client is 401 as RFC 6749 §5.2 requires. */
  status: number;
}

export function problem(error: OAuthErrorCode, aadsts: number, message: string): OAuthProblem {
  const status = error === 'invalid_client' ? 401 : 400;
  return { error, aadsts, message, status };
}

export interface EntraErrorBody {
  error: OAuthErrorCode;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
}

/** Entra's timestamp format: `2024-05-01 12:34:56Z`. */
export function entraTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

export function entraErrorBody(
  p: OAuthProblem,
  now: Date,
  authorityOrigin: string,
  correlationId?: string,
): EntraErrorBody {
  const traceId = randomUUID();
  const correlation = correlationId && /^[0-9a-f-]{36}$/i.test(correlationId) ? correlationId : randomUUID();
  const timestamp = entraTimestamp(now);
  return {
    error: p.error,
    error_description: `AADSTS${p.aadsts}: ${p.message} Trace ID: ${traceId} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
    error_codes: [p.aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlation,
    error_uri: `${authorityOrigin}/error?code=${p.aadsts}`,
  };
}
