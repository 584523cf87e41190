/**
 * SHA-256 of the empty string. Griffel (Fluent UI's CSS-in-JS) and FluentProvider create EMPTY
 * `<style>` elements and then fill them through CSSOM `insertRule`, which CSP does not police; but
 * Chromium blocks the empty element itself under plain `style-src 'self'`, and with it every rule.
 * Allowing exactly the empty inline style admits no CSS from markup. See docs/decisions/0001-csp.md.
 */
export const EMPTY_INLINE_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='";

/**
 * The renderer's Content-Security-Policy, the same in Electron (`app://` protocol responses) and in
 * the browser host (response header); the page's meta tag carries META_CONTENT_SECURITY_POLICY.
 * It starts from `default-src 'none'` and opens only what the built renderer needs from its own origin.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  `style-src 'self' ${EMPTY_INLINE_STYLE_HASH}`,
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** Directives a `<meta>` policy cannot carry: browsers ignore them there and log an error. */
const HEADER_ONLY_DIRECTIVES = new Set(['frame-ancestors', 'report-uri', 'sandbox']);

/**
 * The policy for renderer/index.html's meta tag: the same policy minus header-only directives
 * (they still arrive by header from both hosts). A unit test keeps the HTML equal to this.
 */
export const META_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.split('; ')
  .filter((directive) => !HEADER_ONLY_DIRECTIVES.has(directive.split(' ', 1)[0] ?? ''))
  .join('; ');

/** The custom protocol the Electron app serves the renderer from (never file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'console';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
