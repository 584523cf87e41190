import {
  ConsoleError,
  methods,
  type MethodName,
  type VerdictLabels,
} from '../../../shared/contract/index.ts';
import type { Connection, Migration } from '../../../shared/domain/platform.ts';
import { actorOf } from '../audit/actor.ts';
import { AuditLog } from '../audit/audit-log.ts';
import { createDisconnectKind } from '../disconnect/disconnect-kind.ts';
import { DisconnectService } from '../disconnect/disconnect-service.ts';
import type { DisconnectPlatform } from '../disconnect/platform-port.ts';
import type { CallContext, Handlers } from '../ipc/dispatcher.ts';
import type { EventBus } from '../ipc/event-bus.ts';
import type { JournalDatabase } from '../journal/journal-database.ts';
import type { Logger } from '../log/logger.ts';
import { PlatformError } from '../platform/errors.ts';
import { JobEngine, type JobKind, type JobProgress } from './job-engine.ts';
import { effectiveState, JobStore } from './job-store.ts';
import { jobCsv, jobItem, jobSummary } from './job-summary.ts';

/** How long pause and cancel wait for a run here to stop before answering (calls on the wire finish first). */
const STOP_REPLY_WAIT_MS = 3_000;

export type JobsMethod = Extract<MethodName, `jobs.${string}` | `disconnect.${string}` | `audit.${string}`>;

export interface JobsFeatureOptions {
  logger: Logger;
  /** Where progress goes to the UI; null on the CLI. */
  events: EventBus | null;
  journal: JournalDatabase;
  platform: DisconnectPlatform;
  /** Other features' job kinds (verification, announcement delivery), besides force-disconnect. */
  kinds?: readonly JobKind[];
  migration: () => Promise<Migration>;
  cachedStatus?: (userId: string) => Connection['status'] | undefined;
  /** The latest verifications, for a disconnect selection filtered by `verdict`. */
  verdicts?: () => VerdictLabels | null;
  /** A desktop notification when a long job ends (Electron's Notification through the composition root). */
  notify?: ((title: string, body: string) => void) | null;
  now?: () => Date;
  leaseMs?: number;
  concurrency?: number;
  /** How often scheduled jobs are checked in the app (0: only through jobs.runDue). */
  dueCheckMs?: number;
}

export interface JobsFeature {
  handlers: Pick<Handlers, JobsMethod>;
  engine: JobEngine;
  audit: AuditLog;
  disconnect: DisconnectService;
  /** The audit hook at the dispatcher's door: every call that changes something, and every sign-in. */
  recordCall(call: { method: string; input: unknown; context: CallContext; outcome: string }): void;
  /** Notes interrupted jobs and starts checking for due scheduled jobs (background work; not on the CLI). */
  start(): Promise<void>;
  dispose(): Promise<void>;
}

const CLOSED_REASON = 'Paused because the console closed.';
const ALWAYS_AUDITED = new Set(['auth.signIn', 'auth.signOut']);

function targetOf(input: unknown): string | null {
  if (input === null || typeof input !== 'object') return null;
  const record = input as Record<string, unknown>;
  for (const key of ['id', 'userId'] as const) if (typeof record[key] === 'string') return record[key];
  return null;
}

/** Field names only: a settings change may carry a secret (the platform key), which never enters the log. */
function detailOf(input: unknown): string | null {
  if (input === null || typeof input !== 'object') return null;
  const keys = Object.keys(input).filter((key) => key !== 'selection' && key !== 'text');
  return keys.length === 0 ? null : `fields: ${keys.join(', ')}`.slice(0, 500);
}

