import { readFileSync, writeFileSync } from 'node:fs';
import {
  ConsoleError,
  type DisconnectPreview,
  type DisconnectSelection,
  type JobSummary,
} from '../../../shared/contract/index.ts';
import { decodeListFile } from '../../core/disconnect/id-list.ts';
import { readFilterOption } from '../filter-option.ts';
import { UsageError, type Command, type CommandContext } from '../command.ts';
import { withJobsSession, type JobsSession } from './jobs-session.ts';

const n = (value: number): string => value.toLocaleString('en-US');

function countsLine(job: JobSummary): string {
  return Object.entries(job.counts)
    .map(([name, value]) => `${name} ${n(value)}`)
    .join(', ');
}

/** The shape scripts rely on: id, kind, state, per-outcome counts, when. */
export function jobJson(job: JobSummary): Record<string, unknown> {
  return {
    id: job.id,
    kind: job.kind,
    state: job.state,
    counts: job.counts,
    total: job.total,
    createdAt: job.createdAt,
    createdBy: job.createdBy,
    scheduledAt: job.scheduledAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    stateReason: job.stateReason,
    parentId: job.parentId,
    label: job.label,
  };
}

function jobText(job: JobSummary): string {
  const lines = [
    `${job.id}  ${job.kind}  ${job.state}`,
    `  ${job.label}`,
    `  created ${job.createdAt} by ${job.createdByName ?? job.createdBy}${job.scheduledAt ? `, scheduled for ${job.scheduledAt}` : ''}`,
    `  ${countsLine(job)}`,
  ];
  if (job.stateReason) lines.push(`  ${job.stateReason}`);
  return lines.join('\n');
}

function requireId(context: CommandContext): string {
  const id = context.values['id'];
  if (typeof id !== 'string' || id === '')
    throw new UsageError('Name the job: its id, e.g. job_3f2a… (see "jobs list").');
  return id;
}

/**
 * Runs a job in this process until it stops, with progress on stderr. SIGINT/SIGTERM pause it
 * (calls in flight finish and are recorded) so `jobs resume ID` continues exactly there.
 */
export async function followJob(
  session: JobsSession,
  context: CommandContext,
  id: string,
): Promise<JobSummary> {
  let paused = false;
  const onAbort = (): void => {
    if (paused) return;
    paused = true;
    context.out.log(`Stopping: calls in flight finish and are recorded; resume with "jobs resume ${id}".`);
    session.call('jobs.pause', { id }).catch(() => {
      // Already stopped.
    });
  };
  context.signal.addEventListener('abort', onAbort, { once: true });
  let lastLog = Date.now();
  try {
    // The job runs inside this process's core; its state says when it stopped.
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const job = await session.call('jobs.get', { id });
      if (job.state !== 'running') return job;
      if (Date.now() - lastLog > 2000) {
        lastLog = Date.now();
        const settled = job.progress.done + job.progress.skipped + job.progress.failed;
        const rate = job.rate === null ? '' : ` · ${job.rate.toFixed(1)}/s`;
        const eta = job.etaSeconds === null ? '' : ` · ETA ${Math.ceil(job.etaSeconds)} s`;
        context.out.log(`${n(settled)} of ${n(job.total)}: ${countsLine(job)}${rate}${eta}`);
      }
    }
  } finally {
    context.signal.removeEventListener('abort', onAbort);
  }
}

function exitCodeOf(job: JobSummary): number {
  return job.state === 'completed' && job.progress.failed === 0 ? 0 : job.state === 'scheduled' ? 0 : 1;
}

function previewText(preview: DisconnectPreview): string {
  const roles = Object.entries(preview.eligibleByRole)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${n(v)}`)
    .join(', ');
  const lines = [
    `Selected: ${n(preview.selected)} (read from the platform at ${preview.readAt})`,
    `Will be disconnected: ${n(preview.eligible)}${roles ? ` (${roles})` : ''}`,
    ...preview.excluded.map(
      (e) =>
        `Excluded, ${e.label}: ${n(e.count)}${e.items.length > 0 ? ` (e.g. ${e.items.slice(0, 3).join('; ')})` : ''}`,
    ),
  ];
  if (preview.beforeCutoff)
    lines.push(
      `Cut-off: ${preview.cutoffAt} (${preview.timezone}): these users still have ${preview.daysLeft} day(s) to re-authorize.`,
    );
  return lines.join('\n');
}

/** Checks the selection options at once; a filter's bare dates are resolved in the platform's zone once a session is open. */
function readSelection(context: CommandContext): (session: JobsSession) => Promise<DisconnectSelection> {
  const filter = context.values['filter'];
  const csv = context.values['from-csv'];
  if ((filter === undefined) === (csv === undefined))
    throw new UsageError('Give exactly one of --filter EXPR or --from-csv FILE.');
  if (typeof filter === 'string') {
    const option = readFilterOption(filter);
    return async (session) => ({
      kind: 'filter',
      filter: await option.resolve(() => session.call('migration.overview', {})),
      exceptIds: [],
    });
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(String(csv));
  } catch (error) {
    throw new UsageError(
      `--from-csv ${String(csv).slice(0, 200)}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
    );
  }
  const text = decodeListFile(bytes, `--from-csv ${String(csv).slice(0, 200)}`);
  return () => Promise.resolve({ kind: 'csv', text });
}

