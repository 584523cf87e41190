import { ConsoleError } from '../../../shared/contract/index.ts';
import { GraphError } from '../graph/errors.ts';
import { PlatformError } from '../platform/errors.ts';

/**
 * The one place remote failures become typed console errors: the dispatcher passes every handler
 * failure through here, so handlers let platform and Graph errors propagate instead of wrapping
 * each call in its own try/catch. Anything else stays unknown (the dispatcher logs it and answers
 * `internal`).
 */
export function toConsoleError(error: unknown): ConsoleError | null {
  if (error instanceof ConsoleError) return error;
  if (error instanceof PlatformError || error instanceof GraphError) return error.toConsoleError();
  return null;
}
