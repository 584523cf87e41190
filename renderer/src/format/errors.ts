import { ConsoleError } from '../../../shared/contract/index.ts';

/**
 * The text a support person sees for a failure. ConsoleError messages are written for them by the
 * core; anything else is a bug in the renderer, so we say so instead of showing a stack trace.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof ConsoleError) return error.message;
  if (error instanceof Error && error.message.trim() !== '') return error.message;
  return 'Something unexpected went wrong in the console window.';
}

export function errorCode(error: unknown): string | null {
  return error instanceof ConsoleError ? error.code : null;
}
