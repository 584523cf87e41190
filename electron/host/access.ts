import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { HOST_SESSION_COOKIE } from '../../shared/contract/bridge.ts';

/**
 * Who may talk to the browser host. Listening on 127.0.0.1 keeps other machines out; these checks
 * keep out everything else on this machine that is not the operator's own tab:
 * - the one-time token proves the browser is the one the operator opened from the printed URL;
 * - the session cookie (HttpOnly, SameSite=Strict) proves it on every later request;
 * - the exact Host header defeats DNS rebinding (a hostile name resolved to 127.0.0.1 still says its own name);
 * - the Origin header and Sec-Fetch-Site defeat cross-origin requests that would ride on the cookie,
 *   including pages on other local ports, which count as same-site and so still get the cookie.
 */

/** Cookies are shared by every port of a host, so the port is part of the name: two hosts never log each other out. */
export function sessionCookieName(port: number): string {
  return `${HOST_SESSION_COOKIE}_${port}`;
}

export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

export class AccessControl {
  readonly port: number;
  readonly cookieName: string;
  private token: string | null;
  private readonly sessions = new Set<string>();

  constructor(port: number, token: string = randomSecret()) {
    this.port = port;
    this.cookieName = sessionCookieName(port);
    this.token = token;
  }

  /** The token for the printed URL. Throws once it was used: the URL is good for one browser only. */
  launchToken(): string {
    if (this.token === null) throw new Error('The one-time token was already exchanged for a session.');
    return this.token;
  }

  /** Trades the one-time token for a new session id; null if the token is wrong or already used. */
  exchangeToken(candidate: string): string | null {
    if (this.token === null || !sameSecret(candidate, this.token)) return null;
    this.token = null;
    const session = randomSecret();
    this.sessions.add(session);
    return session;
  }

  hasSession(headers: IncomingHttpHeaders): boolean {
    const value = readCookie(headers.cookie, this.cookieName);
    if (value === null) return false;
    for (const session of this.sessions) if (sameSecret(value, session)) return true;
    return false;
  }

  sessionCookie(session: string): string {
    return `${this.cookieName}=${session}; Path=/; HttpOnly; SameSite=Strict`;
  }

  /** `127.0.0.1:<port>` or `localhost:<port>`, nothing else (no other names, no missing port). */
  hostAllowed(host: string | undefined): boolean {
    if (host === undefined) return false;
    const wanted = host.toLowerCase();
    return wanted === `127.0.0.1:${this.port}` || wanted === `localhost:${this.port}`;
  }

  /** Our own origin is the scheme plus the Host header the request came in with (already vetted). */
  originAllowed(origin: string, host: string): boolean {
    return origin.toLowerCase() === `http://${host.toLowerCase()}`;
  }

  /**
   * The checks every request and upgrade pass before anything else, in order; null when they pass.
   * Sec-Fetch-Site is only sent by browsers, and then truthfully: anything other than our own
   * origin or the operator typing/clicking the URL (`none`) is refused.
   */
  screen(headers: IncomingHttpHeaders): { reason: string } | null {
    const host = headers.host;
    if (!this.hostAllowed(host) || host === undefined) return { reason: 'host' };
    const origin = headers.origin;
    if (origin !== undefined && !this.originAllowed(origin, host)) return { reason: 'origin' };
    const site = headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return { reason: 'fetch-site' };
    return null;
  }

  /** A state-changing POST must prove it comes from our page: an Origin (checked by `screen`) or Sec-Fetch-Site. */
  provesSameOrigin(headers: IncomingHttpHeaders): boolean {
    return headers.origin !== undefined || headers['sec-fetch-site'] === 'same-origin';
  }
}

/** The value of one cookie from a Cookie header, or null. Malformed pairs are skipped, not fatal. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (header === undefined) return null;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    if (pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return null;
}
