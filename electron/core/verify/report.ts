import type { VerifyReportFormat } from '../../../shared/contract/verify.ts';
import type { JobRecord, JobStore } from '../jobs/job-store.ts';
import { emptyCounts } from './classify.ts';
import { verificationCsvHeader, verificationCsvRows } from './report-csv.ts';
import type { StoredVerification, VerificationResultStore } from './results.ts';

/** Users read from the journal per piece: a piece is a few hundred KB of text at most. */
const USERS_PER_PIECE = 200;

/**
 * The latest verification of every settled user of a job, a page of users at a time. A user
 * verified again since (by a later job or "verify now") is reported with that newer result, and
 * its `jobId` says so; a user whose check could not even run has no stored result and is
 * reported from the job's own record (verdict `failed` with the job's words).
 */
function* reportedUsers(
  jobs: JobStore,
  results: VerificationResultStore,
  job: JobRecord,
): Generator<StoredVerification[]> {
  for (let offset = 0; offset < job.total; offset += USERS_PER_PIECE) {
    const items = jobs.items(job.id, { offset, limit: USERS_PER_PIECE });
    if (items.length === 0) return;
    const page: StoredVerification[] = [];
    for (const item of items) {
      if (item.state !== 'done') continue;
      const stored = results.get(item.target);
      page.push(
        stored ?? {
          userId: item.target,
          verdict: 'failed',
          counts: emptyCounts(),
          checkedAt: item.finishedAt ?? job.createdAt,
          graphChecked: false,
          notChecked: [],
          platform: {
            status: 'unknown',
            syncedItemCount: 0,
            itemsRead: 0,
            lastSyncAt: null,
            lastSyncOutcome: null,
            lastErrorCode: null,
            failedRuns: { toCalendar: 0, fromCalendar: 0 },
          },
          items: [],
          error: item.detail ?? 'The verification did not run.',
          durationMs: 0,
          jobId: job.id,
        },
      );
    }
    yield page;
  }
}

/**
 * A verification job's report, piece by piece (a page of users each), so a caller can write it to
 * a file or a socket without holding every cell: CSV (one row per item) or JSON
 * `{jobId, state, label, byVerdict, users: [{userId, verdict, counts, checkedAt, jobId, notChecked,
 * error}], items: [{userId, itemId, externalEventId, class, detail, newId?}]}` (docs/verification.md).
 */
export function* verifyReportPieces(
  jobs: JobStore,
  results: VerificationResultStore,
  job: JobRecord,
  format: VerifyReportFormat,
  label: string,
  /** The job's state as operators see it (a lapsed lease is `interrupted`); its stored one by default. */
  state: string = job.state,
): Generator<string> {
  if (format === 'csv') {
    yield verificationCsvHeader();
    for (const page of reportedUsers(jobs, results, job)) yield verificationCsvRows(page);
    return;
  }
  const byVerdict = jobs.counts(job.id).byOutcome;
  yield `{"jobId":${JSON.stringify(job.id)},"state":${JSON.stringify(state)},"label":${JSON.stringify(label)},"byVerdict":${JSON.stringify(byVerdict)},"users":[`;
  let first = true;
  for (const page of reportedUsers(jobs, results, job)) {
    const text = page
      .map(({ userId, verdict, counts, checkedAt, jobId, notChecked, error }) =>
        JSON.stringify({ userId, verdict, counts, checkedAt, jobId, notChecked, error }),
      )
      .join(',');
    if (text === '') continue;
    yield `${first ? '' : ','}${text}`;
    first = false;
  }
  yield '],"items":[';
  first = true;
  for (const page of reportedUsers(jobs, results, job)) {
    const text = page
      .flatMap((u) => u.items)
      .map((item) => JSON.stringify(item))
      .join(',');
    if (text === '') continue;
    yield `${first ? '' : ','}${text}`;
    first = false;
  }
  yield ']}\n';
}

/** How many users a report holds (settled items of the job). */
export function reportedCount(jobs: JobStore, job: JobRecord): number {
  const counts = jobs.counts(job.id);
  return counts.done + counts.skipped + counts.failed;
}
