import { Megaphone24Regular } from '@fluentui/react-icons';
import { EmptyState } from '../components/EmptyState.tsx';

export function AnnouncementsPage() {
  return (
    <EmptyState
      icon={Megaphone24Regular}
      heading="Announcement emails are composed and sent from here once the feature lands."
      plans={[
        'Start from the re-authorization email template with {{FirstName}}, [UNIVERSITY] and [DATE PROVIDED] filled in for you.',
        'Preview each message before it goes out, and send only to users who still need to act.',
        'Show who received which announcement, and when.',
      ]}
    >
      No email can be composed or sent from the console yet.
    </EmptyState>
  );
}
