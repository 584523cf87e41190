import type { JobSummary } from '../../../shared/contract/jobs.ts';
import {
  DEFAULT_AUDIENCE_FILTER,
  type DeliveryMode,
  type DeliveryPlan,
  type DeliveryStatus,
} from '../../../shared/contract/mail.ts';
import type { RosterFilter } from '../../../shared/contract/roster-query.ts';
import { formatInstant } from '../../../shared/time/instant-format.ts';
import { FILTER_KEYS } from '../../core/roster/filter-expression.ts';
import { openCliCore } from '../cli-core.ts';
import { UsageError, type Command, type CommandContext } from '../command.ts';
import { readFilterOption } from '../filter-option.ts';
import { followJob, jobJson } from './jobs.ts';
import { platformZone } from './platform-zone.ts';
import { readTemplateFile, reportTemplateErrors } from './mail-template-file.ts';

const n = (value: number): string => value.toLocaleString('en-US');

function duration(minutes: number): string {
  if (minutes % 1440 === 0) return `${n(minutes / 1440)} day${minutes === 1440 ? '' : 's'}`;
  if (minutes % 60 === 0) return `${n(minutes / 60)} hour${minutes === 60 ? '' : 's'}`;
  return `${n(minutes)} minute${minutes === 1 ? '' : 's'}`;
}

/** The plan in words; times in the platform's time zone (`zone`) as everywhere in the console. */
function planText(plan: DeliveryPlan, zone: string | null): string {
  const when = (iso: string): string => (zone === null ? iso : (formatInstant(iso, zone) ?? iso));
  const verb = plan.mode === 'send' ? 'Send' : 'Save drafts';
  const lines = [
    `${verb} from ${plan.sender.address ?? '(sign in to know)'}${plan.sender.kind === 'shared' ? ' (shared mailbox)' : ''}`,
    `Recipients: ${n(plan.recipients)} of ${n(plan.total)} selected (internal ${n(plan.internal)}, external ${n(plan.external)})`,
    `Held back: ${n(plan.excluded.duplicateEmail)} sharing an address, ${n(plan.excluded.noEmail)} without a usable address, ${n(plan.excluded.suppressed)} suppressed`,
  ];
  for (const user of plan.excludedSample.slice(0, 10))
    lines.push(`  ${user.reason}: ${user.userId} ${user.email}`);
  if (plan.earliestFinishAt !== null)
    lines.push(
      plan.mode === 'send'
        ? `Earliest finish at Exchange limits (${plan.limits.messagesPerMinute}/min, ${n(plan.limits.recipientsPerDay)} recipients/24 h; ${n(plan.limits.recipientsUsedLastDay)} used): ${when(plan.earliestFinishAt)}`
        : `Earliest finish: ${when(plan.earliestFinishAt)}`,
    );
  if (plan.magicLinks.used)
    lines.push(
      `Magic links: made as each message goes, valid ${duration(plan.magicLinks.ttlMinutes ?? 0)} after it.`,
    );
  if (plan.magicLinks.warning !== null) lines.push(`Warning: ${plan.magicLinks.warning}`);
  for (const note of plan.notes) lines.push(`Note: ${note}`);
  return lines.join('\n');
}

