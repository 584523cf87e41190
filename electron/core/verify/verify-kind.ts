import { Verdict, type UserVerification } from '../../../shared/contract/verify.ts';
import type { ItemResult, JobKind, RunContext } from '../jobs/job-engine.ts';
import type { ItemRecord, OutcomeCategory } from '../jobs/job-store.ts';
import type { VerificationResultStore } from './results.ts';
import { verifyUser, type VerifyDeps } from './verify-user.ts';

export const VERIFY_KIND = 'verify';

/**
 * Users a verification job keeps in progress at once: more than the pacer's global cap (32),
 * because a user spends part of its time between requests; the cap, not this, bounds the load.
 */
export const DEFAULT_USER_CONCURRENCY = 48;
/** A verification job's outcomes are the verdicts (`failed`: the check itself could not run). */
export const VERIFY_OUTCOMES = Verdict.options;

/** What a verification job stores: how its users were chosen. */
export interface VerifyParams {
  selectionLabel: string;
  /** Whether Graph could be read when the job started: a resume without it pauses rather than check platform-only. */
  graph?: boolean;
}

const CATEGORY: Record<Verdict, OutcomeCategory> = {
  ok: 'done',
  anomalies: 'done',
  no_items: 'done',
  // Nothing on a calendar could be read: not a failure of the run, and retrying will not help.
  no_mailbox: 'skipped',
  platform_only: 'skipped',
  // Some items (or the whole user) could not be checked, e.g. throttled: "Retry failed" checks them again.
  incomplete: 'failed',
  failed: 'failed',
};

const COUNT_ORDER = [
  'missing',
  'id_changed',
  'mismatch',
  'duplicate',
  'legacy_id',
  'unverified',
  'ok',
] as const;

/** A user's item counts in words, worst class first, zeros left out: "2 missing, 1 id_changed, 22 ok". */
export function countsText(counts: Partial<Record<(typeof COUNT_ORDER)[number], number>>): string {
  return COUNT_ORDER.filter((name) => (counts[name] ?? 0) > 0)
    .map((name) => `${counts[name]} ${name}`)
    .join(', ');
}

/** One line for the Jobs page: the verdict with its counts, or the error. */
export function verificationLine(result: UserVerification): string {
  const counts = countsText(result.counts);
  const head = `${result.verdict.replace('_', ' ')}${counts === '' ? '' : ` (${counts})`}`;
  const why = result.error ?? (result.verdict === 'ok' ? null : (result.notChecked[0] ?? null));
  return (why === null ? head : `${head}: ${why}`).slice(0, 2000);
}

/**
 * Verification as a job kind: one item per user, each verified with the workspace's Graph access
 * and pacer, its result written to the journal's latest verifications (with the job's id) before
 * the item is settled. It changes nothing anywhere, so an interrupted job resumes by itself; a
 * resumed run verifies only the users not yet settled (an in-flight one again).
 *
 * How the engine and the pacer share the work (docs/verification.md): the engine keeps
 * `concurrency` users in progress (it never paces requests itself), every request of every user
 * goes through the one pacer (32 in flight overall, Graph's per-mailbox window) and the Graph
 * client's budget (4 per mailbox, pauses after a 429). The engine's breaker sees only `failed`
 * users, which the pacer's own waiting keeps rare.
 */
export function createVerifyKind(options: {
  deps: () => Promise<VerifyDeps>;
  results: () => VerificationResultStore;
  concurrency?: number;
}): JobKind {
  return {
    name: VERIFY_KIND,
    destructive: false,
    outcomes: VERIFY_OUTCOMES,
    concurrency: options.concurrency ?? DEFAULT_USER_CONCURRENCY,
    describe: (job) => {
      const params = job.params as unknown as Partial<VerifyParams>;
      const retry =
        typeof job.params['retryOf'] === 'string' ? ` (retry of ${String(job.params['retryOf'])})` : '';
      return `Verify ${job.total.toLocaleString('en-US')} users: ${params.selectionLabel ?? 'selection'}${retry}`;
    },
    async prepare(context: RunContext): Promise<void> {
      const params = context.job.params as unknown as Partial<VerifyParams>;
      if (params.graph !== true) return;
      const deps = await options.deps();
      if (deps.graph === null)
        context.pause(
          `This job reads calendars through Microsoft Graph, and this console has no Graph access now${deps.noGraphReason ? ` (${deps.noGraphReason})` : ''}. Resume it where Graph access is set up (Settings → Verification; the CLI's --graph-token-env or --graph-tenant/--graph-client-id/--graph-client-secret-env).`.slice(
            0,
            2000,
          ),
        );
    },
    async runItem(item: ItemRecord, context: RunContext): Promise<ItemResult> {
      const deps = await options.deps();
      const result = await verifyUser(deps, item.target, context.signal);
      // Aborted (the lease was lost): nothing is recorded; whoever holds the job now verifies the user.
      context.signal.throwIfAborted();
      options.results().record(result, context.job.id);
      return {
        outcome: result.verdict,
        category: CATEGORY[result.verdict],
        detail: verificationLine(result),
        // A run of users whose check could not run at all (Graph or the platform down) trips the breaker.
        ...(result.verdict === 'failed' ? { transient: true } : {}),
      };
    },
  };
}