export const disconnectCommand: Command = {
  name: 'disconnect',
  runsJob: true,
  summary: 'Force-disconnects users still on the legacy connection, as a durable, resumable job.',
  details: [
    'Choose users with --filter (the Users view\'s filter expression, e.g. "status=legacy role=student") or --from-csv',
    '(user ids and/or emails, one per line; unknown and duplicate entries are listed, never guessed). The selection is',
    're-read from the platform; only users still on the legacy connection are disconnected. --dry-run prints the exact',
    'list and changes nothing; --yes runs the job here (Ctrl+C pauses it; "jobs resume ID" continues). One of the two',
    'is required. --at cutoff|ISO schedules it instead: run "jobs run-due" from cron or Task Scheduler at that time.',
  ].join('\n'),
  options: {
    filter: { type: 'string', valueName: 'EXPR', description: 'Users matching this filter expression.' },
    'from-csv': {
      type: 'string',
      valueName: 'FILE',
      description: 'Users listed in this file (UTF-8 or UTF-16 with BOM).',
    },
    reason: {
      type: 'string',
      valueName: 'TEXT',
      description: 'The reason sent to the platform (default: the cut-off).',
    },
    at: {
      type: 'string',
      valueName: 'cutoff|ISO',
      description: 'Schedule for the cut-off instant or a given time.',
    },
    'dry-run': { type: 'boolean', description: 'Print the exact list; change nothing.' },
    yes: { type: 'boolean', description: 'Disconnect the users the preview names.' },
  },
  async run(context) {
    const dryRun = context.values['dry-run'] === true;
    const yes = context.values['yes'] === true;
    if (dryRun === yes)
      throw new UsageError(
        dryRun
          ? 'Give --dry-run or --yes, not both.'
          : 'Add --dry-run to see exactly who would be disconnected, or --yes to disconnect them.',
      );
    const readSelected = readSelection(context);
    const reason = context.values['reason'];
    const at = context.values['at'];
    if (at !== undefined && (typeof at !== 'string' || (at !== 'cutoff' && Number.isNaN(Date.parse(at)))))
      throw new UsageError(
        '--at takes "cutoff" or an ISO 8601 instant with its offset, e.g. 2026-12-15T23:59:00-05:00.',
      );
    return withJobsSession(context, async (session) => {
      const selection = await readSelected(session);
      if (dryRun) {
        const result = await session.call('disconnect.dryRun', { selection });
        const users = result.csv
          .split('\r\n')
          .slice(1)
          .filter((line) => line !== '')
          .map((line) => line.split(',')[0] ?? '');
        context.out.result(
          {
            dryRun: true,
            id: null,
            state: 'dry_run',
            counts: { would_disconnect: result.rowCount },
            preview: result.preview,
            users,
          },
          `${previewText(result.preview)}\n\nDry run: nothing was changed. The ${n(result.rowCount)} users:\n${result.csv}`,
        );
        return 0;
      }
      const preview = await session.call('disconnect.preview', { selection });
      context.out.log(previewText(preview));
      if (preview.eligible === 0)
        throw new ConsoleError('conflict', 'Nobody in this selection is still on the legacy connection.');
      const job = await session.call('disconnect.start', {
        selection,
        confirmCount: preview.eligible,
        ...(typeof reason === 'string' ? { reason } : {}),
        at:
          typeof at === 'string'
            ? at === 'cutoff'
              ? 'cutoff'
              : new Date(Date.parse(at)).toISOString()
            : null,
      });
      if (job.state === 'scheduled') {
        context.out.log(
          `Scheduled for ${job.scheduledAt ?? '?'}. Something must run "jobs run-due" then (cron, Task Scheduler) or the console must be open.`,
        );
        context.out.result(jobJson(job), jobText(job));
        return 0;
      }
      context.out.log(`Job ${job.id} started.`);
      const final = await followJob(session, context, job.id);
      context.out.result(jobJson(final), jobText(final));
      return exitCodeOf(final);
    });
  },
};

export const jobsListCommand: Command = {
  name: 'jobs list',
  summary: 'Lists jobs, newest first, with state and counts.',
  options: {},
  async run(context) {
    return withJobsSession(context, async (session) => {
      const { jobs } = await session.call('jobs.list', {});
      context.out.result(
        { jobs: jobs.map(jobJson) },
        jobs.length === 0 ? 'No jobs yet.' : jobs.map(jobText).join('\n\n'),
      );
      return 0;
    });
  },
};

