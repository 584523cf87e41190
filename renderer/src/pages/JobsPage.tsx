import { TaskListLtr24Regular } from '@fluentui/react-icons';
import { EmptyState } from '../components/EmptyState.tsx';

export function JobsPage() {
  return (
    <EmptyState
      icon={TaskListLtr24Regular}
      heading="Running and finished jobs appear here once background jobs land."
      plans={[
        'Show each job’s progress, such as a roster refresh or an announcement send.',
        'Let you pause, resume or cancel a job, and retry the items that failed.',
        'Keep a record of finished jobs and their results.',
      ]}
    >
      The console does not run background work yet, so there is nothing to track.
    </EmptyState>
  );
}
