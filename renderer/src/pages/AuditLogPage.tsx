import { History24Regular } from '@fluentui/react-icons';
import { EmptyState } from '../components/EmptyState.tsx';

export function AuditLogPage() {
  return (
    <EmptyState
      icon={History24Regular}
      heading="A record of every action taken in this console appears here once auditing lands."
      plans={[
        'List who did what and when: announcements sent, users contacted, settings changed.',
        'Search and filter the record by person, action and date.',
        'Export it for your records.',
      ]}
    >
      Actions are not recorded yet. Changing your theme is the only thing the console does today.
    </EmptyState>
  );
}
