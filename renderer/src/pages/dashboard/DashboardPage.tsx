import {
  Button,
  Link,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { ExternalLink } from '../../components/ExternalLink.tsx';
import { useClient } from '../../app/client-context.ts';
import { useDashboard, useDashboardStore } from '../../state/dashboard-store.ts';
import { BurnUpSection } from './BurnUpSection.tsx';
import { ChangesSection } from './ChangesSection.tsx';
import { browserTimeZone, otherTimeZone } from './countdown.ts';
import { CountdownCard } from './CountdownCard.tsx';
import { ProgressSection } from './ProgressSection.tsx';
import { SyncHealth } from './SyncHealth.tsx';

/** Section ids (set by each Card) for the "Jump to" links; the hash router owns `#/…`, so these scroll. */
const SECTIONS = [
  ['section-changes', 'What changed'],
  ['section-progress', 'Progress by role'],
  ['section-burnup', 'Progress over time'],
] as const;

const jumpTo = (id: string) => (event: React.MouseEvent) => {
  event.preventDefault();
  const target = document.getElementById(id);
  target?.scrollIntoView({ block: 'start' });
  target?.focus();
};

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    // Every link on the dashboard shows where the keyboard is.
    '& a:focus-visible': {
      outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
      outlineOffset: '2px',
      borderRadius: tokens.borderRadiusSmall,
    },
  },
  jump: { display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', gap: tokens.spacingHorizontalM },
  link: {},
  background: { margin: 0, color: tokens.colorNeutralForeground2 },
});

/** What a director opens every morning: time left, who has moved, who has not, and whether the pace is enough. */
export function DashboardPage() {
  const styles = useStyles();
  const client = useClient();
  useDashboard(client);
  const { summary, migration, summaryFailure, failure, loading } = useDashboardStore();
  const retry = () => void useDashboardStore.getState().load(client);

  let body;
  if (migration === null) {
    body =
      failure !== null ? (
        <MessageBar intent={failure.code === 'unavailable' ? 'warning' : 'error'}>
          <MessageBarBody>
            <MessageBarTitle>The migration figures could not be loaded</MessageBarTitle>
            {failure.message}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={retry}>Retry</Button>
          </MessageBarActions>
        </MessageBar>
      ) : (
        <Spinner label="Loading the migration figures…" size="small" />
      );
  } else {
    const operatorZone =
      summary !== null ? summary.operatorTimeZone : otherTimeZone(migration.timezone, browserTimeZone());
    body = (
      <>
        <nav aria-label="Dashboard sections" className={styles.jump} data-testid="dashboard-jump">
          <Text size={200}>Jump to:</Text>
          {SECTIONS.map(([id, label]) => (
            <Link key={id} href={`#${id}`} className={styles.link} onClick={jumpTo(id)}>
              {label}
            </Link>
          ))}
        </nav>
        <CountdownCard migration={migration} operatorTimeZone={operatorZone} />
        <ChangesSection migration={migration} />
        <ProgressSection migration={migration} />
        <BurnUpSection summary={summary} failure={summaryFailure} onRetry={retry} />
      </>
    );
  }

  return (
    <div className={styles.root} aria-busy={loading}>
      <SyncHealth />
      {body}
      <Text as="p" block size={200} className={styles.background}>
        Why every user must re-authorize: tokens for the retired Outlook REST API do not work on Microsoft
        Graph. Background:{' '}
        <ExternalLink href="https://learn.microsoft.com/en-us/outlook/rest/compare-graph">
          Microsoft’s comparison of Outlook REST and Microsoft Graph
        </ExternalLink>
      </Text>
    </div>
  );
}
