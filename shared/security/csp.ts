/**
 * The renderer's Content-Security-Policy, the same in Electron (`app://` protocol responses and the
 * page's meta tag) and in the browser host (response header). It starts from `default-src 'none'`
 * and opens only what the built renderer needs from its own origin.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** The custom protocol the Electron app serves the renderer from (never file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'console';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