/** Jobs, force-disconnect and the audit log, as one feature over the journal database of a data source. */
export function createJobsFeature(options: JobsFeatureOptions): JobsFeature {
  const { logger, journal } = options;
  const now = options.now ?? (() => new Date());
  const store = new JobStore(journal, now);
  const audit = new AuditLog(journal, now);
  const safeAppend = (record: Parameters<AuditLog['append']>[0]): void => {
    try {
      audit.append(record);
    } catch (error) {
      logger.error('audit append failed', { error: error instanceof Error ? error.message : String(error) });
    }
  };
  const engine = new JobEngine({
    store,
    logger: logger.child({ component: 'jobs' }),
    kinds: [createDisconnectKind({ platform: options.platform, now }), ...(options.kinds ?? [])],
    now,
    ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    onItemDone: (job, item, result) =>
      safeAppend({
        actor: job.createdBy,
        actorName: job.createdByName,
        transport: 'job',
        action: `${job.kind}.user`,
        target: item.target,
        outcome: result.outcome,
        detail: `${job.id}: ${result.detail ?? ''}`,
      }),
  });
  const disconnect = new DisconnectService({
    platform: options.platform,
    migration: options.migration,
    engine,
    now,
    ...(options.cachedStatus === undefined ? {} : { cachedStatus: options.cachedStatus }),
    ...(options.verdicts === undefined ? {} : { verdicts: options.verdicts }),
  });
  const finishedSeen = new Set<string>();
  engine.onProgress((progress: JobProgress) => {
    const summary = jobSummary(engine, progress);
    options.events?.emit('jobs.progress', summary);
    const terminal = ['completed', 'cancelled', 'failed', 'paused'].includes(summary.state);
    if (terminal && !finishedSeen.has(`${summary.id}:${summary.state}:${summary.finishedAt ?? ''}`)) {
      finishedSeen.add(`${summary.id}:${summary.state}:${summary.finishedAt ?? ''}`);
      safeAppend({
        actor: progress.job.createdBy,
        actorName: progress.job.createdByName,
        transport: 'job',
        action: `job.${summary.state}`,
        target: summary.id,
        outcome: summary.state,
        detail: `${summary.label}; ${Object.entries(summary.counts)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}${summary.stateReason ? `; ${summary.stateReason}` : ''}`,
      });
      options.notify?.(`Job ${summary.state}`, summary.label);
    }
  });

  const summaryOf = (id: string) => jobSummary(engine, engine.progress(id));
  const runInBackground = (id: string): void => {
    void engine.run(id, { operator: true }).catch((error: unknown) =>
      logger.warn('job run refused', {
        jobId: id,
        error: error instanceof Error ? error.message : String(error),
      }),
    );
  };
  const platformErrors = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof PlatformError) throw error.toConsoleError();
      throw error;
    }
  };

  const handlers: Pick<Handlers, JobsMethod> = {
    'jobs.list': ({ state, kind }) => {
      const nowMs = now().getTime();
      const jobs = store
        .list(kind === undefined ? {} : { kind })
        .filter((job) => state === undefined || effectiveState(job, nowMs) === state);
      return { jobs: jobs.map((job) => summaryOf(job.id)) };
    },
    'jobs.get': ({ id }) => summaryOf(id),
    'jobs.items': ({ id, offset, limit, category }) => {
      store.require(id);
      const counts = store.counts(id);
      const total = category === undefined ? counts.total : counts[category === 'done' ? 'done' : category];
      return {
        items: store
          .items(id, { offset, limit, ...(category === undefined ? {} : { category }) })
          .map(jobItem),
        total,
      };
    },
    'jobs.export': ({ id }) => {
      const job = store.require(id);
      const items = store.items(id);
      return { filename: `${job.id}-${job.kind}.csv`, rowCount: items.length, csv: jobCsv(items) };
    },
    'jobs.resume': ({ id }) => {
      const job = store.require(id);
      const state = effectiveState(job, now().getTime());
      if (state !== 'paused' && state !== 'interrupted')
        throw new ConsoleError(
          'conflict',
          `Job ${id} is ${state}; only a paused or interrupted job can be resumed.`,
        );
      runInBackground(id);
      return summaryOf(id);
    },
    // Waits (briefly) for a run here to stop, so the reply is the state the action led to: a reply
    // saying `running` would otherwise overwrite the progress event that said it stopped.
    'jobs.pause': async ({ id }) => {
      engine.pause(id);
      await engine.stoppedHere(id, STOP_REPLY_WAIT_MS);
      return summaryOf(id);
    },
    'jobs.cancel': async ({ id }) => {
      engine.cancel(id);
      await engine.stoppedHere(id, STOP_REPLY_WAIT_MS);
      return summaryOf(id);
    },
    'jobs.retryFailed': (input, context) => {
      const who = actorOf(context);
      const job = engine.retryFailed(input.id, { createdBy: who.actor, createdByName: who.actorName });
      runInBackground(job.id);
      return summaryOf(job.id);
    },
    'jobs.runDue': async () => {
      const ran = await engine.runDue();
      return { ran: ran.map((progress) => jobSummary(engine, progress)) };
    },
    'disconnect.preview': ({ selection }, context) =>
      platformErrors(async () => (await disconnect.preview(selection, context.signal)).preview),
    'disconnect.dryRun': ({ selection }) => platformErrors(() => disconnect.dryRun(selection)),
    'disconnect.start': (input, context) =>
      platformErrors(async () => {
        const who = actorOf(context);
        const job = await disconnect.create(input, { createdBy: who.actor, createdByName: who.actorName });
        if (job.scheduledAt === null) runInBackground(job.id);
        return summaryOf(job.id);
      }),
    'audit.list': (filter) => ({ ...audit.list(filter), retentionDays: audit.retentionDays() }),
    'audit.verify': () => audit.verify(),
    'audit.export': () => {
      const { csv, rowCount } = audit.exportCsv();
      return { filename: `audit-log-${now().toISOString().slice(0, 10)}.csv`, rowCount, csv };
    },
    'audit.setRetention': ({ days }) => {
      audit.setRetentionDays(days);
      return { retentionDays: audit.retentionDays() };
    },
    'audit.purge': (_input, context) => {
      const result = audit.purge();
      const who = actorOf(context);
      safeAppend({
        actor: who.actor,
        actorName: who.actorName,
        transport: context.transport,
        action: 'audit.purged',
        target: null,
        outcome: 'ok',
        detail: `${result.purged} entries older than ${result.before ?? 'the retention'} removed (retention ${audit.retentionDays() ?? 'none'} days)`,
      });
      return result;
    },
  };

  let timer: ReturnType<typeof setInterval> | null = null;
  return {
    handlers,
    engine,
    audit,
    disconnect,
    recordCall({ method, input, context, outcome }) {
      const spec = (methods as Record<string, { permission: string }>)[method];
      if (spec === undefined || (spec.permission === 'read' && !ALWAYS_AUDITED.has(method))) return;
      const who = actorOf(context);
      safeAppend({
        actor: who.actor,
        actorName: who.actorName,
        transport: context.transport,
        action: method,
        target: targetOf(input),
        outcome,
        detail: detailOf(input),
      });
    },
    async start() {
      try {
        const nowMs = now().getTime();
        for (const job of store.list()) {
          const state = effectiveState(job, nowMs);
          // A job that changes nothing (verification) resumes by itself; a destructive one waits.
          if (
            !job.destructive &&
            (state === 'interrupted' || (state === 'paused' && job.stateReason === CLOSED_REASON))
          ) {
            logger.info('job resumed after a restart', { jobId: job.id, kind: job.kind });
            void engine.run(job.id, { operator: false }).catch((error: unknown) =>
              logger.warn('job not resumed', {
                jobId: job.id,
                error: error instanceof Error ? error.message : String(error),
              }),
            );
          } else if (state === 'interrupted')
            logger.warn('job interrupted; waiting for an operator', { jobId: job.id, kind: job.kind });
        }
      } catch (error) {
        logger.warn('journal not readable at start', {
          error: error instanceof Error ? error.message : String(error),
        });
      }
      const every = options.dueCheckMs ?? 30_000;
      if (every > 0) {
        timer = setInterval(() => {
          void engine.runDue().catch((error: unknown) =>
            logger.warn('scheduled job failed to start', {
              error: error instanceof Error ? error.message : String(error),
            }),
          );
        }, every);
        timer.unref?.();
      }
    },
    async dispose() {
      if (timer !== null) clearInterval(timer);
      // In-flight calls finish and are recorded before the journal closes; the job is then paused.
      await engine.pauseAll(CLOSED_REASON, 30_000);
    },
  };
}
