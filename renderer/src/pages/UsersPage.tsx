import { People24Regular } from '@fluentui/react-icons';
import { EmptyState } from '../components/EmptyState.tsx';

export function UsersPage() {
  return (
    <EmptyState
      icon={People24Regular}
      heading="The user list appears here once roster sync lands."
      plans={[
        'List every Student, Alumni and Career Center user with a calendar connection.',
        'Filter by status: still on the legacy API, re-authorization pending, migrated, disconnected or failing.',
        'Open one user to see their last sync and send them a Magic Link to re-authorize.',
      ]}
    >
      The console is not connected to the career platform’s user roster yet.
    </EmptyState>
  );
}
