import type { JobState, JobSummary } from '../../../../shared/contract/index.ts';

export const STATE_LABELS: Record<JobState, string> = {
  scheduled: 'Scheduled',
  running: 'Running',
  paused: 'Paused',
  interrupted: 'Interrupted',
  cancelled: 'Cancelled',
  failed: 'Failed',
  completed: 'Completed',
};

export function stateLabel(state: JobState): string {
  return STATE_LABELS[state];
}

/** Users with an outcome (done, skipped or failed). */
export function settledOf(job: JobSummary): number {
  return job.progress.done + job.progress.skipped + job.progress.failed;
}

export function rateText(job: JobSummary): string {
  return job.rate === null || job.state !== 'running' ? '' : ` · ${job.rate.toFixed(1)}/s`;
}

/** "ETA 3 min" style; empty when unknown. */
export function etaText(job: JobSummary): string {
  if (job.etaSeconds === null || job.state !== 'running') return '';
  const s = Math.ceil(job.etaSeconds);
  if (s < 90) return ` · about ${s} s left`;
  if (s < 5400) return ` · about ${Math.round(s / 60)} min left`;
  return ` · about ${(s / 3600).toFixed(1)} h left`;
}

/** The Jobs page's address for one job, opened with its per-user outcomes (`#/jobs?job=job_…`). */
export function jobHref(id: string): string {
  return `#/jobs?job=${encodeURIComponent(id)}`;
}

/** The job a Jobs page address names, or null (only a well-formed job id is taken). */
export function jobFromHash(hash: string): string | null {
  const query = hash.split('?')[1];
  if (query === undefined) return null;
  const id = new URLSearchParams(query.split('#')[0]).get('job');
  return id !== null && /^job_[A-Za-z0-9]{1,40}$/.test(id) ? id : null;
}
