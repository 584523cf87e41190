import { toDisposable, type Disposable } from './disposable.ts';

/** Subscribe to an emitter; the returned disposable unsubscribes. */
export type Event<T> = (listener: (value: T) => void) => Disposable;

/** An async event: `fireAsync` waits for every listener (in subscription order). */
export type AsyncEvent<T> = (listener: (value: T) => void | Promise<void>) => Disposable;

/**
 * Typed in-process events between core services (the data source changed, a sync finished).
 * Not the UI EventBus: nothing here leaves the main process or is checked against the contract.
 * A throwing listener is reported to `onListenerError` and does not stop the others.
 */
export class Emitter<T> implements Disposable {
  readonly #listeners = new Set<(value: T) => void>();
  readonly #onListenerError: (error: unknown) => void;

  constructor(options: { onListenerError?: (error: unknown) => void } = {}) {
    this.#onListenerError = options.onListenerError ?? (() => {});
  }

  readonly event: Event<T> = (listener) => {
    // A wrapper, so subscribing the same function twice gives two subscriptions.
    const entry = (value: T): void => listener(value);
    this.#listeners.add(entry);
    return toDisposable(() => {
      this.#listeners.delete(entry);
    });
  };

  fire(value: T): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(value);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }

  dispose(): void {
    this.#listeners.clear();
  }
}

/** Like `Emitter`, but listeners may be async and the firer waits for them, one after the other. */
export class AsyncEmitter<T> implements Disposable {
  readonly #listeners = new Set<(value: T) => void | Promise<void>>();

  readonly event: AsyncEvent<T> = (listener) => {
    const entry = (value: T): void | Promise<void> => listener(value);
    this.#listeners.add(entry);
    return toDisposable(() => {
      this.#listeners.delete(entry);
    });
  };

  /** Runs every listener in order; the first failure is rethrown after all have run. */
  async fireAsync(value: T): Promise<void> {
    let failure: { error: unknown } | null = null;
    for (const listener of [...this.#listeners]) {
      try {
        await listener(value);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure !== null) throw failure.error;
  }

  dispose(): void {
    this.#listeners.clear();
  }
}
