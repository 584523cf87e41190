import type { Connection } from '../../../shared/domain/platform.ts';
import type { ItemResult, JobKind, RunContext } from '../jobs/job-engine.ts';
import type { ItemRecord } from '../jobs/job-store.ts';
import { PlatformError } from '../platform/errors.ts';
import type { DisconnectPlatform } from './platform-port.ts';
import { exclusionOf, readFreshRoster } from './selection.ts';

export const DISCONNECT_KIND = 'force-disconnect';
export const DISCONNECT_OUTCOMES = [
  'disconnected',
  'skipped_reauthorized',
  'skipped_not_eligible',
  'failed',
] as const;
export type DisconnectOutcome = (typeof DISCONNECT_OUTCOMES)[number];

/** What a disconnect job stores: the reason sent to the platform and how the users were chosen. */
export interface DisconnectParams {
  reason: string;
  selectionLabel: string;
}

/** The Idempotency-Key of one user's disconnect in one job: a retry, a resume or a replay never repeats it. */
export function idempotencyKeyOf(jobId: string, userId: string): string {
  return `fd:${jobId}:${userId}`.slice(0, 255);
}

const MAX_PRECONDITION_ROUNDS = 3;

function skipped(connection: Connection, detail: string): ItemResult {
  const reason = exclusionOf(connection.status);
  if (reason === 'reauthorized')
    return {
      outcome: 'skipped_reauthorized',
      category: 'skipped',
      detail: `Re-authorized to Microsoft Graph (${connection.status}) ${detail}; not disconnected.`,
      facts: { etag: connection.etag, role: connection.role, status: connection.status },
    };
  return {
    outcome: 'skipped_not_eligible',
    category: 'skipped',
    detail: `Now ${connection.status} ${detail}; not disconnected.`,
    facts: { etag: connection.etag, role: connection.role, status: connection.status },
  };
}

/** The platform's answer in words a support person can act on. */
export function describeFailure(error: unknown): { detail: string; transient: boolean } {
  if (error instanceof PlatformError) {
    const status = error.status === null ? '' : ` (HTTP ${error.status})`;
    const attempts = error.attempts > 1 ? ` after ${error.attempts} attempts` : '';
    if (error.code === 'not_found')
      return { detail: 'The platform has no such user any more (404).', transient: false };
    if (error.status === 403 || error.status === 401)
      return {
        detail: `The platform key may not force-disconnect${status}: ${error.message}`,
        transient: false,
      };
    return {
      detail: `${error.message}${status}${attempts}`.slice(0, 500),
      transient: error.retryable || error.status === null || error.status >= 500,
    };
  }
  return { detail: error instanceof Error ? error.message.slice(0, 500) : String(error), transient: true };
}

/**
 * Force-disconnect as a job kind. Each call carries an Idempotency-Key from (job, user) and
 * If-Match with the etag seen at selection; on 412 the user is read again and the decision made
 * again, so a user who re-authorized meanwhile is skipped, never disconnected.
 */
export function createDisconnectKind(options: { platform: DisconnectPlatform; now?: () => Date }): JobKind {
  const { platform } = options;
  const now = options.now ?? (() => new Date());
  return {
    name: DISCONNECT_KIND,
    destructive: true,
    outcomes: DISCONNECT_OUTCOMES,
    describe: (job) => {
      const params = job.params as unknown as Partial<DisconnectParams>;
      const retry =
        typeof job.params['retryOf'] === 'string' ? ` (retry of ${String(job.params['retryOf'])})` : '';
      return `Force-disconnect ${job.total.toLocaleString('en-US')} users: ${params.selectionLabel ?? 'selection'}${retry}`;
    },
    async prepare(context: RunContext): Promise<void> {
      // A scheduled job reaching its time: re-evaluate against the platform, only users still legacy go on.
      if (context.job.scheduledAt === null || !context.firstRun) return;
      const fresh = await readFreshRoster(platform, now, context.signal);
      for (const item of context.store.unfinished(context.job.id)) {
        const connection = fresh.byId.get(item.target);
        if (connection === undefined) {
          context.store.markDone(context.job.id, item.seq, {
            outcome: 'skipped_not_eligible',
            category: 'skipped',
            detail: 'No longer on the platform at the scheduled time.',
          });
        } else if (connection.status !== 'legacy') {
          context.store.markDone(context.job.id, item.seq, skipped(connection, 'by the scheduled time'));
        } else if (connection.etag !== item.facts['etag']) {
          context.store.updateFacts(context.job.id, item.seq, { ...item.facts, etag: connection.etag });
        }
      }
    },
    async runItem(item: ItemRecord, context: RunContext): Promise<ItemResult> {
      const { job } = context;
      const params = job.params as unknown as DisconnectParams;
      const other = context.store.otherJobWith(item.target, 'disconnected', job.id);
      if (other !== null && other !== job.params['retryOf'])
        return {
          outcome: 'skipped_not_eligible',
          category: 'skipped',
          detail: `Already force-disconnected by job ${other}; not disconnected twice.`,
        };
      let etag = typeof item.facts['etag'] === 'string' ? item.facts['etag'] : '*';
      for (let round = 0; round < MAX_PRECONDITION_ROUNDS; round++) {
        try {
          const result = await platform.forceDisconnect(item.target, params.reason, {
            idempotencyKey: idempotencyKeyOf(job.id, item.target),
            ifMatch: etag,
            signal: context.signal,
          });
          const facts = { ...item.facts, etag: result.connection.etag, status: result.connection.status };
          if (result.changed)
            return {
              outcome: 'disconnected',
              category: 'done',
              detail: result.replayed
                ? 'Disconnected (confirmed by the platform on resume).'
                : 'Disconnected.',
              facts,
            };
          return {
            outcome: 'skipped_not_eligible',
            category: 'skipped',
            detail: `The platform says it was already not connected (${result.connection.status}).`,
            facts,
          };
        } catch (error) {
          if (!(error instanceof PlatformError) || error.code !== 'precondition_failed') {
            const failure = describeFailure(error);
            return {
              outcome: 'failed',
              category: 'failed',
              detail: failure.detail,
              transient: failure.transient,
            };
          }
        }
        // 412: the user changed since selection. Read again and decide again.
        let fresh: Connection;
        try {
          fresh = await platform.get(item.target, context.signal);
        } catch (error) {
          const failure = describeFailure(error);
          return {
            outcome: 'failed',
            category: 'failed',
            detail: `Changed since selection, and could not be read again: ${failure.detail}`,
            transient: failure.transient,
          };
        }
        if (fresh.status !== 'legacy') return skipped(fresh, 'since selection');
        etag = fresh.etag;
        context.store.updateFacts(job.id, item.seq, { ...item.facts, etag });
      }
      return {
        outcome: 'failed',
        category: 'failed',
        detail: 'The user kept changing while being disconnected; try again later.',
        transient: false,
      };
    },
  };
}
