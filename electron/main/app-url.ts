import { APP_HOST, APP_ORIGIN, APP_SCHEME } from '../../shared/security/csp.ts';

/** The page every window loads. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * True only for URLs on `app://console` exactly. WHATWG `URL#origin` is "null" for schemes it does
 * not know (like `app:`), so the origin is compared part by part instead; a port, a user name or
 * another host is a different origin and is refused.
 */
export function isAppUrl(raw: unknown): boolean {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 8192) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return (
    url.protocol === `${APP_SCHEME}:` &&
    url.hostname === APP_HOST &&
    url.port === '' &&
    url.username === '' &&
    url.password === ''
  );
}
