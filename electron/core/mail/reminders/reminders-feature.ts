import {
  ConsoleError,
  methods,
  type JobSummary,
  type MethodName,
  type MethodParsedInput,
  type ReminderRun,
  type ReminderSchedule,
} from '../../../../shared/contract/index.ts';
import { AudienceSpec, DELIVERY_JOB_KINDS } from '../../../../shared/contract/mail.ts';
import { DEFAULT_REMINDER_DAYS, REMINDER_HOUR } from '../../../../shared/contract/reminders.ts';
import type { Migration } from '../../../../shared/domain/platform.ts';
import type { Feature } from '../../feature.ts';
import type { CallContext, Handlers } from '../../ipc/dispatcher.ts';
import type { JobEngine } from '../../jobs/job-engine.ts';
import { effectiveState, type JobRecord } from '../../jobs/job-store.ts';
import { jobSummary } from '../../jobs/job-summary.ts';
import type { Logger } from '../../log/logger.ts';
import type { DatabaseSync } from 'node:sqlite';
import { createHash } from 'node:crypto';
import { dateInZone } from '../../dashboard/calendar-dates.ts';
import { daysBeforeCutoff, reminderInstant } from './reminder-schedule.ts';

export type RemindersMethod = Extract<MethodName, `reminders.${string}`>;
export type StartDeliveryInput = MethodParsedInput<'mail.startDelivery'>;

export interface RemindersFeatureOptions {
  logger: Logger;
  /** The current data source's journal database (where the jobs are), for the reminder marks. */
  db: () => DatabaseSync | null;
  /** The current data source's job engine (null before its journal opens). */
  engine: () => JobEngine | null;
  migration: () => Promise<Migration>;
  /** Creates a delivery job (the delivery feature's `mail.startDelivery`): a scheduled one here. */
  startDelivery: (input: StartDeliveryInput, context: CallContext) => Promise<JobSummary>;
  now?: () => Date;
}

export interface RemindersFeature extends Feature<RemindersMethod> {
  /** Calendar dates (in `timeZone`) of reminder runs still to come, for the dashboard's timeline. */
  upcomingDays(timeZone: string): string[];
}

const SEND = DELIVERY_JOB_KINDS.send;

/** The template name a delivery job records (the delivery kind owns its parameters: read defensively). */
function templateNameOf(job: JobRecord): string {
  const p = job.params as Record<string, unknown>;
  const template = (p['template'] ?? {}) as Record<string, unknown>;
  const name = p['templateName'] ?? template['name'];
  return (typeof name === 'string' ? name : 'Announcement').slice(0, 200);
}

/**
 * What makes two reminder runs the same message to the same audience from the same mailbox, as a
 * SHA-256 of the request (the suppression list is in it, so it is hashed, never kept in clear).
 */
function fingerprintOf(parts: {
  name: unknown;
  subject: unknown;
  body: unknown;
  audience: unknown;
  overrides: unknown;
  sharedMailbox: unknown;
  ttl: unknown;
}): string {
  const text = JSON.stringify([
    parts.name ?? null,
    parts.subject ?? null,
    parts.body ?? null,
    canonical(parts.audience),
    canonical(parts.overrides),
    parts.sharedMailbox ?? null,
    parts.ttl ?? null,
  ]);
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with object keys sorted, so the same values compare equal whatever order they were written in. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, canonical(v)]),
    );
  return value ?? null;
}

/**
 * Reminders as scheduled `mail.send` jobs: the schedule is read from the job engine and edited by
 * cancelling and creating jobs. A reminder's audience is decided by the send kind when it runs.
 */
