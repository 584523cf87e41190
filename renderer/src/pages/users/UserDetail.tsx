import {
  Button,
  DrawerBody,
  DrawerHeader,
  DrawerHeaderTitle,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  OverlayDrawer,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { Dismiss24Regular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import type { Connection } from '../../../../shared/domain/platform.ts';
import { useClient } from '../../app/client-context.ts';
import { errorMessage } from '../../format/errors.ts';
import { displayName } from './columns.ts';
import {
  ERROR_EXPLANATION,
  ERROR_LABEL,
  PROVIDER_LABEL,
  ROLE_SINGULAR,
  SYNC_OUTCOME_LABEL,
} from './labels.ts';
import { StatusBadge } from './StatusBadge.tsx';

const useStyles = makeStyles({
  list: {
    display: 'grid',
    gridTemplateColumns: 'minmax(130px, auto) 1fr',
    gap: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    margin: 0,
  },
  pair: { display: 'contents' },
  term: { color: tokens.colorNeutralForeground2, margin: 0 },
  value: { margin: 0, overflowWrap: 'anywhere' },
  body: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    paddingBottom: tokens.spacingVerticalXL,
  },
  muted: { color: tokens.colorNeutralForeground3 },
});

export interface UserDetailProps {
  userId: string | null;
  /** The row as the table has it, shown at once while the fresh copy loads. */
  initial: Connection | null;
  formatTime(iso: string): string;
  onClose(): void;
}

function Fields({ c, formatTime }: { c: Connection; formatTime(iso: string): string }) {
  const styles = useStyles();
  const time = (iso: string | null) =>
    iso === null ? <span className={styles.muted}>Never</span> : formatTime(iso);
  const none = <span className={styles.muted}>None</span>;
  const rows: [string, React.ReactNode][] = [
    ['User id', c.userId],
    ['First name', c.firstName || none],
    ['Last name', c.lastName || none],
    ['Preferred name', c.preferredName ?? none],
    ['Email', c.email],
    ['Role', ROLE_SINGULAR[c.role]],
    ['Status', <StatusBadge key="s" status={c.status} />],
    ['Status since', time(c.statusChangedAt)],
    ['Provider', c.provider === null ? none : PROVIDER_LABEL[c.provider]],
    ['Calendar API', c.api === null ? none : c.api === 'graph' ? 'Microsoft Graph' : 'Outlook REST v2.0'],
    ['Calendar mailbox', c.calendarMailbox ?? none],
    ['Connected', time(c.connectedAt)],
    ['Last sync', time(c.lastSyncAt)],
    ['Last sync outcome', c.lastSyncOutcome === null ? none : SYNC_OUTCOME_LABEL[c.lastSyncOutcome]],
    ['Synced items', c.syncedItemCount.toLocaleString('en-US')],
    ['Updated', time(c.updatedAt)],
    ['ETag', c.etag],
  ];
  return (
    <dl className={styles.list}>
      {rows.map(([term, value]) => (
        <div key={term} className={styles.pair}>
          <dt className={styles.term}>{term}</dt>
          <dd className={styles.value}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** One user's connection, fresh from the platform when it answers; every field, times in the platform's zone. */
export function UserDetail({ userId, initial, formatTime, onClose }: UserDetailProps) {
  const styles = useStyles();
  const client = useClient();
  // Answers are tagged with the user they are for, so a slow answer never shows under another user.
  const [answer, setAnswer] = useState<{
    userId: string;
    fresh: { connection: Connection; fromCache: boolean } | null;
    failure: string | null;
  } | null>(null);

  useEffect(() => {
    if (userId === null) return;
    let live = true;
    client.roster.get({ userId }).then(
      (reply) => live && setAnswer({ userId, fresh: reply, failure: null }),
      (error: unknown) => live && setAnswer({ userId, fresh: null, failure: errorMessage(error) }),
    );
    return () => {
      live = false;
    };
  }, [client, userId]);
  const current = answer?.userId === userId ? answer : null;
  const fresh = current?.fresh ?? null;
  const failure = current?.failure ?? null;

  const connection = fresh?.connection ?? (initial?.userId === userId ? initial : null);
  return (
    <OverlayDrawer
      open={userId !== null}
      position="end"
      size="medium"
      onOpenChange={(_e, data) => !data.open && onClose()}
    >
      <DrawerHeader>
        <DrawerHeaderTitle
          action={
            <Button appearance="subtle" aria-label="Close" icon={<Dismiss24Regular />} onClick={onClose} />
          }
        >
          {connection ? displayName(connection) : 'User'}
        </DrawerHeaderTitle>
      </DrawerHeader>
      <DrawerBody className={styles.body} data-testid="user-detail">
        {fresh === null && failure === null && (
          <Spinner size="tiny" label="Fetching the latest from the platform…" />
        )}
        {fresh?.fromCache === true && (
          <Text className={styles.muted}>The platform could not be reached; this is the cached copy.</Text>
        )}
        {failure !== null && (
          <MessageBar intent="warning">
            <MessageBarBody>
              <MessageBarTitle>Could not fetch this user</MessageBarTitle>
              {failure}
              {connection ? ' The table’s copy is shown.' : ''}
            </MessageBarBody>
          </MessageBar>
        )}
        {connection?.lastError && (
          <MessageBar intent="error" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>
                {ERROR_LABEL[connection.lastError.code]} since {formatTime(connection.lastError.at)}
              </MessageBarTitle>
              {ERROR_EXPLANATION[connection.lastError.code]}
              <br />
              Platform message: “{connection.lastError.message}”
            </MessageBarBody>
          </MessageBar>
        )}
        {connection && <Fields c={connection} formatTime={formatTime} />}
      </DrawerBody>
    </OverlayDrawer>
  );
}