function outcomesLine(status: DeliveryStatus): string {
  return Object.entries(status.outcomes)
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${outcome} ${n(count)}`)
    .join(', ');
}

function deliveryCommand(mode: DeliveryMode): Command {
  const what = mode === 'send' ? 'sends' : 'saves drafts of';
  return {
    name: mode === 'send' ? 'mail send' : 'mail drafts',
    runsJob: true,
    summary:
      mode === 'send'
        ? 'Sends an announcement to every recipient through Graph sendMail, as a paced, resumable job.'
        : 'Saves an announcement as one Outlook draft per recipient (POST /me/messages), for review before sending.',
    details: [
      `Renders the --template for each user --filter selects and ${what} it from your mailbox, one message per`,
      `recipient (--filter default status=${DEFAULT_AUDIENCE_FILTER.status.join(',')}; keys: ${FILTER_KEYS.join(', ')}).`,
      'Users sharing an address, without a usable one, or suppressed are listed and never mailed; each user is checked',
      'again on the platform just before their message, so someone who re-authorized meanwhile is skipped.',
      '--dry-run prints the plan (recipients, exclusions, internal vs external, earliest finish) and sends nothing;',
      '--yes runs the job here with progress (Ctrl+C pauses it; "jobs resume ID" continues). One of the two is required.',
      mode === 'send'
        ? 'Sending is paced at Exchange Online’s limits (30 messages a minute, 10,000 recipients a day); when the day’s\nquota is used the job waits and resumes with "jobs run-due" (cron) or in the open console; nobody is mailed twice.'
        : 'Drafts are not sent: open Outlook’s Drafts folder to review and send them.',
      'Graph access: with --platform-url, give --graph-token-env VAR, the variable holding a delegated Graph token for',
      'your mailbox with Mail.Send and Mail.ReadWrite (e.g. from "az account get-access-token --resource-type ms-graph"),',
      'and --graph-url for a Graph other than Microsoft’s. In demo mode the demo director’s mailbox is used.',
      'A large audience runs for hours: give --data-dir (and CONSOLE_DATA_KEY) so the job survives this process.',
    ].join('\n'),
    options: {
      template: { type: 'string', valueName: 'FILE', description: 'The template text file (required).' },
      filter: { type: 'string', valueName: 'EXPR', description: 'Which users (default: not yet migrated).' },
      university: { type: 'string', valueName: 'NAME', description: '[UNIVERSITY] (default: Settings).' },
      cutoff: {
        type: 'string',
        valueName: 'ISO',
        description: '[DATE PROVIDED] (default: the platform’s cut-off).',
      },
      'shared-mailbox': {
        type: 'string',
        valueName: 'ADDRESS',
        description: 'Send as this shared mailbox (you need Send As on it).',
      },
      'no-magic-links': {
        type: 'boolean',
        description: 'Leave magic links out ({{MagicLink}} → re-authorize page).',
      },
      'dry-run': { type: 'boolean', description: 'Print the plan; send nothing.' },
      yes: {
        type: 'boolean',
        description: mode === 'send' ? 'Send to the recipients the plan names.' : 'Save the drafts.',
      },
    },
    async run(context: CommandContext) {
      const { values } = context;
      const dryRun = values['dry-run'] === true;
      const yes = values['yes'] === true;
      if (dryRun === yes)
        throw new UsageError(
          dryRun
            ? 'Give --dry-run or --yes, not both.'
            : `Add --dry-run to see the plan, or --yes to ${mode === 'send' ? 'send' : 'save the drafts'}.`,
        );
      const option = typeof values['filter'] === 'string' ? readFilterOption(values['filter']) : undefined;
      const shared = values['shared-mailbox'];
      if (shared !== undefined && (typeof shared !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(shared)))
        throw new UsageError('--shared-mailbox takes an address such as careers@school.edu.');
      const file = readTemplateFile(context);

      const core = await openCliCore(context, { operatorMail: true });
      try {
        if (context.globals.dataDir === undefined)
          context.out.log(
            'Note: without --data-dir the job journal lives in memory and ends with this command.',
          );
        const synced = await core.call('roster.sync', { mode: 'incremental', wait: true });
        if (synced.lastError !== null) {
          context.out.result({ error: { code: 'unavailable', message: synced.lastError } }, '');
          context.out.log(synced.lastError);
          return 1;
        }
        const filter: RosterFilter = (await option?.resolve(() => core.call('migration.overview', {}))) ?? {
          status: [...DEFAULT_AUDIENCE_FILTER.status],
        };
        const request = {
          template: { ...file.template, name: file.name },
          overrides: file.overrides,
          audience: { filter },
          mode,
          sharedMailbox: typeof shared === 'string' ? shared : null,
          magicLinkTtlMinutes: values['no-magic-links'] === true ? null : 7 * 24 * 60,
        };
        const plan = await core.call('mail.planDelivery', request);
        const zone = await platformZone(core);
        if (reportTemplateErrors(context, file, plan.issues)) return 1;
        if (dryRun) {
          context.out.result(
            { dryRun: true, id: null, state: 'dry_run', counts: { would_mail: plan.recipients }, plan },
            `${planText(plan, zone)}\n\nDry run: nothing was ${mode === 'send' ? 'sent' : 'saved'}.`,
          );
          return 0;
        }
        context.out.log(planText(plan, zone));
        const job: JobSummary = await core.call('mail.startDelivery', {
          ...request,
          confirmCount: plan.recipients,
        });
        context.out.log(`Job ${job.id} started.`);
        const final = await followJob(core, context, job.id);
        const status = await core.call('mail.delivery', { id: final.id });
        const human = [
          `${final.id}  ${final.kind}  ${final.state}`,
          `  ${final.label}`,
          `  ${outcomesLine(status) || 'nothing settled yet'}`,
          ...(final.stateReason ? [`  ${final.stateReason}`] : []),
          ...(status.resumesAt !== null
            ? [`  Resumes at ${status.resumesAt}: run "jobs run-due" then (cron) or keep the console open.`]
            : []),
        ].join('\n');
        context.out.result(
          {
            ...jobJson(final),
            outcomes: status.outcomes,
            announcementId: status.announcementId,
            resumesAt: status.resumesAt,
          },
          human,
        );
        if (final.state === 'scheduled') return 0;
        return final.state === 'completed' && final.progress.failed === 0 ? 0 : 1;
      } finally {
        await core.close();
      }
    },
  };
}

export const mailSendCommand = deliveryCommand('send');
export const mailDraftsCommand = deliveryCommand('drafts');