export function createRemindersFeature(options: RemindersFeatureOptions): RemindersFeature {
  const now = options.now ?? (() => new Date());
  let lastMigration: Migration | null = null;

  const engineOrFail = (): JobEngine => {
    const engine = options.engine();
    if (engine === null)
      throw new ConsoleError('unavailable', 'The journal is not open yet; try again in a moment.', {
        retryable: true,
      });
    return engine;
  };

  /**
   * Which send jobs are reminder runs. The job is the run (its time, state, audience and outcomes); this
   * mark only tells it apart from a send started now that a quota pause rescheduled (also `scheduled`).
   */
  const marked = new WeakSet<DatabaseSync>();
  const marks = (): DatabaseSync | null => {
    const db = options.db();
    if (db !== null && !marked.has(db)) {
      db.exec(
        `CREATE TABLE IF NOT EXISTS mail_reminder_runs (
           job_id TEXT PRIMARY KEY, request_hash TEXT NOT NULL, marked_at TEXT NOT NULL
         ) STRICT`,
      );
      marked.add(db);
    }
    return db;
  };
  /** Reminder runs' job ids and the hash of the request each was made from. */
  const markedIds = (): Map<string, string> => {
    const db = marks();
    if (db === null) return new Map();
    const rows = db.prepare('SELECT job_id, request_hash FROM mail_reminder_runs').all() as Array<{
      job_id: string;
      request_hash: string;
    }>;
    return new Map(rows.map((row) => [row.job_id, row.request_hash]));
  };

  /** Reminder runs, in any state. */
  const reminderJobs = (engine: JobEngine): JobRecord[] => {
    const ids = markedIds();
    return engine.store.list({ kind: SEND, limit: 2000 }).filter((job) => ids.has(job.id));
  };
  /** A run still to come: scheduled and never started (a started run waiting out a quota is not). */
  const isUpcoming = (job: JobRecord, nowMs: number): boolean =>
    job.startedAt === null && effectiveState(job, nowMs) === 'scheduled';

  const runOf = (engine: JobEngine, job: JobRecord, migration: Migration | null): ReminderRun => {
    const templateName = templateNameOf(job);
    const counts = engine.store.counts(job.id);
    return {
      jobId: job.id,
      daysBefore:
        migration === null
          ? 0
          : daysBeforeCutoff(job.scheduledAt ?? '', migration.cutoffAt, migration.timezone),
      scheduledAt: job.scheduledAt ?? job.createdAt,
      state: effectiveState(job, now().getTime()),
      templateName,
      createdByName: job.createdByName,
      sent: counts.byOutcome['sent'] ?? 0,
    };
  };

  const schedule = async (): Promise<ReminderSchedule> => {
    let problem: string | null = null;
    try {
      lastMigration = await options.migration();
    } catch (error) {
      problem = `The platform could not be reached, so the cut-off is ${lastMigration === null ? 'not known' : 'the last one seen'}: ${error instanceof Error ? error.message.slice(0, 200) : 'unknown error'}`;
    }
    const migration = lastMigration;
    const engine = engineOrFail();
    const nowMs = now().getTime();
    const jobs = reminderJobs(engine);
    const upcoming = jobs
      .filter((job) => isUpcoming(job, nowMs))
      .map((job) => runOf(engine, job, migration))
      .sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt));
    const past = jobs
      .filter((job) => !isUpcoming(job, nowMs))
      .map((job) => runOf(engine, job, migration))
      .sort((a, b) => b.scheduledAt.localeCompare(a.scheduledAt))
      .slice(0, 20);
    if (migration !== null && problem === null && Date.parse(migration.cutoffAt) <= now().getTime())
      problem = 'The cut-off has passed: there is nothing left to remind anyone of.';
    return {
      cutoffAt: migration?.cutoffAt ?? null,
      cutoffDate: migration === null ? null : dateInZone(new Date(migration.cutoffAt), migration.timezone),
      timeZone: migration?.timezone ?? null,
      defaultDays: [...DEFAULT_REMINDER_DAYS],
      hour: REMINDER_HOUR,
      upcoming: upcoming.slice(0, 100),
      past,
      problem,
    };
  };

  const handlers: Pick<Handlers, RemindersMethod> = {
    'reminders.schedule': () => schedule(),

    'reminders.setSchedule': async (input, context) => {
      let migration: Migration;
      try {
        migration = await options.migration();
        lastMigration = migration;
      } catch {
        throw new ConsoleError(
          'unavailable',
          'The platform could not be reached: reminders count back from its cut-off, so they can be scheduled only while it answers.',
          { retryable: true },
        );
      }
      const engine = engineOrFail();
      const nowMs = now().getTime();
      const wanted = new Map<number, string>();
      const skippedPast: number[] = [];
      for (const days of input.days) {
        const at = reminderInstant(migration.cutoffAt, migration.timezone, days);
        if (Date.parse(at) <= nowMs) skippedPast.push(days);
        else wanted.set(days, at);
      }
      const delivery = {
        template: input.template,
        overrides: input.overrides,
        audience: input.audience,
        mode: 'send' as const,
        sharedMailbox: input.sharedMailbox,
        magicLinkTtlMinutes: input.magicLinkTtlMinutes,
      };
      const fingerprint = fingerprintOf({
        name: input.template.name,
        subject: input.template.subject,
        body: input.template.body,
        audience: AudienceSpec.parse(input.audience),
        overrides: input.overrides,
        sharedMailbox: input.sharedMailbox,
        ttl: input.magicLinkTtlMinutes,
      });
      // Decide first, change after: which runs stay, which go.
      const kept = new Set<number>();
      const unwanted: string[] = [];
      const marksNow = markedIds();
      for (const job of reminderJobs(engine)) {
        if (!isUpcoming(job, nowMs)) continue;
        const days = daysBeforeCutoff(job.scheduledAt ?? '', migration.cutoffAt, migration.timezone);
        const at = wanted.get(days);
        if (
          at !== undefined &&
          at === job.scheduledAt &&
          !kept.has(days) &&
          marksNow.get(job.id) === fingerprint
        )
          kept.add(days);
        else unwanted.push(job.id);
      }
      // New runs before old ones go, so a refusal (signed out, the template no longer valid) leaves the
      // schedule as it was: what this call created is cancelled again.
      const created: string[] = [];
      try {
        for (const [days, at] of [...wanted].sort((a, b) => b[0] - a[0])) {
          if (kept.has(days)) continue;
          // The same parsing the contract does for `mail.startDelivery`, so the kind gets its defaults.
          const start = methods['mail.startDelivery'].input.parse({
            ...delivery,
            confirmCount: null,
            scheduledAt: at,
          }) as StartDeliveryInput;
          const job = await options.startDelivery(start, context);
          created.push(job.id);
          marks()
            ?.prepare(
              'INSERT OR IGNORE INTO mail_reminder_runs (job_id, request_hash, marked_at) VALUES (?, ?, ?)',
            )
            .run(job.id, fingerprint, now().toISOString());
        }
      } catch (error) {
        for (const id of created) engine.cancel(id, 'The reminder schedule could not be saved.');
        throw error;
      }
      const cancelled: string[] = [];
      for (const id of unwanted) {
        engine.cancel(id, 'Replaced by a change to the reminder schedule.');
        cancelled.push(id);
      }
      options.logger.info('reminder schedule set', {
        operator: context.operator.id,
        days: input.days,
        created: created.length,
        cancelled: cancelled.length,
      });
      return { ...(await schedule()), created, cancelled, skippedPast };
    },

    'reminders.runDue': async () => {
      const engine = engineOrFail();
      const ran: JobSummary[] = [];
      const ids = markedIds();
      for (const job of engine.store.due(now())) {
        if (!ids.has(job.id)) continue;
        try {
          ran.push(jobSummary(engine, await engine.run(job.id, { operator: false, scheduledRun: true })));
        } catch (error) {
          // Another runner (the open console, another scheduler run) holds it: that one sends it.
          if (error instanceof ConsoleError && error.code === 'conflict') {
            options.logger.info('reminder run skipped: another runner has it', { jobId: job.id });
            continue;
          }
          throw error;
        }
        if (ran.length >= 100) break;
      }
      return { ran };
    },
  };

  return {
    name: 'reminders',
    handlers,
    upcomingDays(timeZone) {
      const engine = options.engine();
      if (engine === null) return [];
      const nowMs = now().getTime();
      const days = reminderJobs(engine)
        .filter((job) => isUpcoming(job, nowMs))
        .map((job) => dateInZone(new Date(job.scheduledAt ?? ''), timeZone));
      return [...new Set(days)].sort();
    },
  };
}
