/** Something that holds resources (a store, a worker, a subscription) and lets them go once. */
export interface Disposable {
  dispose(): void | Promise<void>;
}

export function toDisposable(dispose: () => void | Promise<void>): Disposable {
  let done = false;
  return {
    dispose() {
      if (done) return;
      done = true;
      return dispose();
    },
  };
}

/**
 * A collection of disposables let go together, newest first (what was built last depends on what
 * was built before it). Modelled on VS Code's `DisposableStore`, but disposal may be async: a
 * roster worker must stop before its store closes. Adding to a disposed store disposes the newcomer
 * at once, so a late `add` during shutdown cannot leak. One failing disposable does not stop the
 * others; the first failure is rethrown after all have run.
 */
export class DisposableStore implements Disposable {
  #items: Disposable[] = [];
  #disposed = false;
  #disposing: Promise<void> | null = null;

  get isDisposed(): boolean {
    return this.#disposed;
  }

  add<T extends Disposable>(item: T): T {
    if (this.#disposed) {
      void Promise.resolve()
        .then(() => item.dispose())
        .catch(() => {});
      return item;
    }
    this.#items.push(item);
    return item;
  }

  /** Removes an item without disposing it (its owner took it back). */
  delete(item: Disposable): void {
    this.#items = this.#items.filter((candidate) => candidate !== item);
  }

  dispose(): Promise<void> {
    this.#disposed = true;
    this.#disposing ??= this.#disposeAll();
    return this.#disposing;
  }

  async #disposeAll(): Promise<void> {
    const items = this.#items.reverse();
    this.#items = [];
    let failure: { error: unknown } | null = null;
    for (const item of items) {
      try {
        await item.dispose();
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure !== null) throw failure.error;
  }
}
