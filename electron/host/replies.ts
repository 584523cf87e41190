import type { ServerResponse } from 'node:http';
import { ConsoleError, type Envelope, type ErrorCode } from '../../shared/contract/index.ts';
import { CONTENT_SECURITY_POLICY } from '../../shared/security/csp.ts';

/** Sent on every response, error pages included: the page cannot be framed, leak its URL, or be read cross-origin. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy':
    'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=(), bluetooth=(), payment=(), midi=(), display-capture=(), clipboard-read=(), interest-cohort=()',
};

/** HTTP status per error code. The renderer reads the envelope, not the status; the status is for logs, proxies and curl. */
export const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  bad_input: 400,
  unknown_method: 404,
  payload_too_large: 413,
  bad_sender: 403,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  rate_limited: 429,
  unavailable: 503,
  bad_reply: 502,
  cancelled: 499,
  timeout: 504,
  internal: 500,
};

export function statusFor(envelope: Envelope<unknown>): number {
  return envelope.ok ? 200 : STATUS_BY_CODE[envelope.error.code];
}

function applySecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}

export interface ReplyOptions {
  /** Overrides the status derived from the error code where HTTP has a more precise one (405, 415). */
  status?: number;
  headers?: Record<string, string>;
}

export function sendEnvelope(
  res: ServerResponse,
  envelope: Envelope<unknown>,
  options: ReplyOptions = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify(envelope);
  applySecurityHeaders(res);
  res.writeHead(options.status ?? statusFor(envelope), {
    ...options.headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

export function sendError(
  res: ServerResponse,
  code: ErrorCode,
  message: string,
  options: ReplyOptions = {},
): void {
  sendEnvelope(res, { ok: false, error: new ConsoleError(code, message).toApiError() }, options);
}

export function sendPage(
  res: ServerResponse,
  status: number,
  title: string,
  text: string,
  head = false,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  // No user input ever reaches these pages, but escape anyway so that stays harmless if it changes.
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>\n`;
  applySecurityHeaders(res);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(head ? undefined : body);
}

export function sendRedirect(
  res: ServerResponse,
  location: string,
  headers: Record<string, string> = {},
): void {
  applySecurityHeaders(res);
  res.writeHead(303, { ...headers, Location: location, 'Cache-Control': 'no-store', 'Content-Length': 0 });
  res.end();
}

export function withSecurityHeaders(res: ServerResponse): ServerResponse {
  applySecurityHeaders(res);
  return res;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
