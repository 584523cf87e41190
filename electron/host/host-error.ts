/**
 * Why the browser host could not start. `serve.ts` prints the message as is, so each one says what
 * to do next; the code lets callers (tests, the e2e harness) tell the cases apart without parsing text.
 */
export type BrowserHostErrorCode = 'renderer_missing' | 'port_in_use' | 'bad_option' | 'data_dir_unusable';

export class BrowserHostError extends Error {
  readonly code: BrowserHostErrorCode;

  constructor(code: BrowserHostErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BrowserHostError';
    this.code = code;
  }
}
