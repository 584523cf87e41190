import { TaskListLtr24Regular } from '@fluentui/react-icons';
import { EmptyState } from '../components/EmptyState.tsx';

export function JobsPage() {
  return (
    <EmptyState
      icon={TaskListLtr24Regular}
      heading="Bulk jobs (force-disconnects, sync verifications, announcement sends) will be tracked here."
      plans={[
        'Show each job’s progress, persisted so it resumes after the console restarts.',
        'Let you pause, resume or cancel a job, and retry the items that failed.',
        'Keep a record of finished jobs and their results.',
      ]}
    >
      No bulk job can be started yet. Roster refreshes do run in the background: their progress and last
      result are in the status bar and at the top of the Dashboard and Users pages.
    </EmptyState>
  );
}
