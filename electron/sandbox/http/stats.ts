/**
 * What the sandbox observed, for tests and benchmarks (GET /__sandbox/stats). Side effects count
 * `executed` (a real state change or send) separately from `replayed` (an idempotent replay), with
 * the most executions for any single user, which is how a test proves "no duplicate side effect".
 */
export type SideEffectKind =
  'force-disconnect' | 'resync' | 'magic-link' | 'sendMail' | 'mail-recipient' | 'draft-recipient';
/** `sendMail` counts messages per sending mailbox; `mail-recipient` and `draft-recipient` per recipient address. */
export const SIDE_EFFECT_KINDS: readonly SideEffectKind[] = [
  'force-disconnect',
  'resync',
  'magic-link',
  'sendMail',
  'mail-recipient',
  'draft-recipient',
];

export interface StatsSnapshot {
  requests: { total: number; byStatus: Record<string, number> };
  sideEffects: Record<SideEffectKind, { executed: number; replayed: number; maxPerUser: number }>;
}

export interface SandboxStats {
  /** `reset` stands for a dropped connection (no status line was sent). */
  recordRequest(status: number | 'reset'): void;
  /**
   * When each of the last 100,000 requests (platform and Graph) arrived (ms, `performance.now()`), in order:
   * how a test proves that a run never exceeded a rate limit.
   */
  requestTimes(): number[];
  recordSideEffect(kind: SideEffectKind, userId: string, outcome: 'executed' | 'replayed'): void;
  snapshot(): StatsSnapshot;
  /** Executed side effects of one kind per user (users with none are absent). */
  perUser(kind: SideEffectKind): Record<string, number>;
  reset(): void;
}

export function createStats(): SandboxStats {
  let total = 0;
  let byStatus = new Map<string, number>();
  let times: number[] = [];
  let effects = new Map<
    SideEffectKind,
    { executed: number; replayed: number; perUser: Map<string, number>; maxPerUser: number }
  >();
  const effect = (kind: SideEffectKind) => {
    let e = effects.get(kind);
    if (!e) {
      e = { executed: 0, replayed: 0, perUser: new Map(), maxPerUser: 0 };
      effects.set(kind, e);
    }
    return e;
  };
  return {
    recordRequest(status) {
      total++;
      times.push(performance.now());
      if (times.length > 200_000) times = times.slice(-100_000);
      const key = String(status);
      byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
    },
    recordSideEffect(kind, userId, outcome) {
      const e = effect(kind);
      if (outcome === 'replayed') {
        e.replayed++;
        return;
      }
      e.executed++;
      const n = (e.perUser.get(userId) ?? 0) + 1;
      e.perUser.set(userId, n);
      if (n > e.maxPerUser) e.maxPerUser = n;
    },
    snapshot() {
      const sideEffects = {} as StatsSnapshot['sideEffects'];
      for (const kind of SIDE_EFFECT_KINDS) {
        const e = effect(kind);
        sideEffects[kind] = { executed: e.executed, replayed: e.replayed, maxPerUser: e.maxPerUser };
      }
      return { requests: { total, byStatus: Object.fromEntries([...byStatus].sort()) }, sideEffects };
    },
    requestTimes() {
      return times.slice(-100_000);
    },
    perUser(kind) {
      return Object.fromEntries(effect(kind).perUser);
    },
    reset() {
      total = 0;
      times = [];
      byStatus = new Map();
      effects = new Map();
    },
  };
}
