import { ConsoleError, type MethodName } from '../../../shared/contract/index.ts';
import type { Connection, SyncLogEntry } from '../../../shared/domain/platform.ts';
import type { Feature } from '../feature.ts';
import { GraphClient } from '../graph/client.ts';
import { graphBudget } from '../workspace/platform-clients.ts';
import type { Handlers } from '../ipc/dispatcher.ts';
import type { Logger } from '../log/logger.ts';
import type { PlatformClient } from '../platform/client.ts';
import { PlatformError } from '../platform/errors.ts';
import type { WorkspaceHost, WorkspaceSlot } from '../workspace/workspace-host.ts';
import type { WorkspacePart } from '../workspace/workspace.ts';
import type { AccessSource, GraphAccess } from './graph-access.ts';
import type { JobEngine } from '../jobs/job-engine.ts';
import { jobSummary } from '../jobs/job-summary.ts';
import type { NewItem } from '../jobs/job-store.ts';
import { actorOf } from '../audit/actor.ts';
import type {
  RosterFilter,
  VerdictLabels,
  VerifyReportFormat,
  VerifySelection,
} from '../../../shared/contract/index.ts';
import { VerifyPacer } from './pacer.ts';
import { reportedCount, verifyReportPieces } from './report.ts';
import { VerificationResultStore } from './results.ts';
import { VERIFY_KIND, type VerifyParams } from './verify-kind.ts';
import { buildTroubleshooting } from './troubleshoot.ts';
import { verifyUser, type VerifyDeps } from './verify-user.ts';
import { formatFilterExpression } from '../roster/filter-expression.ts';
import { writePiecesFile, type ChooseSaveFile } from '../roster/export/roster-csv-file.ts';
import { basename } from 'node:path';

export type VerifyMethod = Extract<MethodName, `verify.${string}` | `support.${string}`>;

/** At most this many remote requests in flight for verification (docs/verification.md says why). */
export const GLOBAL_CONCURRENCY = 32;

export interface FoundUser {
  userId: string;
  name: string;
  email: string;
  status: string;
}

export interface VerifyFeatureOptions {
  logger: Logger;
  workspaces: WorkspaceHost;
  access: AccessSource;
  /** The migration's cut-off, when known (for the diagnosis wording); may fail. */
  cutoffAt: () => Promise<string | null>;
  /** Users matching a search, for the command palette (the roster's own query). */
  findUsers: (q: string, limit: number) => Promise<FoundUser[]>;
  /**
   * The users a roster filter matches (the roster's query, verdict filter included), ordered by
   * user id, with the email and name the job keeps (sealed) for its report and the Jobs page.
   */
  usersMatching: (
    filter: RosterFilter,
    verdicts: VerdictLabels | null,
  ) => Array<{ userId: string; email: string | null; name: string | null }>;
  /** Where to save a report (Electron's save dialog; the CLI's --out); absent where reports download. */
  chooseSaveFile?: ChooseSaveFile | null;
  /** The current data source's job engine (the jobs feature's), where verification jobs run. */
  jobs: () => JobEngine;
  /** The roster cache's copy of a user, for a diagnosis while the platform cannot be reached. */
  cachedConnection?: (userId: string) => Connection | undefined;
  now?: () => Date;
}

/** Verification's state for one data source: its results (in the journal), its pacer and its Graph client. */
export interface VerifyPart extends WorkspacePart {
  readonly results: VerificationResultStore;
  /** The deps a verification (one user or a bulk job) runs with: same pacer, same Graph access. */
  deps(): Promise<VerifyDeps>;
}

export interface VerifyFeature extends Feature<VerifyMethod> {
  readonly slot: WorkspaceSlot<VerifyPart>;
}

function platformFailure(error: unknown): never {
  if (error instanceof PlatformError) throw error.toConsoleError();
  throw error;
}

