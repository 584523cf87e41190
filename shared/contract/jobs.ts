import { z } from 'zod';
import { Timestamp } from '../domain/platform.ts';
import { event, method } from './define.ts';

export const JobState = z.enum([
  'scheduled',
  'running',
  'paused',
  'interrupted',
  'cancelled',
  'failed',
  'completed',
]);
export type JobState = z.infer<typeof JobState>;

export const JobId = z.string().regex(/^job_[A-Za-z0-9]{1,40}$/, 'a job id looks like job_…');

export const JobSummary = z.object({
  id: z.string(),
  kind: z.string().max(40),
  /** What the job does, in words ("Force-disconnect 1,234 users"). */
  label: z.string().max(300),
  state: JobState,
  /** Why it is paused, failed or cancelled, in words (the breaker's reason included). */
  stateReason: z.string().max(2000).nullable(),
  destructive: z.boolean(),
  createdAt: Timestamp,
  /** Operator id (the account's object id, or cli:user@host). */
  createdBy: z.string().max(300),
  createdByName: z.string().max(300).nullable(),
  scheduledAt: Timestamp.nullable(),
  startedAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
  parentId: z.string().nullable(),
  total: z.number().int().nonnegative(),
  /** Per outcome (each kind's outcomes always present), plus `pending`. */
  counts: z.record(z.string(), z.number().int().nonnegative()),
  progress: z.object({
    done: z.number().int().nonnegative(),
    skipped: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    pending: z.number().int().nonnegative(),
  }),
  /** Users per second in the current run; null when not running here. */
  rate: z.number().nonnegative().nullable(),
  etaSeconds: z.number().nonnegative().nullable(),
});
export type JobSummary = z.infer<typeof JobSummary>;

export const JobItem = z.object({
  seq: z.number().int().nonnegative(),
  userId: z.string(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  state: z.enum(['pending', 'in_flight', 'done']),
  outcome: z.string().nullable(),
  category: z.enum(['done', 'skipped', 'failed']).nullable(),
  detail: z.string().max(2000).nullable(),
  attempts: z.number().int().nonnegative(),
  finishedAt: Timestamp.nullable(),
});
export type JobItem = z.infer<typeof JobItem>;

const ById = z.object({ id: JobId }).strict();
const CsvFile = z.object({ filename: z.string(), rowCount: z.number().int().nonnegative(), csv: z.string() });

export const jobsMethods = {
  'jobs.list': method({
    input: z.object({ state: JobState.optional(), kind: z.string().max(40).optional() }).strict(),
    output: z.object({ jobs: z.array(JobSummary) }),
    permission: 'read',
    summary: 'Every job, newest first, optionally of one state or kind.',
  }),
  'jobs.get': method({
    input: ById,
    output: JobSummary,
    permission: 'read',
    summary: 'One job with its counts, rate and ETA.',
  }),
  'jobs.items': method({
    input: z
      .object({
        id: JobId,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
        category: z.enum(['done', 'skipped', 'failed']).optional(),
      })
      .strict(),
    output: z.object({ items: z.array(JobItem), total: z.number().int().nonnegative() }),
    permission: 'read',
    summary: "A window of a job's per-user outcomes, with the platform's answer in words.",
  }),
  'jobs.export': method({
    input: ById,
    output: CsvFile,
    permission: 'export',
    summary: "A job's per-user outcomes as CSV.",
  }),
  'jobs.resume': method({
    input: ById,
    output: JobSummary,
    permission: 'bulk',
    summary: 'Resume a paused or interrupted job (in the background).',
  }),
  'jobs.pause': method({
    input: ById,
    output: JobSummary,
    permission: 'bulk',
    summary: 'Pause a running job: calls in flight finish and are recorded.',
  }),
  'jobs.cancel': method({
    input: ById,
    output: JobSummary,
    permission: 'bulk',
    summary: 'Cancel a job: calls in flight finish and are recorded, nothing else starts.',
  }),
  'jobs.retryFailed': method({
    input: ById,
    output: JobSummary,
    permission: 'bulk',
    summary: "Start a new job of a job's failed users.",
  }),
  'jobs.runDue': method({
    input: z.object({}).strict(),
    output: z.object({ ran: z.array(JobSummary) }),
    permission: 'bulk',
    summary: 'Run every scheduled job whose time has come.',
  }),
} as const;

export const jobsEvents = {
  'jobs.progress': event({
    payload: JobSummary,
    summary: 'A job moved: counts, rate, ETA or state changed (throttled to a few per second).',
  }),
} as const;
