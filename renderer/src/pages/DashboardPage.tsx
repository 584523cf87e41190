import { makeStyles, Text, tokens } from '@fluentui/react-components';
import { DataUsage24Regular } from '@fluentui/react-icons';
import { EmptyState } from '../components/EmptyState.tsx';
import { ExternalLink } from '../components/ExternalLink.tsx';

const useStyles = makeStyles({
  footer: { margin: 0, paddingTop: tokens.spacingVerticalS },
});

export function DashboardPage() {
  const styles = useStyles();
  return (
    <EmptyState
      icon={DataUsage24Regular}
      heading="Migration progress appears here once roster sync lands."
      plans={[
        'Count users still on Outlook REST v2.0, waiting to re-authorize, and already on Microsoft Graph, by role.',
        'Show the days left until the cut-off date, in the migration’s time zone.',
        'Chart progress day by day, so you can see whether announcements are working.',
      ]}
      footer={
        <Text as="p" block className={styles.footer}>
          Background:{' '}
          <ExternalLink href="https://learn.microsoft.com/en-us/outlook/rest/compare-graph">
            Microsoft’s comparison of Outlook REST and Microsoft Graph
          </ExternalLink>
        </Text>
      }
    >
      The console does not read the career platform’s roster yet, so there are no numbers to show. Nothing
      here is estimated or sample data.
    </EmptyState>
  );
}