/** What a job's selection was, in words, for the Jobs page. */
function selectionLabel(selection: VerifySelection, limit: number | undefined): string {
  const first = limit === undefined ? '' : ` (first ${limit.toLocaleString('en-US')})`;
  if (selection.kind === 'ids')
    return `${selection.userIds.length.toLocaleString('en-US')} chosen users${first}`;
  const expression = formatFilterExpression(selection.filter);
  const except =
    selection.exceptIds.length > 0 ? ` except ${selection.exceptIds.length.toLocaleString('en-US')}` : '';
  return `${expression === '' ? 'every user' : expression}${except}${first}`.slice(0, 200);
}

/** Turns "Last, First" (as the Users table shows names) into words the roster search matches. */
export function normaliseUserSearch(q: string): string {
  return q.replace(/,/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * Sync verification and the one-user troubleshooter (docs/verification.md, docs/diagnosis.md).
 * Results are per data source (a workspace part), so switching platform starts afresh.
 */
export function createVerifyFeature(options: VerifyFeatureOptions): VerifyFeature {
  const { logger } = options;
  const now = options.now ?? (() => new Date());

  const slot = options.workspaces.slot((workspace): VerifyPart => {
    const results = new VerificationResultStore(workspace.journal);
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
            // The process-wide Graph budget (net/): 4 per mailbox, its 10-minute quota, the pause after a 429.
            budget: graphBudget,
          }),
        };
      }
      return graph.client;
    };
    return {
      results,
      async deps() {
        const platform: PlatformClient = await workspace.platform();
        const access = options.access.resolve();
        return {
          platform,
          graph: graphFor(access),
          pacer,
          ...(access.kind === 'none' ? { noGraphReason: access.reason } : {}),
          now,
        };
      },
      dispose() {
        graph = null;
      },
    };
  });

  const selectedUsers = (selection: VerifySelection, limit: number | undefined): NewItem[] => {
    let users: Array<{ userId: string; email: string | null; name: string | null }>;
    if (selection.kind === 'ids') {
      const seen = new Set<string>();
      users = [];
      for (const userId of selection.userIds)
        if (!seen.has(userId)) {
          seen.add(userId);
          users.push({ userId, email: null, name: null });
        }
    } else {
      const except = new Set(selection.exceptIds);
      const labels = selection.filter.verdict === undefined ? null : slot.current.results.labels();
      users = options.usersMatching(selection.filter, labels).filter((u) => !except.has(u.userId));
    }
    return users.slice(0, limit ?? users.length).map((u) => ({
      target: u.userId,
      personal: u.email === null && u.name === null ? null : { email: u.email, name: u.name },
      facts: {},
    }));
  };

  /** A verification job's report: its name, its size in users, and its text piece by piece. */
  const reportOf = (id: string, format: VerifyReportFormat) => {
    const engine = options.jobs();
    const job = engine.store.require(id);
    if (job.kind !== VERIFY_KIND)
      throw new ConsoleError('bad_input', `Job ${id} is not a verification job (it is ${job.kind}).`);
    const { label, state } = jobSummary(engine, engine.progress(id));
    const results = slot.current.results;
    return {
      filename: `${job.id}-verification.${format}`,
      rowCount: reportedCount(engine.store, job),
      pieces: () => verifyReportPieces(engine.store, results, job, format, label, state),
    };
  };

  const handlers: Pick<Handlers, VerifyMethod> = {
    'verify.user': async ({ userId }, context) => {
      const part = slot.current;
      const result = await verifyUser(await part.deps(), userId, context.signal);
      part.results.record(result, null);
      logger.info('user verified', {
        verdict: result.verdict,
        items: result.items.length,
        ms: Math.round(result.durationMs),
      });
      return result;
    },
    'verify.latest': ({ userId }) => slot.current.results.get(userId),
    'verify.list': (input) => slot.current.results.list(input),
    'verify.start': ({ selection, limit }, context) => {
      const engine = options.jobs();
      const items = selectedUsers(selection, limit);
      if (items.length === 0)
        throw new ConsoleError('conflict', 'No user matches this selection: nothing to verify.');
      const who = actorOf(context);
      const params: VerifyParams = {
        selectionLabel: selectionLabel(selection, limit),
        graph: options.access.resolve().kind !== 'none',
      };
      const job = engine.create({
        kind: VERIFY_KIND,
        params: params as unknown as Record<string, unknown>,
        createdBy: who.actor,
        createdByName: who.actorName,
        items,
      });
      void engine.run(job.id, { operator: true }).catch((error: unknown) =>
        logger.warn('verification job refused', {
          jobId: job.id,
          error: error instanceof Error ? error.message : String(error),
        }),
      );
      return jobSummary(engine, engine.progress(job.id));
    },
    'verify.report': ({ id, format }) => {
      const report = reportOf(id, format);
      return { filename: report.filename, rowCount: report.rowCount, content: [...report.pieces()].join('') };
    },
    'verify.reportFile': async ({ id, format }) => {
      const choose = options.chooseSaveFile;
      if (!choose)
        throw new ConsoleError(
          'unavailable',
          'Saving a report to a file you choose is part of the desktop app; here the report downloads instead.',
        );
      const first = reportOf(id, format);
      const path = await choose(first.filename);
      if (path === null) return { saved: false, filename: '', rowCount: 0 };
      // The job as it is once the operator has chosen (it may have gone on meanwhile).
      const report = reportOf(id, format);
      await writePiecesFile(path, report.pieces());
      logger.info('verification report saved', { users: report.rowCount, format });
      return { saved: true, filename: basename(path).slice(0, 260), rowCount: report.rowCount };
    },
    'verify.access': () => options.access.state(),
    'verify.setAccess': (change) => options.access.set(change),
    'support.troubleshoot': async ({ userId }, context) => {
      const part = slot.current;
      let connection: Connection;
      let fromCache = false;
      let platform: PlatformClient | null = null;
      try {
        platform = (await part.deps()).platform;
        connection = await platform.getConnection(userId, { signal: context.signal });
      } catch (error) {
        // The platform cannot be reached: diagnose from the roster cache's copy, and say so.
        const unreachable =
          (error instanceof PlatformError && error.status !== 404 && error.status !== 400) ||
          (error instanceof ConsoleError && error.code === 'unavailable');
        const cached = unreachable ? options.cachedConnection?.(userId) : undefined;
        if (cached === undefined) return platformFailure(error);
        connection = cached;
        fromCache = true;
      }
      let syncLog: SyncLogEntry[] | null = null;
      let syncLogError: string | null = null;
      if (fromCache || platform === null)
        syncLogError =
          'The platform could not be reached, so its sync log is not shown; the facts above are the cached copy.';
      else
        try {
          syncLog = (await platform.getSyncLog(userId, { limit: 50 }, { signal: context.signal })).items;
        } catch (error) {
          syncLogError = error instanceof Error ? error.message.slice(0, 1000) : String(error);
        }
      const cutoffAt = await options.cutoffAt().catch(() => null);
      return buildTroubleshooting({
        connection,
        fromCache,
        syncLog,
        syncLogError,
        verification: part.results.summary(userId),
        now: now(),
        cutoffAt,
      });
    },
    'support.resync': async ({ userId }, context) => {
      const platform = (await slot.current.deps()).platform;
      const reply = await platform.resync(userId, { signal: context.signal }).catch(platformFailure);
      logger.info('resync requested', { operator: context.operator.id });
      return reply.value;
    },
    'support.magicLink': async ({ userId, ttlMinutes }, context) => {
      const platform = (await slot.current.deps()).platform;
      const reply = await platform
        .createMagicLink({ userId, target: 'calendar-sync-settings', ttlMinutes }, { signal: context.signal })
        .catch(platformFailure);
      // The link is a credential for the user's account: never logged.
      logger.info('magic link created', { operator: context.operator.id, ttlMinutes });
      return reply.value;
    },
    'support.forceDisconnect': async ({ userId, reason }, context) => {
      const platform = (await slot.current.deps()).platform;
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

  // Results live in the journal (the operator's record), so Settings → Clear cache leaves them.
  return { name: 'verify', handlers, slot };
}
