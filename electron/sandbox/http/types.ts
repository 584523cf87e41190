import type { IncomingHttpHeaders } from 'node:http';

/** A fully-read request, independent of node:http so handlers are plain functions. */
export interface SandboxRequest {
  method: string;
  /** Path without the mount prefix, e.g. `/connections/u_01…`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  params: Record<string, string>;
  remoteAddress: string;
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON unless it is a string or Buffer. */
  body?: unknown;
  /** Destroy the socket instead of answering (a simulated connection reset). */
  abort?: boolean;
  /** Hold the answer this long (latency and slow-reply faults). */
  delayMs?: number;
}

export type Handler = (req: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>;

export function header(req: SandboxRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SandboxResponse {
  return { status, body, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } };
}
