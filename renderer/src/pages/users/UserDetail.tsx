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
import { Troubleshooter } from './Troubleshooter.tsx';

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
  heading: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
});

export interface UserDetailProps {
  userId: string | null;
  /** The row as the table has it, shown at once while the fresh copy loads. */
  initial: Connection | null;
  formatTime(iso: string): string;
  onClose(): void;
}

/** Facts that look contradictory side by side get what they mean beside them (docs/diagnosis.md). */
function connectedText(
  c: Connection,
  time: (iso: string | null) => React.ReactNode,
  formatTime: (iso: string) => string,
): React.ReactNode {
  if (c.connectedAt !== null) return time(c.connectedAt);
  if (c.status === 'disconnected' || c.status === 'reauth_pending')
    return c.syncedItemCount > 0
      ? `Not connected now (since ${formatTime(c.statusChangedAt)}); the synced items below were placed by an earlier connection and stay on the calendar`
      : 'Not connected now';
  if (c.status === 'not_connected' || c.status === 'not_affected') return 'Never connected';
  return time(null);
}

function Fields({ c, formatTime }: { c: Connection; formatTime(iso: string): string }) {
  const styles = useStyles();
  const time = (iso: string | null) =>
    iso === null ? <span className={styles.muted}>Never</span> : formatTime(iso);
  const none = <span className={styles.muted}>None</span>;
  // A last sync older than the connection belongs to the legacy connection: say so instead of "Succeeded".
  const syncBeforeConnection =
    c.lastSyncAt !== null && c.connectedAt !== null && Date.parse(c.lastSyncAt) < Date.parse(c.connectedAt);
  const outcome =
    c.lastSyncOutcome === null
      ? none
      : syncBeforeConnection
        ? `${SYNC_OUTCOME_LABEL[c.lastSyncOutcome]}, but before the current connection: no sync has run since the user re-authorized`
        : SYNC_OUTCOME_LABEL[c.lastSyncOutcome];
  const items =
    c.syncedItemCount === 0 && c.lastSyncOutcome === 'ok' && !syncBeforeConnection
      ? '0 (the last sync had nothing to place)'
      : c.syncedItemCount.toLocaleString('en-US');
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
    ['Connected', connectedText(c, time, formatTime)],
    ['Last sync', time(c.lastSyncAt)],
    ['Last sync outcome', outcome],
    ['Synced items', items],
    ['Updated', time(c.updatedAt)],
    ['ETag', c.etag],
  ];
  return (
    <dl className={styles.list} data-testid="connection-card">
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

  const [reload, setReload] = useState(0);
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
  }, [client, userId, reload]);
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
        {userId !== null && (
          <Troubleshooter
            key={userId}
            userId={userId}
            name={connection ? displayName(connection) : userId}
            formatTime={formatTime}
            onChanged={() => setReload((n) => n + 1)}
          />
        )}
        {connection && (
          <section aria-label="Connection" className={styles.body}>
            <h3 className={styles.heading}>Connection</h3>
            <Fields c={connection} formatTime={formatTime} />
          </section>
        )}
      </DrawerBody>
    </OverlayDrawer>
  );
}
