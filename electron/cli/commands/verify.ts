import {
  ConsoleError,
  type JobSummary,
  type UserVerification,
  type VerifyReportFormat,
} from '../../../shared/contract/index.ts';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { verificationCsv } from '../../core/verify/report-csv.ts';
import { FILTER_KEYS } from '../../core/roster/filter-expression.ts';
import { readFilterOption } from '../filter-option.ts';
import { UsageError, type Command } from '../command.ts';
import { intOption } from '../globals.ts';
import { followJob } from './jobs.ts';
import { countsText } from '../../core/verify/verify-kind.ts';
import { GRAPH_APP_OPTIONS, openVerifyCore } from './verify-session.ts';

export function describeVerification(r: UserVerification): string {
  const counts = countsText(r.counts);
  const lines = [`${r.userId}: ${r.verdict.replace('_', ' ')}${counts ? ` (${counts})` : ''}`];
  if (r.error) lines.push(`  ${r.error}`);
  for (const item of r.items) {
    if (item.class === 'ok') continue;
    lines.push(
      `  ${item.class.padEnd(10)} ${item.itemId}: ${item.detail}${item.newId ? ` New id: ${item.newId}` : ''}`,
    );
  }
  for (const note of r.notChecked) lines.push(`  Not checked: ${note}`);
  return lines.join('\n');
}

/** The format of a report file: JSON for a name ending in .json, else CSV. */
function formatOf(file: string): VerifyReportFormat {
  return file.toLowerCase().endsWith('.json') ? 'json' : 'csv';
}

interface ReportDocument {
  jobId: string;
  state: string;
  label: string;
  byVerdict: Record<string, number>;
  users: Array<{ userId: string; verdict: string; counts: Record<string, number>; error: string | null }>;
  items: unknown[];
}

function reportText(job: JobSummary, doc: ReportDocument): string {
  const verdicts = Object.entries(doc.byVerdict)
    .filter(([, n]) => n > 0)
    .map(([v, n]) => `${n.toLocaleString('en-US')} ${v.replace('_', ' ')}`)
    .join(', ');
  const lines = [
    `${job.id} ${job.state}: ${doc.users.length.toLocaleString('en-US')} users verified${verdicts ? ` (${verdicts})` : ''}`,
  ];
  if (job.stateReason) lines.push(job.stateReason);
  for (const u of doc.users.filter((x) => x.verdict !== 'ok' && x.verdict !== 'no_items').slice(0, 200)) {
    const counts = countsText(u.counts);
    lines.push(
      `${u.userId}: ${u.verdict.replace('_', ' ')}${counts ? ` (${counts})` : ''}${u.error ? `: ${u.error}` : ''}`,
    );
  }
  return lines.join('\n');
}

/** Writes a job's report to a file (mode 600) and returns the JSON document for the output. */
async function finishJob(
  session: Awaited<ReturnType<typeof openVerifyCore>>,
  job: JobSummary,
  outFile: string | undefined,
  context: Parameters<Command['run']>[0],
): Promise<number> {
  if (outFile !== undefined) {
    // Written by the core a page of users at a time (to a .partial file renamed when complete).
    const file = await session.call('verify.reportFile', { id: job.id, format: formatOf(outFile) });
    context.out.log(`Report of ${file.rowCount.toLocaleString('en-US')} users written to ${outFile}.`);
  }
  const report = await session.call('verify.report', { id: job.id, format: 'json' });
  const doc = JSON.parse(report.content) as ReportDocument;
  context.out.result(doc, reportText(job, doc));
  const failed = (doc.byVerdict['failed'] ?? 0) > 0;
  return job.state === 'completed' && !failed ? 0 : 1;
}

