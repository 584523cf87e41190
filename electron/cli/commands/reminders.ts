import { formatInstant } from '../../../shared/time/instant-format.ts';
import type { ReminderRun } from '../../../shared/contract/reminders.ts';
import { openCliCore } from '../cli-core.ts';
import type { Command } from '../command.ts';
import { jobJson } from './jobs.ts';
import { withJobsSession } from './jobs-session.ts';

/** One run in words, its time in the platform's time zone (`zone`) when known. */
function runText(run: ReminderRun, zone: string | null): string {
  const when = zone === null ? run.scheduledAt : (formatInstant(run.scheduledAt, zone) ?? run.scheduledAt);
  const days = `${run.daysBefore} day${run.daysBefore === 1 ? '' : 's'} before`;
  return `${when}  ${days}  ${run.state}  ${run.templateName}  ${run.jobId}${run.sent > 0 ? `  sent ${run.sent.toLocaleString('en-US')}` : ''}`;
}

export const mailRemindersListCommand: Command = {
  name: 'mail reminders list',
  summary: 'Shows the reminder schedule: runs to come and past runs, counted back from the cut-off.',
  details:
    'Reminders are scheduled send jobs (set on the Announcements page, Reminders tab); each run targets only users still not migrated when it runs.',
  options: {},
  async run(context) {
    return withJobsSession(context, async (session) => {
      const schedule = await session.call('reminders.schedule', {});
      const zone = schedule.timeZone;
      const lines = [
        `Cut-off: ${schedule.cutoffAt === null ? 'not known' : zone === null ? schedule.cutoffAt : `${formatInstant(schedule.cutoffAt, zone) ?? schedule.cutoffAt} (${zone})`}`,
        schedule.upcoming.length === 0
          ? 'No reminder is scheduled.'
          : ['To come:', ...schedule.upcoming.map((run) => runText(run, zone))].join('\n  '),
        ...(schedule.past.length === 0
          ? []
          : [['Past:', ...schedule.past.map((run) => runText(run, zone))].join('\n  ')]),
        ...(schedule.problem === null ? [] : [schedule.problem]),
      ];
      context.out.result(schedule, lines.join('\n'));
      return 0;
    });
  },
};

export const mailRemindersRunDueCommand: Command = {
  name: 'mail reminders run-due',
  runsJob: true,
  summary: 'Sends every reminder whose time has come (for cron or Task Scheduler).',
  details: [
    'Each due reminder is a scheduled send job; it re-reads its audience as it starts, so only users still not',
    'migrated are written to. Run it every few minutes from a system scheduler with the same --data-dir as the',
    'console; while the console is open it starts due reminders by itself. Exit 1 when a run did not complete.',
    'Sending needs your mailbox: with --platform-url give --graph-token-env VAR (a delegated Graph token with',
    'Mail.Send); in demo mode the demo director’s mailbox is used. The roster is synced first when a run is due.',
  ].join('\n'),
  options: {},
  async run(context) {
    const session = await openCliCore(context, { operatorMail: true });
    try {
      if (context.globals.dataDir === undefined)
        context.out.log(
          'Note: without --data-dir the job journal lives in memory and ends with this command.',
        );
      const schedule = await session.call('reminders.schedule', {});
      const due = schedule.upcoming.filter((run) => Date.parse(run.scheduledAt) <= Date.now());
      if (due.length > 0) {
        // A run chooses its audience from the roster as it starts: bring it up to date first.
        const synced = await session.call('roster.sync', { mode: 'incremental', wait: true });
        if (synced.lastError !== null) {
          context.out.result({ error: { code: 'unavailable', message: synced.lastError } }, '');
          context.out.log(synced.lastError);
          return 1;
        }
      }
      const { ran } = await session.call('reminders.runDue', {});
      context.out.result(
        { jobs: ran.map(jobJson) },
        ran.length === 0
          ? 'No reminder is due.'
          : ran
              .map(
                (job) =>
                  `${job.id}  ${job.state}  ${job.label}${job.stateReason ? `\n  ${job.stateReason}` : ''}`,
              )
              .join('\n'),
      );
      return ran.every((job) => job.state === 'completed') ? 0 : 1;
    } finally {
      await session.close();
    }
  },
};
