import type { UserVerification } from '../../../shared/contract/verify.ts';
import { verifyUser, type VerifyDeps } from './verify-user.ts';

export interface BulkProgress {
  total: number;
  done: number;
  skipped: number;
  anomalies: number;
  failed: number;
}

export interface BulkOptions {
  /** Users verified at once (their requests still go through the pacer's caps). */
  userConcurrency?: number;
  /** Users already verified by an earlier run of the same job: skipped, so a resumed run picks up where it stopped. */
  isDone?: (userId: string) => boolean;
  /**
   * Called once per finished user, in completion order; the job engine persists it (idempotent per
   * (job, user)). A user is only counted done after this resolves.
   */
  onUser: (result: UserVerification, progress: BulkProgress) => Promise<void> | void;
  signal?: AbortSignal;
}

/**
 * How many users are verified at once by default: more than the pacer's global cap (32), because
 * a user spends part of its time between requests; the cap, not this, bounds the load.
 */
export const DEFAULT_USER_CONCURRENCY = 48;

/**
 * Verifies many users, paced (the deps' pacer caps requests globally and per mailbox), resumable
 * (users `isDone` says are finished are skipped) and cancellable (the signal stops new users and
 * cancels the ones in flight; their results are not reported, so a resume verifies them again).
 * One user's failure is that user's `failed` verdict, never the end of the run.
 */
export async function verifyUsers(
  deps: VerifyDeps,
  userIds: readonly string[],
  options: BulkOptions,
): Promise<BulkProgress> {
  const progress: BulkProgress = { total: userIds.length, done: 0, skipped: 0, anomalies: 0, failed: 0 };
  const concurrency = Math.max(1, options.userConcurrency ?? DEFAULT_USER_CONCURRENCY);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < userIds.length) {
      options.signal?.throwIfAborted();
      const userId = userIds[next++] as string;
      if (options.isDone?.(userId)) {
        progress.skipped += 1;
        continue;
      }
      const result = await verifyUser(deps, userId, options.signal);
      progress.done += 1;
      if (result.verdict === 'anomalies') progress.anomalies += 1;
      if (result.verdict === 'failed') progress.failed += 1;
      await options.onUser(result, { ...progress });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, userIds.length)) }, worker));
  return progress;
}
