import { z } from 'zod';
import { Timestamp } from '../domain/platform.ts';
import { method } from './define.ts';
import { JobId, JobState, JobSummary } from './jobs.ts';
import { AudienceSpec, MagicLinkTtl, NamedTemplate, OrgOverrides } from './mail.ts';

/**
 * Reminders: sends scheduled before the platform's cut-off (by default 14, 7 and 1 days before), each
 * one a scheduled `mail.send` job whose audience is decided when it runs (only users still not
 * migrated then). The schedule is those jobs: editing it cancels and creates jobs; there is no table of
 * its own. Due runs start while the console is open (the job engine's periodic check) and from a system
 * scheduler with `mail reminders run-due`.
 */

export const DEFAULT_REMINDER_DAYS = [14, 7, 1] as const;
/** The local hour (platform's zone) a reminder goes out on its day. */
export const REMINDER_HOUR = 10;

const DaysBefore = z.number().int().min(0).max(90);

export const ReminderRun = z.object({
  jobId: JobId,
  /** Whole days before the cut-off's calendar day (in the platform's zone). */
  daysBefore: z.number().int(),
  scheduledAt: Timestamp,
  state: JobState,
  templateName: z.string().max(200),
  createdByName: z.string().max(300).nullable(),
  /** Users the run reached (sent), once it ran. */
  sent: z.number().int().nonnegative(),
});
export type ReminderRun = z.infer<typeof ReminderRun>;

export const ReminderSchedule = z.object({
  cutoffAt: Timestamp.nullable(),
  /** The cut-off's calendar date in the platform's zone. */
  cutoffDate: z.string().max(10).nullable(),
  timeZone: z.string().max(100).nullable(),
  defaultDays: z.array(z.number().int()).max(10),
  hour: z.number().int().min(0).max(23),
  /** Runs still to come (scheduled), soonest first. */
  upcoming: z.array(ReminderRun).max(100),
  /** Runs that started, were cancelled or finished, newest first (the last 20). */
  past: z.array(ReminderRun).max(20),
  /** Why reminders cannot be scheduled now (platform not reachable, cut-off passed), or null. */
  problem: z.string().max(500).nullable(),
});
export type ReminderSchedule = z.infer<typeof ReminderSchedule>;

export const SetReminderSchedule = z
  .object({
    /** Days before the cut-off, each at most once; an empty list clears the schedule. */
    days: z
      .array(DaysBefore)
      .max(10, 'At most 10 reminders.')
      .refine((days) => new Set(days).size === days.length, 'Each day only once.'),
    template: NamedTemplate,
    overrides: OrgOverrides.default({}),
    audience: AudienceSpec,
    sharedMailbox: z.email().max(254).nullable().default(null),
    magicLinkTtlMinutes: MagicLinkTtl,
  })
  .strict();
export type SetReminderSchedule = z.input<typeof SetReminderSchedule>;

export const remindersMethods = {
  'reminders.schedule': method({
    summary: 'The reminder schedule: runs to come and past ones, with the cut-off they count back from.',
    permission: 'read',
    input: z.object({}).strict(),
    output: ReminderSchedule,
  }),
  'reminders.setSchedule': method({
    summary:
      'Sets the reminder days and template: cancels scheduled runs no longer wanted (or with another template) and schedules the missing ones.',
    permission: 'send',
    input: SetReminderSchedule,
    output: ReminderSchedule.extend({
      created: z.array(JobId).max(10),
      cancelled: z.array(JobId).max(100),
      /** Days left out because their time has passed. */
      skippedPast: z.array(z.number().int()).max(10),
    }),
  }),
  'reminders.runDue': method({
    summary: 'Runs every reminder whose time has come (for a system scheduler: `mail reminders run-due`).',
    permission: 'send',
    input: z.object({}).strict(),
    output: z.object({ ran: z.array(JobSummary).max(100) }),
  }),
} as const;
