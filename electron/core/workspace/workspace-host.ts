import { ConsoleError } from '../../../shared/contract/index.ts';
import type { Disposable } from '../lifecycle/disposable.ts';
import { Emitter, type Event } from '../lifecycle/emitter.ts';
import type { Logger } from '../log/logger.ts';
import type { StoreStatus } from '../store/store-status.ts';
import { sameSource, type Workspace, type WorkspacePart, type WorkspaceSource } from './workspace.ts';

/**
 * A feature's state for the current workspace. Handlers read `slot.current` on every call, so they
 * always reach the state of the source the console is on now, without a proxy or a mutable holder.
 */
export class WorkspaceSlot<S extends WorkspacePart> {
  readonly #build: (workspace: Workspace) => S;
  #current: S | null = null;

  constructor(build: (workspace: Workspace) => S) {
    this.#build = build;
  }

  get current(): S {
    if (this.#current === null)
      throw new ConsoleError('unavailable', 'The console is switching data source. Try again in a moment.', {
        retryable: true,
      });
    return this.#current;
  }

  /** The current state, or null while a switch or rebuild is under way. */
  peek(): S | null {
    return this.#current;
  }

  /** @internal Called by the host, in slot order, for each new workspace. */
  rebuild(workspace: Workspace): S {
    this.#current = workspace.adopt(this.#build(workspace));
    return this.#current;
  }

  /** @internal */
  clear(): void {
    this.#current = null;
  }
}

interface AnySlot {
  readonly current: WorkspacePart;
  rebuild(workspace: Workspace): WorkspacePart;
  clear(): void;
}

export interface WorkspaceHostOptions {
  logger: Logger;
  /** Which source the console is on now (asked again whenever `sourceMayHaveChanged` is called). */
  currentSource: () => WorkspaceSource;
  open: (source: WorkspaceSource) => Workspace;
}

/**
 * Holds the current workspace and rebuilds it when the data source changes: the old workspace's
 * parts are disposed (its sync stopped, its store closed) before the new one's are built, in slot
 * order, and started. Switches and rebuilds run one at a time.
 */
export class WorkspaceHost implements Disposable {
  readonly #options: WorkspaceHostOptions;
  readonly #slots: AnySlot[] = [];
  readonly #onDidSwitch = new Emitter<Workspace>();
  #workspace: Workspace;
  #queue: Promise<void> = Promise.resolve();
  #started = false;
  #disposed = false;

  /** Fires after a new workspace is built and its parts exist (before they finish starting). */
  readonly onDidSwitch: Event<Workspace> = this.#onDidSwitch.event;

  constructor(options: WorkspaceHostOptions) {
    this.#options = options;
    this.#workspace = options.open(options.currentSource());
  }

  get current(): Workspace {
    return this.#workspace;
  }

  /** Registers a feature's per-workspace state; built at once for the current workspace. */
  slot<S extends WorkspacePart>(build: (workspace: Workspace) => S): WorkspaceSlot<S> {
    const slot = new WorkspaceSlot(build);
    slot.rebuild(this.#workspace);
    this.#slots.push(slot);
    return slot;
  }

  /**
   * Starts the current workspace's parts (in the background; failures are logged), and every later
   * workspace's as it is built. Without it, parts start when a feature asks (the CLI).
   */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#startParts(
      this.#workspace,
      this.#slots.map((slot) => slot.current),
    );
  }

  /** The source may have changed (the data source service said so): rebuild if it did. */
  sourceMayHaveChanged(): void {
    if (this.#disposed) return;
    this.#enqueue(async () => {
      const next = this.#options.currentSource();
      if (sameSource(next, this.#workspace.source)) return;
      const previous = this.#workspace;
      for (const slot of this.#slots) slot.clear();
      await previous.dispose();
      if (this.#disposed) return;
      this.#workspace = this.#options.open(next);
      const parts = this.#slots.map((slot) => slot.rebuild(this.#workspace));
      this.#onDidSwitch.fire(this.#workspace);
      if (this.#started) this.#startParts(this.#workspace, parts);
    });
  }

  /**
   * Sets the current store's files aside, starts an empty one and rebuilds every part on it (a
   * full sync refills the roster). Resolves once the new parts exist, not when the sync finishes.
   */
  async rebuildStore(): Promise<StoreStatus | null> {
    let status: StoreStatus | null = null;
    await this.#enqueueTracked(async () => {
      const workspace = this.#workspace;
      for (const slot of this.#slots) slot.clear();
      await workspace.releaseParts();
      status = workspace.rebuildStore();
      const parts = this.#slots.map((slot) => slot.rebuild(workspace));
      if (this.#started) this.#startParts(workspace, parts);
    });
    return status;
  }

  /** Resolves when no switch or rebuild is under way (tests, shutdown). */
  whenIdle(): Promise<void> {
    return this.#queue;
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    await this.#queue;
    for (const slot of this.#slots) slot.clear();
    this.#onDidSwitch.dispose();
    await this.#workspace.dispose();
  }

  /**
   * Starts parts in the background: a first sync may take minutes, and a switch or shutdown must
   * not wait for it (disposing a part stops its work).
   */
  #startParts(workspace: Workspace, parts: readonly WorkspacePart[]): void {
    void Promise.all(
      parts.map((part) =>
        part.start?.().catch((error: unknown) =>
          this.#options.logger.warn('workspace part failed to start', {
            source: workspace.source.platformUrl === null ? 'demo' : 'platform',
            error: error instanceof Error ? error.message : String(error),
          }),
        ),
      ),
    );
  }

  #enqueue(work: () => Promise<void>): void {
    void this.#enqueueTracked(work).catch(() => {});
  }

  #enqueueTracked(work: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(work);
    this.#queue = run.catch((error: unknown) =>
      this.#options.logger.warn('workspace switch failed', {
        error: error instanceof Error ? error.message : String(error),
      }),
    );
    return run;
  }
}
