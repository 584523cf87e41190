import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Protocol } from 'electron';
import type { Logger } from '../core/log/logger.ts';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from '../../shared/security/csp.ts';
import { mimeTypeFor } from '../core/static/mime-types.ts';

/**
 * `app://` must be registered as privileged before the app is ready: `standard` gives it real
 * origins and relative URL resolution, `secure` makes it a secure context like https, and
 * `supportFetchAPI` lets the renderer fetch its own assets. Nothing else (no CORS bypass, no
 * service workers, no streaming of arbitrary files).
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const;

export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { ...APP_SCHEME_PRIVILEGES, privileges: { ...APP_SCHEME_PRIVILEGES.privileges } },
  ]);
}

/** Sent with every answer, errors included, so no response from our origin is ever without a CSP. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-cache',
};

export type AppRequestHandler = (request: Request) => Promise<Response>;

type Resolution =
  { kind: 'file'; path: string } | { kind: 'refused'; status: 400 | 403 | 404 | 405; reason: string };

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * Maps a request URL to a file under the renderer folder, or says why not. Works on the decoded
 * path, so `%2e%2e`, `%2f` and `%5c` tricks meet the same `..` check as a plain `../`, then
 * confirms the real path (symlinks resolved) is still inside the folder.
 */
export async function resolveAppRequest(
  rendererRoot: string,
  rawUrl: string,
  method: string,
): Promise<Resolution> {
  if (method !== 'GET' && method !== 'HEAD')
    return { kind: 'refused', status: 405, reason: 'method not allowed' };
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { kind: 'refused', status: 400, reason: 'unreadable url' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.hostname !== APP_HOST || url.port !== '') {
    return { kind: 'refused', status: 404, reason: 'unknown host' };
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return { kind: 'refused', status: 400, reason: 'bad percent-encoding' };
  }
  if (decoded.includes('\0')) return { kind: 'refused', status: 400, reason: 'nul byte in path' };
  const segments = decoded.split(/[\\/]+/).filter((segment) => segment !== '');
  // `..` and `.` are traversal; a colon is a Windows drive letter or an NTFS alternate data stream.
  if (segments.some((segment) => segment === '..' || segment === '.' || segment.includes(':'))) {
    return { kind: 'refused', status: 403, reason: 'path traversal' };
  }
  if (decoded.endsWith('/') || decoded.endsWith('\\') || segments.length === 0) segments.push('index.html');

  const root = resolve(rendererRoot);
  const candidate = resolve(root, ...segments);
  if (!isInside(root, candidate))
    return { kind: 'refused', status: 403, reason: 'outside the renderer folder' };

  let realRoot: string;
  let realCandidate: string;
  try {
    realRoot = await realpath(root);
    realCandidate = await realpath(candidate);
  } catch {
    return { kind: 'refused', status: 404, reason: 'no such file' };
  }
  if (!isInside(realRoot, realCandidate))
    return { kind: 'refused', status: 403, reason: 'link leaves the renderer folder' };
  try {
    if (!(await stat(realCandidate)).isFile()) return { kind: 'refused', status: 404, reason: 'not a file' };
  } catch {
    return { kind: 'refused', status: 404, reason: 'no such file' };
  }
  return { kind: 'file', path: realCandidate };
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
};

function refusal(status: number): Response {
  return new Response(STATUS_TEXT[status] ?? 'Error', {
    status,
    headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' },
  });
}

/** The `protocol.handle('app', ...)` handler: the built renderer and nothing else. */
export function createAppRequestHandler(options: { rendererDir: string; logger: Logger }): AppRequestHandler {
  const { rendererDir, logger } = options;
  return async (request) => {
    const resolution = await resolveAppRequest(rendererDir, request.url, request.method);
    if (resolution.kind === 'refused') {
      // 404s for probes such as favicon.ico are routine; anything else is worth a line in the log.
      const level = resolution.status === 404 ? 'debug' : 'warn';
      logger[level]('app protocol refused a request', {
        status: resolution.status,
        reason: resolution.reason,
        url: request.url.slice(0, 300),
      });
      return refusal(resolution.status);
    }
    let body: Buffer;
    try {
      body = await readFile(resolution.path);
    } catch (error) {
      logger.error('app protocol could not read a file', {
        error: error instanceof Error ? error.message : String(error),
      });
      return refusal(500);
    }
    const headers = {
      ...SECURITY_HEADERS,
      'content-type': mimeTypeFor(resolution.path),
      'content-length': String(body.byteLength),
    };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}

export function serveRendererOverAppProtocol(
  protocol: Pick<Protocol, 'handle'>,
  options: { rendererDir: string; logger: Logger },
): void {
  protocol.handle(APP_SCHEME, createAppRequestHandler(options));
}
