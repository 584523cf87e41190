import type { UserVerification, Verdict, VerificationSummary } from '../../../shared/contract/verify.ts';

/**
 * The latest verification per user, for the detail page and the verdict filter. A verification is
 * derived data (running it again gives it back), so it is kept like the rebuildable cache, not in
 * the operator's journal: here in memory for the session of one data source, summaries for every
 * user and full item lists for the most recent ones only (a 10,000-item user is ~2 MB).
 */
export class VerificationResults {
  readonly #summaries = new Map<string, VerificationSummary>();
  readonly #full = new Map<string, UserVerification>();
  readonly #maxFull: number;

  constructor(options: { maxFull?: number } = {}) {
    this.#maxFull = options.maxFull ?? 500;
  }

  get size(): number {
    return this.#summaries.size;
  }

  set(result: UserVerification): void {
    const { items: _items, ...summary } = result;
    // Re-inserting keeps Map order = most recent last.
    this.#summaries.delete(result.userId);
    this.#summaries.set(result.userId, summary);
    this.#full.delete(result.userId);
    this.#full.set(result.userId, result);
    while (this.#full.size > this.#maxFull) {
      const oldest = this.#full.keys().next().value;
      if (oldest === undefined) break;
      this.#full.delete(oldest);
    }
  }

  /** The full latest result when still held, else the summary with an empty item list. */
  get(userId: string): UserVerification | null {
    const full = this.#full.get(userId);
    if (full) return full;
    const summary = this.#summaries.get(userId);
    return summary ? { ...summary, items: [] } : null;
  }

  summary(userId: string): VerificationSummary | null {
    return this.#summaries.get(userId) ?? null;
  }

  /** Newest first, optionally only some verdicts. */
  list(filter: { verdicts?: readonly Verdict[]; offset: number; limit: number }): {
    total: number;
    items: VerificationSummary[];
  } {
    const wanted = filter.verdicts && filter.verdicts.length > 0 ? new Set(filter.verdicts) : null;
    const all = [...this.#summaries.values()]
      .reverse()
      .filter((s) => wanted === null || wanted.has(s.verdict));
    return { total: all.length, items: all.slice(filter.offset, filter.offset + filter.limit) };
  }

  /** User ids whose latest verdict is one of these (for a roster filter). */
  userIdsWith(verdicts: readonly Verdict[]): Set<string> {
    const wanted = new Set(verdicts);
    const out = new Set<string>();
    for (const s of this.#summaries.values()) if (wanted.has(s.verdict)) out.add(s.userId);
    return out;
  }

  clear(): void {
    this.#summaries.clear();
    this.#full.clear();
  }
}