export const jobsShowCommand: Command = {
  name: 'jobs show',
  summary: "Shows one job: state, counts, and the failed users with the platform's answer.",
  arguments: ['id'],
  options: {},
  async run(context) {
    const id = requireId(context);
    return withJobsSession(context, async (session) => {
      const job = await session.call('jobs.get', { id });
      const failed = await session.call('jobs.items', { id, category: 'failed', offset: 0, limit: 50 });
      const extra = failed.items.map((item) => `  failed ${item.userId}: ${item.detail ?? ''}`);
      context.out.result(
        { ...jobJson(job), failed: failed.items.map((i) => ({ userId: i.userId, detail: i.detail })) },
        [jobText(job), ...extra].join('\n'),
      );
      return 0;
    });
  },
};

export const jobsResumeCommand: Command = {
  name: 'jobs resume',
  runsJob: true,
  summary: 'Resumes a paused or interrupted job here, exactly where it stopped.',
  arguments: ['id'],
  options: {},
  async run(context) {
    const id = requireId(context);
    return withJobsSession(context, async (session) => {
      // A runner that was killed holds its lease until it lapses; wait that long, not longer.
      let job = await session.call('jobs.get', { id });
      const deadline = Date.now() + 60_000;
      if (job.state === 'running')
        context.out.log("The job's lease is still held; waiting for it to lapse (a live runner keeps it).");
      while (job.state === 'running' && Date.now() < deadline && !context.signal.aborted) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        job = await session.call('jobs.get', { id });
      }
      await session.call('jobs.resume', { id });
      context.out.log(`Job ${id} resumed.`);
      const final = await followJob(session, context, id);
      context.out.result(jobJson(final), jobText(final));
      return exitCodeOf(final);
    });
  },
};

export const jobsCancelCommand: Command = {
  name: 'jobs cancel',
  summary: 'Cancels a job; calls in flight finish and are recorded.',
  arguments: ['id'],
  options: {},
  async run(context) {
    const id = requireId(context);
    return withJobsSession(context, async (session) => {
      const job = await session.call('jobs.cancel', { id });
      context.out.result(jobJson(job), jobText(job));
      return 0;
    });
  },
};

export const jobsRetryFailedCommand: Command = {
  name: 'jobs retry-failed',
  runsJob: true,
  summary: 'Runs a new job of the failed users of a job.',
  arguments: ['id'],
  options: {},
  async run(context) {
    const id = requireId(context);
    return withJobsSession(context, async (session) => {
      const job = await session.call('jobs.retryFailed', { id });
      context.out.log(`Job ${job.id} started (retry of ${id}).`);
      const final = await followJob(session, context, job.id);
      context.out.result(jobJson(final), jobText(final));
      return exitCodeOf(final);
    });
  },
};

export const jobsRunDueCommand: Command = {
  name: 'jobs run-due',
  runsJob: true,
  summary: 'Runs every scheduled job whose time has come (for cron or Task Scheduler).',
  options: {},
  async run(context) {
    return withJobsSession(context, async (session) => {
      const { ran } = await session.call('jobs.runDue', {});
      context.out.result(
        { jobs: ran.map(jobJson) },
        ran.length === 0 ? 'No scheduled job is due.' : ran.map(jobText).join('\n\n'),
      );
      return ran.every((job) => exitCodeOf(job) === 0) ? 0 : 1;
    });
  },
};

export const auditVerifyCommand: Command = {
  name: 'audit verify',
  summary: "Checks the audit log's hash chain; a break names the first bad entry (exit 1).",
  options: {},
  async run(context) {
    return withJobsSession(context, async (session) => {
      const result = await session.call('audit.verify', {});
      context.out.result(
        result,
        result.ok
          ? `The audit log is intact: ${n(result.checked)} entries verified.`
          : `The audit log is broken at entry ${result.firstBad?.seq ?? '?'}: ${result.firstBad?.reason ?? ''}`,
      );
      return result.ok ? 0 : 1;
    });
  },
};

export const auditExportCommand: Command = {
  name: 'audit export',
  summary: 'Writes the audit log as CSV.',
  options: { out: { type: 'string', valueName: 'FILE', description: 'Where to write the CSV.' } },
  async run(context) {
    const out = context.values['out'];
    if (typeof out !== 'string' || out === '') throw new UsageError('audit export needs --out FILE.');
    return withJobsSession(context, async (session) => {
      const file = await session.call('audit.export', {});
      writeFileSync(out, file.csv, { mode: 0o600 });
      context.out.result(
        { out, rowCount: file.rowCount },
        `Wrote ${n(file.rowCount)} audit entries to ${out}.`,
      );
      return 0;
    });
  },
};
