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

/** Characters of a long string written per piece by `streamEnvelope` (a bound on what one write holds). */
export const STREAM_PIECE_CHARS = 64 * 1024;

/**
 * Sends an envelope whose value holds one long string (an export's CSV) as a bounded stream: the JSON is
 * written piece by piece, waiting for the socket to drain between pieces, so neither the whole JSON text
 * nor a copy of it in the socket's buffer exists at once. The bytes are exactly `JSON.stringify(envelope)`.
 * Resolves once everything is handed to the socket (or the connection is gone).
 */
export async function streamEnvelope(res: ServerResponse, envelope: Envelope<unknown>): Promise<void> {
  if (res.headersSent || res.destroyed) return;
  const value = envelope.ok ? envelope.value : null;
  const long =
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.entries(value).find(
          ([, field]) => typeof field === 'string' && field.length > STREAM_PIECE_CHARS,
        )
      : undefined;
  if (long === undefined) {
    sendEnvelope(res, envelope);
    return;
  }
  const [name, text] = long as [string, string];
  // A marker no JSON string escape can produce stands in for the long string, and is split out again.
  const marker = `\u0000stream-${Math.random().toString(36).slice(2)}\u0000`;
  const framed = JSON.stringify({ ...envelope, value: { ...(value as object), [name]: marker } });
  const [before, after] = framed.split(JSON.stringify(marker)) as [string, string];
  applySecurityHeaders(res);
  res.writeHead(statusFor(envelope), {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  const write = async (piece: string): Promise<boolean> => {
    if (res.destroyed) return false;
    if (!res.write(piece)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
    return !res.destroyed;
  };
  if (!(await write(`${before}"`))) return;
  for (let at = 0; at < text.length;) {
    let end = Math.min(at + STREAM_PIECE_CHARS, text.length);
    // Never cut a surrogate pair: each piece is escaped on its own.
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end += 1;
    if (!(await write(JSON.stringify(text.slice(at, end)).slice(1, -1)))) return;
    at = end;
  }
  res.end(`"${after}`);
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
