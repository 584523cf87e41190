import { PlatformError } from '../../platform/errors.ts';

/** Platform failure codes that mean "could not reach it right now", as opposed to "it answered wrongly". */
const UNREACHABLE = new Set([
  'network_error',
  'timeout',
  'http_error',
  'server_error',
  'unavailable',
  'rate_limited',
]);

/** The field a violation is about, without the reply's position (`items.3.email` → `email`). */
export function fieldOf(path: string | undefined): string | null {
  if (path === undefined || path === '' || path === '(root)') return null;
  return path.replace(/^items\.\d+\.?/, '') || null;
}

/**
 * A sync failure, written for a support person: what stopped, who and which field when the
 * platform's reply broke the contract, and that the cache was kept. `offline` says whether the
 * platform was simply unreachable (the UI then shows the cache as offline).
 */
export function describeSyncFailure(
  error: unknown,
  what: 'full' | 'incremental' | 'load',
): { message: string; offline: boolean } {
  const job =
    what === 'load'
      ? 'Reading the local roster cache'
      : what === 'full'
        ? 'The full roster sync'
        : 'The incremental roster refresh';
  const kept = what === 'load' ? '' : ' The cache was left as it was before this sync.';
  if (error instanceof PlatformError) {
    // A reply that broke the contract for one record (a field of a connection) names the record; a reply
    // that was not usable at all (a web page, JSON cut off) is said as it is, like every other failure.
    const aboutARecord = error.issues !== undefined;
    if (error.code === 'unknown_enum_value' || (error.code === 'bad_reply' && aboutARecord)) {
      const field = fieldOf(error.field);
      const who = error.userId === undefined ? 'a connection' : `user ${error.userId}`;
      const value =
        error.code === 'unknown_enum_value' && error.value !== undefined
          ? ` (unknown value "${error.value.slice(0, 100)}")`
          : '';
      return {
        message:
          `${job} stopped: the platform sent invalid data for ${who}${field === null ? '' : `, field "${field}"`}${value}.${kept}`.slice(
            0,
            2000,
          ),
        offline: false,
      };
    }
    const offline = UNREACHABLE.has(error.code) || (error.status !== null && error.status >= 500);
    return { message: `${job} failed: ${error.message}${kept}`.slice(0, 2000), offline };
  }
  const detail = error instanceof Error ? error.message : String(error);
  return { message: `${job} failed: ${detail.slice(0, 500)}.${kept}`.slice(0, 2000), offline: false };
}
