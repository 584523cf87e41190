/**
 * Where the platform API key may be sent: https anywhere, plain http only to this computer (a
 * local test platform or the demo sandbox). One rule for the Settings form, the CLI and the
 * client itself, so no path sends the key in clear over a network.
 */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase()) || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** Null when the URL may carry the key, else a sentence saying why not (never quoting the URL's secrets). */
export function platformUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'The platform URL is not a valid address.';
  }
  if (url.username !== '' || url.password !== '')
    return 'The platform URL must not contain a user name or password.';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return null;
  if (url.protocol === 'http:')
    return 'The platform URL must be https:// (http:// only for this computer): the API key would travel unencrypted.';
  return 'The platform URL must be an https:// address.';
}

/** An API key is visible ASCII only: no spaces, line breaks, NUL or direction-override characters. */
export const API_KEY_CHARACTERS = /^[\x21-\x7e]+$/;

/**
 * A platform user id as it may appear in a URL path: letters, digits and `_ . ~ -`, starting with a
 * letter or digit (so never `.` or `..`, which would walk up the path), at most 100 characters.
 */
export const USER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.~-]{0,99}$/;
