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
      The audit record is not kept yet: the console’s actions today (browsing the roster, exporting it as CSV,
      changing settings and signing in) are not listed here.
    </EmptyState>
  );
}
