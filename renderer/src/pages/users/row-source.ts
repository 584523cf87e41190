import type { RosterFacets, RosterQueryResult, RosterRow } from '../../../../shared/contract/index.ts';
import { MAX_ROSTER_WINDOW } from '../../../../shared/contract/index.ts';
import { blocksCovering, coalesceBlocks } from '../../components/table/windowing.ts';

export type FetchWindow = (offset: number, limit: number) => Promise<RosterQueryResult>;

export interface RowSourceOptions {
  fetchWindow: FetchWindow;
  /** Rows per cached block; requests are whole blocks so scrolling back hits the cache. */
  blockSize?: number;
  /** Blocks kept in memory; the oldest-used go first. 60 × 100 rows is plenty around any position. */
  maxBlocks?: number;
  /** Scroll events within this many ms become one round of requests. */
  debounceMs?: number;
  /** Requests in flight at once; more would only queue in the host. */
  concurrency?: number;
}

export interface RowSourceSnapshot {
  total: number | null;
  facets: RosterFacets | null;
  error: unknown;
  /** True while a window is being fetched (the first one, or the rows now in view). */
  loading: boolean;
  version: number;
}

/** The most rows a shift-click range may fetch to learn who is in it; past that, "select all matching" is the tool. */
export const MAX_RANGE_ROWS = 20_000;

/**
 * The Users table's window onto one query (filter + sort). It never asks for the whole roster:
 * only the blocks around what is on screen, visible rows first, neighbouring blocks coalesced
 * into one request, a burst of scroll events debounced into one round, and answers for blocks
 * scrolled past still cached (cheap) while requests never sent for them are simply dropped.
 * After `dispose` (a new filter or sort) late answers are ignored.
 */
export class RowSource {
  private readonly fetchWindow: FetchWindow;
  private readonly blockSize: number;
  private readonly maxBlocks: number;
  private readonly debounceMs: number;
  private readonly concurrency: number;
  private readonly blocks = new Map<number, readonly RosterRow[]>();
  private readonly stale = new Set<number>();
  private readonly inFlight = new Set<number>();
  private readonly listeners = new Set<() => void>();
  private wanted: { priority: number[]; visible: Set<number> } = { priority: [], visible: new Set() };
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = 0;
  /** Bumped by `invalidate`: an answer to a request sent before it is shown, but stays stale. */
  private generation = 0;
  private disposed = false;
  private snapshot: RowSourceSnapshot = { total: null, facets: null, error: null, loading: true, version: 0 };

  constructor(options: RowSourceOptions) {
    this.fetchWindow = options.fetchWindow;
    this.blockSize = options.blockSize ?? 100;
    this.maxBlocks = options.maxBlocks ?? 60;
    this.debounceMs = options.debounceMs ?? 40;
    this.concurrency = options.concurrency ?? 2;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): RowSourceSnapshot => this.snapshot;

  row(index: number): RosterRow | undefined {
    const block = this.blocks.get(Math.floor(index / this.blockSize));
    return block?.[index % this.blockSize];
  }

