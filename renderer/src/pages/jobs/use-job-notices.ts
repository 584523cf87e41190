import { useEffect } from 'react';
import type { ConsoleClient } from '../../api/client.ts';
import { useNoticesStore } from '../../state/notices-store.ts';
import { formatCount } from '../dashboard/progress.ts';

const ENDED = new Set(['completed', 'failed', 'cancelled', 'paused']);

/**
 * A notice in the page when a job ends or pauses, whatever page is open (the desktop app also shows
 * a system notification from the main process; the browser host has only this).
 */
export function useJobNotices(client: ConsoleClient): void {
  useEffect(() => {
    // On start: jobs whose runner died (killed, crashed, the laptop closed) wait for an operator.
    let live = true;
    client.jobs.list({ state: 'interrupted' }).then(
      ({ jobs }) => {
        if (!live) return;
        for (const job of jobs) {
          const settled = job.progress.done + job.progress.skipped + job.progress.failed;
          useNoticesStore.getState().push({
            key: `job-${job.id}`,
            intent: 'warning',
            title: 'A job was interrupted',
            message: `${job.label}: interrupted at ${formatCount(settled)} of ${formatCount(job.total)}. Resume or cancel it on the Jobs page; it does not resume by itself.`,
          });
        }
      },
      () => {
        // The Jobs page shows the journal's problem where it matters.
      },
    );
    return () => {
      live = false;
    };
  }, [client]);
  useEffect(() => {
    const seen = new Set<string>();
    return client.subscribe('jobs.progress', (job) => {
      if (!ENDED.has(job.state)) return;
      const key = `${job.id}:${job.state}:${job.finishedAt ?? ''}`;
      if (seen.has(key)) return;
      seen.add(key);
      const counts = Object.entries(job.counts)
        .filter(([, n]) => n > 0)
        .map(([name, n]) => `${name.replaceAll('_', ' ')} ${formatCount(n)}`)
        .join(', ');
      useNoticesStore.getState().push({
        key: `job-${job.id}`,
        intent: job.state === 'completed' && job.progress.failed === 0 ? 'success' : 'warning',
        title: `Job ${job.state}`,
        message: `${job.label}. ${counts}.${job.stateReason ? ` ${job.stateReason}` : ''} Details on the Jobs page.`,
      });
    });
  }, [client]);
}