export const verifyCommand: Command = {
  name: 'verify',
  summary:
    "Checks that users' synced items are still on their calendars, unchanged and under their stored ids.",
  details:
    'One user (--user ID), or every user matching --filter EXPR as a verification job (the roster filter\n' +
    `language: ${FILTER_KEYS.join(', ')}; verdict=… picks users by their latest verification),\n` +
    'or the report of an earlier verification job (--report JOB_ID).\n' +
    'A job runs here with progress on stderr; Ctrl+C pauses it (calls in flight finish and are recorded) and\n' +
    '"jobs resume ID" continues it; the desktop app resumes an interrupted verification by itself. With\n' +
    '--data-dir the job and every result are kept in the journal (the Users view filters on them).\n' +
    'Graph access: --graph-token-env VAR, or --graph-tenant, --graph-client-id and --graph-client-secret-env VAR;\n' +
    "in demo mode the sandbox's verifier app. Without Graph access the check is platform-only and says so.\n" +
    'JSON (--json): one user → {userId, verdict, counts, …, items: [{userId, itemId, externalEventId, class, detail, newId?}]};\n' +
    'a job → {jobId, state, label, byVerdict, users: [{userId, verdict, counts, checkedAt, jobId, notChecked, error}], items: [every item]}.\n' +
    '--out FILE writes the report (a .json name: that JSON; otherwise CSV, one row per item).\n' +
    'Exit code 0 when every user could be verified (anomalies included), 1 when a user could not be or the job stopped.',
  options: {
    user: { type: 'string', valueName: 'ID', description: 'The user to verify.' },
    filter: {
      type: 'string',
      valueName: 'EXPR',
      description: 'Verify every user matching this roster filter (a verification job).',
    },
    report: {
      type: 'string',
      valueName: 'JOB_ID',
      description: 'The report of an earlier verification job (with --out FILE and/or --json).',
    },
    limit: { type: 'string', valueName: 'N', description: 'With --filter: at most N users (default: all).' },
    out: {
      type: 'string',
      valueName: 'FILE',
      description: 'Also write the report to FILE: JSON when it ends in .json, else CSV.',
    },
    csv: {
      type: 'string',
      valueName: 'FILE',
      description: 'Also write the report as CSV (one row per item) to FILE.',
    },
    ...GRAPH_APP_OPTIONS,
  },
  async run(context) {
    const { values } = context;
    const user = typeof values['user'] === 'string' ? values['user'].trim() : undefined;
    const expression = typeof values['filter'] === 'string' ? values['filter'] : undefined;
    const reportId = typeof values['report'] === 'string' ? values['report'].trim() : undefined;
    if ([user, expression, reportId].filter((v) => v !== undefined).length !== 1)
      throw new UsageError('Give exactly one of --user ID, --filter EXPR or --report JOB_ID.');
    if (user === '') throw new UsageError('--user needs a user id.');
    if (reportId === '') throw new UsageError('--report needs a job id (see "jobs list").');
    const limit = intOption(values, 'limit', 1, 1_000_000);
    const csvFile = typeof values['csv'] === 'string' && values['csv'] !== '' ? values['csv'] : undefined;
    const outOption = typeof values['out'] === 'string' && values['out'] !== '' ? values['out'] : undefined;
    if (csvFile !== undefined && outOption !== undefined)
      throw new UsageError('Give --out FILE or --csv FILE, not both.');
    const outFile = outOption ?? csvFile;
    if (csvFile !== undefined && formatOf(csvFile) === 'json')
      throw new UsageError('--csv writes CSV; for JSON give --out FILE.json.');
    const option = expression === undefined ? undefined : readFilterOption(expression);
    const session = await openVerifyCore(context, outFile === undefined ? {} : { saveTo: resolve(outFile) });
    try {
      if (reportId !== undefined)
        return await finishJob(session, await session.call('jobs.get', { id: reportId }), outFile, context);
      if (session.graphKind === 'none')
        context.out.log('No Graph access given: this is a platform-only check.');
      if (user !== undefined) {
        const result = await session.call('verify.user', { userId: user });
        if (outFile !== undefined)
          writeFileSync(
            outFile,
            formatOf(outFile) === 'json' ? `${JSON.stringify(result)}\n` : verificationCsv([result]),
            { encoding: 'utf8', mode: 0o600 },
          );
        context.out.result(result, describeVerification(result));
        return result.verdict === 'failed' ? 1 : 0;
      }
      if (context.globals.dataDir === undefined)
        context.out.log(
          'Note: without --data-dir the job and its results live in memory and end with this command.',
        );
      const filter = (await option?.resolve(() => session.call('migration.overview', {}))) ?? {};
      // The selection is the roster brought up to date, as the Users view would show it.
      const state = await session.call('roster.sync', { mode: 'incremental', wait: true });
      if (state.lastError !== null) throw new ConsoleError('unavailable', state.lastError);
      const started = await session.call('verify.start', {
        selection: { kind: 'filter', filter, exceptIds: [] },
        ...(limit === undefined ? {} : { limit }),
      });
      context.out.log(`Job ${started.id} started: ${started.label}.`);
      const job = await followJob(session, context, started.id);
      return await finishJob(session, job, outFile, context);
    } finally {
      await session.close();
    }
  },
};
