import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoreStatus } from '../store/store-status.ts';
import type { DataSourceService, PlatformConfig } from '../data-source/data-source-service.ts';
import { EphemeralKeyWrapper } from '../crypto/ephemeral-key-wrapper.ts';
import type { KeyWrapper } from '../crypto/key-wrapper.ts';
import type { AccessTokenProvider } from '../graph/auth.ts';
import type { GraphClient } from '../graph/client.ts';
import { DisposableStore, type Disposable } from '../lifecycle/disposable.ts';
import type { Logger } from '../log/logger.ts';
import type { PlatformClient } from '../platform/client.ts';
import { storeFolderFor } from '../roster/store-folder.ts';
import { EncryptedStore } from '../store/encrypted-store.ts';
import type { JournalDatabase } from '../journal/journal-database.ts';
import { openJournal } from '../journal/open-journal.ts';
import { createGraphClient } from './platform-clients.ts';

/** Which data source a workspace belongs to: a platform (by URL) or the embedded demo. */
export interface WorkspaceSource {
  /** The platform's base URL; null for the demo sandbox. */
  platformUrl: string | null;
}

export function sameSource(a: WorkspaceSource, b: WorkspaceSource): boolean {
  return a.platformUrl === b.platformUrl;
}

export interface WorkspaceOptions {
  source: WorkspaceSource;
  logger: Logger;
  dataSource: DataSourceService;
  /** The host's data folder; null keeps everything in memory. */
  dataDir: string | null;
  /** The host's key holder (Electron: safeStorage; browser host and CLI: CONSOLE_DATA_KEY); null if it has none. */
  keyWrapper: KeyWrapper | null;
  now?: () => Date;
}

/** State a feature keeps for one workspace (a sync service, a dashboard's history): built and disposed with it. */
export interface WorkspacePart extends Disposable {
  /** Background work for this workspace (the roster's first sync); resolves when it settles. */
  start?(): Promise<void>;
}

const DEMO_EPHEMERAL_NOTE =
  'Demo mode without a data key: the demo university (synthetic data) is sealed with a key held in memory for this session only and is discarded when the console stops.';

const DEMO_PERSISTED_NOTE =
  'Demo mode: the demo university (synthetic data) is kept in the data folder under demo-store, apart from any real platform’s roster, and shown again at the next start; Clear cache removes it.';

/**
 * Everything the console holds for one data source: the encrypted roster cache, the platform
 * client and the Graph clients (with their request budget), and the features' per-source parts.
 * A source switch disposes the whole workspace and builds a new one, so nothing of one platform's
 * data or key reaches another's.
 */
export class Workspace implements Disposable {
  readonly source: WorkspaceSource;
  /** The roster cache (null: nothing can be kept, the roster lives in the sync engine's memory). */
  readonly store: EncryptedStore | null;
  /** What the UI should know about where this workspace keeps its data (demo notes). */
  readonly storeNote: string | null;
  /**
   * The durable journal (jobs, audit log, saved views): apart from the cache, never set aside or
   * rebuilt with it (electron/core/journal/).
   */
  readonly journal: JournalDatabase;
  readonly #options: WorkspaceOptions;
  #parts = new DisposableStore();
  readonly #closeStore: () => void;

  constructor(options: WorkspaceOptions) {
    this.#options = options;
    this.source = options.source;
    const opened = openStore(options);
    this.store = opened.store;
    this.storeNote = opened.note;
    this.#closeStore = opened.close;
    this.journal = openJournal({
      dataDir: options.dataDir,
      keyWrapper: options.keyWrapper,
      demo: options.source.platformUrl === null,
      platformUrl: options.source.platformUrl,
      ...(options.now === undefined ? {} : { now: options.now }),
    });
  }

  /** The data source's platform client, or a typed `unavailable` error the UI can show. */
  platform(): Promise<PlatformClient> {
    return this.#options.dataSource.platform();
  }

  /** Where the platform is and its key, for a worker thread that makes its own client; null while offline. */
  platformConnection(): Promise<PlatformConfig | null> {
    return this.#options.dataSource.platformConnection();
  }

  /** A Graph client for this source's Graph (the demo sandbox's, or Microsoft's) on the given tokens. */
  graph(tokens: AccessTokenProvider): GraphClient {
    return createGraphClient(this.#options.dataSource.graphUrl(), tokens);
  }

  /** Keeps a feature's part until the workspace (or `resetParts`) lets it go. */
  adopt<T extends WorkspacePart>(part: T): T {
    return this.#parts.add(part);
  }

  /**
   * Sets the store's files aside and starts an empty one (ADR 0002's rebuild of a damaged or
   * locked cache). The parts must have been let go first; the caller builds new ones.
   */
  rebuildStore(): StoreStatus | null {
    return this.store?.rebuildFromScratch() ?? null;
  }

  async dispose(): Promise<void> {
    try {
      await this.#parts.dispose();
    } finally {
      this.#closeStore();
      this.journal.close();
    }
  }

  /** Lets every part go but keeps the store open (before a rebuild); new parts may be adopted after. */
  async releaseParts(): Promise<void> {
    const parts = this.#parts;
    this.#parts = new DisposableStore();
    await parts.dispose();
  }
}

/** Chooses where roster data lives and what protects it (ADR 0002). */
function openStore(options: WorkspaceOptions): {
  store: EncryptedStore | null;
  note: string | null;
  close: () => void;
} {
  const { dataDir, keyWrapper } = options;
  const demo = options.source.platformUrl === null;
  const now = options.now ?? (() => new Date());
  const usable = keyWrapper !== null && keyWrapper.check().available;
  if (demo && !usable) {
    // Synthetic data only: a throw-away folder and key, so nothing of it outlives the session.
    const folder = mkdtempSync(join(tmpdir(), 'console-demo-store-'));
    const store = EncryptedStore.open({ dataFolder: folder, keyWrapper: new EphemeralKeyWrapper(), now });
    return {
      store,
      note: DEMO_EPHEMERAL_NOTE,
      close: () => {
        store.close();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  }
  if (dataDir === null || keyWrapper === null) return { store: null, note: null, close: () => {} };
  // Demo and real rosters never share a cache, nor do two platforms. A refusing wrapper opens the store memory-only.
  const store = EncryptedStore.open({
    dataFolder: join(dataDir, demo ? 'demo-store' : storeFolderFor(options.source.platformUrl)),
    keyWrapper,
    now,
  });
  return { store, note: demo ? DEMO_PERSISTED_NOTE : null, close: () => store.close() };
}
