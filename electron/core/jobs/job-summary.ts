import type { JobItem, JobSummary } from '../../../shared/contract/index.ts';
import type { JobEngine, JobProgress } from './job-engine.ts';
import type { ItemRecord } from './job-store.ts';

/** The contract's view of a job: counts per outcome (every outcome of its kind named), rate, ETA. */
export function jobSummary(engine: JobEngine, progress: JobProgress): JobSummary {
  const { job, counts } = progress;
  let outcomes: readonly string[] = [];
  let label = `${job.kind} job of ${job.total} items`;
  try {
    const kind = engine.kind(job.kind);
    outcomes = kind.outcomes;
    label = kind.describe(job);
  } catch {
    // A kind this console does not know (a newer console wrote it): show what the journal says.
  }
  const byOutcome: Record<string, number> = Object.fromEntries(outcomes.map((name) => [name, 0]));
  for (const [name, n] of Object.entries(counts.byOutcome)) byOutcome[name] = (byOutcome[name] ?? 0) + n;
  byOutcome['pending'] = counts.pending + counts.inFlight;
  return {
    id: job.id,
    kind: job.kind,
    label: label.slice(0, 300),
    state: progress.state,
    stateReason: job.stateReason,
    destructive: job.destructive,
    createdAt: job.createdAt,
    createdBy: job.createdBy,
    createdByName: job.createdByName,
    scheduledAt: job.scheduledAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    parentId: job.parentId,
    total: job.total,
    counts: byOutcome,
    progress: {
      done: counts.done,
      skipped: counts.skipped,
      failed: counts.failed,
      pending: counts.pending + counts.inFlight,
    },
    rate: progress.rate,
    etaSeconds: progress.etaSeconds,
  };
}

export function jobItem(item: ItemRecord): JobItem {
  return {
    seq: item.seq,
    userId: item.target,
    email: item.personal?.email ?? null,
    name: item.personal?.name ?? null,
    state: item.state,
    outcome: item.outcome,
    category: item.category,
    detail: item.detail === null ? null : item.detail.slice(0, 2000),
    attempts: item.attempts,
    finishedAt: item.finishedAt,
  };
}

/** RFC 4180 field; a leading =, +, - or @ is prefixed so a spreadsheet never runs it as a formula. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvOf(
  header: readonly string[],
  rows: Iterable<ReadonlyArray<string | number | null>>,
): string {
  const lines = [header.join(',')];
  for (const row of rows) lines.push(row.map(csvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function jobCsv(items: readonly ItemRecord[]): string {
  return csvOf(
    ['userId', 'email', 'name', 'outcome', 'detail', 'attempts', 'finishedAt'],
    items.map((item) => [
      item.target,
      item.personal?.email ?? null,
      item.personal?.name ?? null,
      item.outcome ?? item.state,
      item.detail,
      item.attempts,
      item.finishedAt,
    ]),
  );
}
