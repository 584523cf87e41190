import { ConsoleError, type MethodName } from '../../../shared/contract/index.ts';
import type { VerificationSummary } from '../../../shared/contract/verify.ts';
import type { SyncLogEntry } from '../../../shared/domain/platform.ts';
import { GraphClient } from '../graph/client.ts';
import type { Handlers } from '../ipc/dispatcher.ts';
import type { Logger } from '../log/logger.ts';
import type { PlatformClient } from '../platform/client.ts';
import { PlatformError } from '../platform/errors.ts';
import type { AccessSource, GraphAccess } from './graph-access.ts';
import { VerifyPacer } from './pacer.ts';
import { VerificationResults } from './results.ts';
import { buildTroubleshooting } from './troubleshoot.ts';
import { verifyUser, type VerifyDeps } from './verify-user.ts';

export type VerifyMethod = Extract<MethodName, `verify.${string}` | `support.${string}`>;

/** At most this many remote requests in flight for verification (docs/verification.md says why). */
export const GLOBAL_CONCURRENCY = 32;

export interface VerifyFeatureOptions {
  logger: Logger;
  platform: () => Promise<PlatformClient>;
  access: AccessSource;
  /** The migration's cut-off, when known (for the diagnosis wording); may be null. */
  cutoffAt: () => Promise<string | null>;
  /** Users matching a search, for the command palette (the roster's own query). */
  findUsers: (
    q: string,
    limit: number,
  ) => Promise<Array<{ userId: string; name: string; email: string; status: string }>>;
  now?: () => Date;
}

export interface VerifyFeature {
  handlers: Pick<Handlers, VerifyMethod>;
  results: VerificationResults;
  /** The deps a bulk verification job runs with (same pacer, same Graph access). */
  deps(): Promise<VerifyDeps>;
  /** The data source changed: results of the old one no longer apply. */
  reset(): void;
}

function platformFailure(error: unknown): never {
  if (error instanceof PlatformError) throw error.toConsoleError();
  throw error;
}

/** Turns "Last, First" (as the Users table shows names) into words the roster search matches. */
export function normaliseUserSearch(q: string): string {
  return q.replace(/,/g, ' ').replace(/\s+/g, ' ').trim();
}

export function createVerifyFeature(options: VerifyFeatureOptions): VerifyFeature {
  const { logger } = options;
  const now = options.now ?? (() => new Date());
  const results = new VerificationResults();
  const pacer = new VerifyPacer({ globalConcurrency: GLOBAL_CONCURRENCY });
  let graph: { fingerprint: string; client: GraphClient } | null = null;

  const graphFor = (access: GraphAccess): GraphClient | null => {
    if (access.kind === 'none') return null;
    if (graph?.fingerprint !== access.fingerprint) {
      graph = {
        fingerprint: access.fingerprint,
        client: new GraphClient({
          baseUrl: access.graphUrl,
          tokens: access.tokens,
          logger: logger.child({ component: 'graph-verify' }),
          // Stored ids are restIds: answers in the same format compare directly.
          immutableIds: false,
          onRetry: ({ mailbox, delayMs, status }) => {
            if (status === 429) pacer.pause(mailbox, delayMs);
          },
        }),
      };
    }
    return graph.client;
  };

  const deps = async (): Promise<VerifyDeps> => {
    const platform = await options.platform();
    const access = options.access.resolve();
    return {
      platform,
      graph: graphFor(access),
      pacer,
      ...(access.kind === 'none' ? { noGraphReason: access.reason } : {}),
      now,
    };
  };

  const summaryOf = (userId: string): VerificationSummary | null => results.summary(userId);

  const handlers: Pick<Handlers, VerifyMethod> = {
    'verify.user': async ({ userId }, context) => {
      const result = await verifyUser(await deps(), userId, context.signal);
      results.set(result);
      logger.info('user verified', {
        verdict: result.verdict,
        items: result.items.length,
        ms: Math.round(result.durationMs),
      });
      return result;
    },
    'verify.latest': ({ userId }) => results.get(userId),
    'verify.list': (input) => results.list(input),
    'verify.access': () => options.access.state(),
    'verify.setAccess': (change) => {
      const state = options.access.set(change);
      graph = null;
      return state;
    },
    'support.troubleshoot': async ({ userId }, context) => {
      const platform = await options.platform();
      const connection = await platform
        .getConnection(userId, { signal: context.signal })
        .catch(platformFailure);
      let syncLog: SyncLogEntry[] | null = null;
      let syncLogError: string | null = null;
      try {
        syncLog = (await platform.getSyncLog(userId, { limit: 50 }, { signal: context.signal })).items;
      } catch (error) {
        syncLogError = error instanceof Error ? error.message.slice(0, 1000) : String(error);
      }
      const cutoffAt = await options.cutoffAt().catch(() => null);
      return buildTroubleshooting({
        connection,
        fromCache: false,
        syncLog,
        syncLogError,
        verification: summaryOf(userId),
        now: now(),
        cutoffAt,
      });
    },
    'support.resync': async ({ userId }, context) => {
      const platform = await options.platform();
      const reply = await platform.resync(userId, { signal: context.signal }).catch(platformFailure);
      logger.info('resync requested', { operator: context.operator.id });
      return reply.value;
    },
    'support.magicLink': async ({ userId, ttlMinutes }, context) => {
      const platform = await options.platform();
      const reply = await platform
        .createMagicLink({ userId, target: 'calendar-sync-settings', ttlMinutes }, { signal: context.signal })
        .catch(platformFailure);
      // The link is a credential for the user's account: never logged.
      logger.info('magic link created', { operator: context.operator.id, ttlMinutes });
      return reply.value;
    },
    'support.forceDisconnect': async ({ userId, reason }, context) => {
      const platform = await options.platform();
      const current = await platform.getConnection(userId, { signal: context.signal }).catch(platformFailure);
      const reply = await platform
        .forceDisconnect(userId, { reason }, { ifMatch: current.etag, signal: context.signal })
        .catch((error: unknown) => {
          if (error instanceof PlatformError && error.status === 412)
            throw new ConsoleError(
              'precondition_failed',
              'The connection changed while you were looking at it. Reload the user and decide again.',
            );
          return platformFailure(error);
        });
      logger.info('user force-disconnected', { operator: context.operator.id, changed: reply.value.changed });
      return reply.value;
    },
    'support.findUsers': async ({ q, limit }) => {
      const query = normaliseUserSearch(q);
      if (query.length === 0) return { items: [] };
      return { items: await options.findUsers(query, limit) };
    },
  };

  return {
    handlers,
    results,
    deps,
    reset: () => {
      results.clear();
      graph = null;
    },
  };
}
