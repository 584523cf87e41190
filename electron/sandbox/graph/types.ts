import type { GraphAccessClaims } from '../identity/index.ts';

/** One Graph call, top-level or inside a $batch, after the transport is peeled off. */
export interface GraphRequest {
  method: string;
  /** Path below /v1.0, starting with `/` (e.g. `/users/x/calendarView`). */
  path: string;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Parsed JSON body, or undefined. */
  body: unknown;
}

export interface GraphResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export type Principal =
  | { kind: 'app'; claims: GraphAccessClaims; roles: string[] }
  | { kind: 'user'; claims: GraphAccessClaims; scopes: string[] };

/** What a handler knows about the call: who, where to link back to, and the request's ids. */
export interface CallContext {
  principal: Principal;
  /** Absolute base for @odata links, e.g. http://127.0.0.1:5123/graph/v1.0 */
  baseUrl: string;
  requestId: string;
  clientRequestId: string | undefined;
}