  /** Says which rows are on screen (visible) and rendered (with overscan); fetches what is missing, soon. */
  want(start: number, end: number, visibleStart: number, visibleEnd: number): void {
    const visible = blocksCovering(visibleStart, visibleEnd, this.blockSize);
    const around = blocksCovering(start, end, this.blockSize).filter((b) => !visible.includes(b));
    this.wanted = { priority: [...visible, ...around], visible: new Set(visible) };
    for (const b of this.wanted.priority) this.touch(b);
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, this.debounceMs);
  }

  /** The roster changed: rows on screen stay until their fresh copy arrives, then everything is asked again. */
  invalidate(): void {
    this.generation += 1;
    for (const b of this.blocks.keys()) this.stale.add(b);
    this.pump();
  }

  /** Retry after a failure. */
  retry(): void {
    this.update({ error: null, loading: true });
    this.pump();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.listeners.clear();
  }

  /**
   * The user ids of rows [from, to] inclusive, fetching blocks not in memory (a shift-click across
   * rows never scrolled past). Throws RangeError past MAX_RANGE_ROWS.
   */
  async idsInRange(from: number, to: number): Promise<string[]> {
    const count = to - from + 1;
    if (count > MAX_RANGE_ROWS) {
      throw new RangeError(
        `That range covers ${count.toLocaleString('en-US')} users; choose “Select all matching” for more than ${MAX_RANGE_ROWS.toLocaleString('en-US')}.`,
      );
    }
    const missing = blocksCovering(from, to + 1, this.blockSize).filter((b) => !this.blocks.has(b));
    for (const run of coalesceBlocks(missing, this.blockSize, MAX_ROSTER_WINDOW)) {
      const result = await this.fetchWindow(run.offset, run.limit);
      this.store(run.blocks, result);
    }
    const ids: string[] = [];
    for (let i = from; i <= to; i += 1) {
      const row = this.row(i);
      if (row) ids.push(row.userId);
    }
    return ids;
  }

  private pump(): void {
    if (this.disposed || this.snapshot.error !== null) return;
    const total = this.snapshot.total;
    // Before the first answer, or while the answer is "no rows", the grid has no rows to ask for;
    // the first block tells the total. Without it an emptied roster (Settings → Clear cache) would
    // stay empty on screen after the sync that refills it.
    const empty = total === null || total === 0;
    const priority = empty && this.wanted.priority.length === 0 ? [0] : this.wanted.priority;
    const needed = priority.filter(
      (b) =>
        (!this.blocks.has(b) || this.stale.has(b)) &&
        !this.inFlight.has(b) &&
        (empty ? b === 0 : b * this.blockSize < total),
    );
    // Until the total is known, one request at a time: the first answer may show there are no rows.
    const runs = coalesceBlocks(needed, this.blockSize, MAX_ROSTER_WINDOW);
    const loading = [...this.wanted.visible].some((b) => !this.blocks.has(b)) || total === null;
    if (loading !== this.snapshot.loading) this.update({ loading });
    for (const run of runs) {
      if (this.running >= this.concurrency) break;
      if (total === null && this.running > 0) break;
      void this.run(run.offset, run.limit, run.blocks);
    }
  }

  private async run(offset: number, limit: number, blocks: number[]): Promise<void> {
    this.running += 1;
    const generation = this.generation;
    for (const b of blocks) this.inFlight.add(b);
    try {
      const result = await this.fetchWindow(offset, limit);
      if (this.disposed) return;
      this.store(blocks, result, generation);
    } catch (error) {
      if (this.disposed) return;
      this.update({ error, loading: false });
    } finally {
      this.running -= 1;
      for (const b of blocks) this.inFlight.delete(b);
      if (!this.disposed) this.pump();
    }
  }

  private store(blocks: readonly number[], result: RosterQueryResult, generation = this.generation): void {
    blocks.forEach((b, i) => {
      const rows = result.rows.slice(i * this.blockSize, (i + 1) * this.blockSize);
      this.blocks.set(b, rows);
      // Asked before the roster last changed: shown for now, asked again by the pump that follows.
      if (generation === this.generation) this.stale.delete(b);
      else this.stale.add(b);
      this.touch(b);
    });
    this.evict();
    const loading = [...this.wanted.visible].some((b) => !this.blocks.has(b));
    this.update({ total: result.total, facets: result.facets, loading });
  }

  /** Map order is insertion order: re-inserting marks a block as recently used. */
  private touch(block: number): void {
    const rows = this.blocks.get(block);
    if (rows === undefined) return;
    this.blocks.delete(block);
    this.blocks.set(block, rows);
  }

  private evict(): void {
    for (const block of this.blocks.keys()) {
      if (this.blocks.size <= this.maxBlocks) break;
      if (this.wanted.priority.includes(block)) continue;
      this.blocks.delete(block);
      this.stale.delete(block);
    }
  }

  private update(change: Partial<Omit<RowSourceSnapshot, 'version'>>): void {
    this.snapshot = { ...this.snapshot, ...change, version: this.snapshot.version + 1 };
    for (const listener of this.listeners) listener();
  }
}
