/**
 * Who protects the data key at rest. The store never keeps its 32-byte data key in clear on disk:
 * it hands it to a wrapper chosen by the host (Electron: the OS keychain through safeStorage; CLI
 * and browser host: a key from the environment) and keeps only the wrapped bytes.
 */
export type KeyWrapperCheck =
  | { available: true }
  | {
      available: false;
      /** What is wrong, written for the operator (shown in the UI and by the CLI). */
      explanation: string;
      /** What the operator can do about it, or null when nothing on this machine can fix it. */
      remedy: string | null;
    };

export interface KeyWrapper {
  /** Recorded beside the wrapped key so another host opening the folder can say who sealed it. */
  readonly kind: string;
  /** A human description of where the key lives, e.g. "the operating system's keychain". */
  readonly description: string;
  /** Whether the wrapper can protect a key right now. A refusing wrapper must not be asked to wrap. */
  check(): KeyWrapperCheck;
  wrap(dataKey: Uint8Array): Uint8Array;
  /** Throws `KeyUnwrapError` when the wrapped bytes were not made by this wrapper's key. */
  unwrap(wrapped: Uint8Array): Uint8Array;
}

export class KeyUnwrapError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeyUnwrapError';
  }
}

/** Thrown when a refusing wrapper is asked to wrap anyway: a programming error in the caller. */
export class KeyWrapperRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyWrapperRefusedError';
  }
}
