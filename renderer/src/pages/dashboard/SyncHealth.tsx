import {
  Button,
  makeStyles,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  SplitButton,
  Text,
  tokens,
  type MenuButtonProps,
} from '@fluentui/react-components';
import { ArrowSync20Regular } from '@fluentui/react-icons';
import type { RosterSyncState } from '../../../../shared/contract/index.ts';
import { useClient } from '../../app/client-context.ts';
import { usePermission } from '../../components/auth/auth-store.ts';
import { useNow } from '../../components/use-now.ts';
import { useVisuallyHiddenStyles } from '../../components/visually-hidden.ts';
import { formatFreshness, formatTimestamp } from '../../format/freshness.ts';
import { useRosterSync, useRosterSyncStore } from '../../state/roster-sync-store.ts';
import { formatCount } from './progress.ts';
import { RebuildRosterCache } from './RebuildRosterCache.tsx';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  reason: { color: tokens.colorNeutralForeground3 },
  bar: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalM,
    color: tokens.colorNeutralForeground2,
  },
  facts: { flexGrow: 1, minWidth: '240px' },
  progress: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, minWidth: '220px' },
});

const STORE_PROBLEM: Partial<Record<RosterSyncState['storeState'], string>> = {
  'memory-only': 'The roster is kept in memory only on this computer',
  locked: 'The roster cache is locked',
  'needs-rebuild': 'The roster cache needs a rebuild',
};

/** "12,000 users · synced 3 min ago" with the exact time for screen readers and the tooltip. */
function SyncFacts({ state, now }: { state: RosterSyncState; now: number }) {
  const last =
    [state.lastIncrementalSyncAt, state.lastFullSyncAt]
      .filter((t): t is string => t !== null)
      .sort()
      .at(-1) ?? null;
  const hidden = useVisuallyHiddenStyles();
  const absolute = last === null ? null : formatTimestamp(last);
  return (
    <Text data-testid="roster-freshness" title={absolute ?? undefined}>
      Roster of {formatCount(state.rowCount)} users ·{' '}
      {formatFreshness(last, now).replace('refreshed', 'synced')}
      {absolute !== null && <span className={hidden.root}> (at {absolute})</span>}
    </Text>
  );
}

function RunningSync({ running }: { running: NonNullable<RosterSyncState['running']> }) {
  const styles = useStyles();
  const value = running.expected ? Math.min(1, running.fetched / running.expected) : undefined;
  const label =
    running.expected === null
      ? `${running.mode === 'full' ? 'Full sync' : 'Sync'}: ${formatCount(running.fetched)} users fetched`
      : `${running.mode === 'full' ? 'Full sync' : 'Sync'}: ${formatCount(running.fetched)} of ${formatCount(running.expected)} users`;
  return (
    <div className={styles.progress}>
      <Text size={200}>{label}</Text>
      <ProgressBar value={value} thickness="medium" aria-label={label} />
    </div>
  );
}

/**
 * Where the roster cache stands and a way to refresh it: last sync, a running sync's progress,
 * an offline banner with the cache's age, and store or sync problems said plainly. Shared by the
 * Dashboard and Users pages.
 */
export function SyncHealth() {
  const styles = useStyles();
  const client = useClient();
  useRosterSync(client);
  const now = useNow(30_000);
  const { state, failure, starting, syncFailure, loading } = useRosterSyncStore();
  const sync = (mode: 'full' | 'incremental') => void useRosterSyncStore.getState().sync(client, mode);
  // A full sync changes shared state: signed out on a real platform it is refused (change-shared).
  const mayFullSync = usePermission('change-shared');

  if (state === null) {
    if (failure === null)
      return <Text className={styles.bar}>{loading ? 'Checking the roster cache…' : ''}</Text>;
    return (
      <MessageBar
        intent={failure.code === 'unavailable' ? 'warning' : 'error'}
        data-testid="roster-status-failure"
      >
        <MessageBarBody>
          <MessageBarTitle>Roster sync status is not available</MessageBarTitle>
          {failure.message}
        </MessageBarBody>
        <MessageBarActions>
          <Button onClick={() => void useRosterSyncStore.getState().load(client)}>Retry</Button>
        </MessageBarActions>
      </MessageBar>
    );
  }

  const busy = starting || state.running !== null;
  const lastSync =
    [state.lastIncrementalSyncAt, state.lastFullSyncAt]
      .filter((t): t is string => t !== null)
      .sort()
      .at(-1) ?? null;
  const storeProblem = STORE_PROBLEM[state.storeState];
  return (
    <div className={styles.root}>
      <div className={styles.bar}>
        <div className={styles.facts}>
          <SyncFacts state={state} now={now} />
        </div>
        {state.running !== null && <RunningSync running={state.running} />}
        <Menu positioning="below-end">
          <MenuTrigger disableButtonEnhancement>
            {(triggerProps: MenuButtonProps) => (
              <SplitButton
                menuButton={{ ...triggerProps, 'aria-label': 'More sync options' }}
                primaryActionButton={{ onClick: () => sync('incremental'), disabled: busy }}
                icon={<ArrowSync20Regular />}
                disabled={false}
              >
                {busy ? 'Syncing…' : 'Refresh'}
              </SplitButton>
            )}
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              <MenuItem disabled={busy} onClick={() => sync('incremental')}>
                Refresh changes since the last sync
              </MenuItem>
              <MenuItem
                disabled={busy || !mayFullSync.allowed}
                title={mayFullSync.reason ?? undefined}
                data-testid="full-sync"
                onClick={() => sync('full')}
              >
                Full sync (download the whole roster again)
                {mayFullSync.reason !== null && (
                  // Said where the operator looks, not only in a tooltip: the core would refuse it anyway.
                  <Text block size={200} className={styles.reason}>
                    {mayFullSync.reason}
                  </Text>
                )}
              </MenuItem>
            </MenuList>
          </MenuPopover>
        </Menu>
      </div>
      {state.offline && (
        <MessageBar intent="warning" data-testid="offline-banner">
          <MessageBarBody>
            <MessageBarTitle>Offline</MessageBarTitle>
            The career platform cannot be reached; you are seeing the cached roster
            {lastSync === null
              ? ' (never synced)'
              : ` from ${formatFreshness(lastSync, now).replace('refreshed ', '')}`}
            .
          </MessageBarBody>
        </MessageBar>
      )}
      {storeProblem !== undefined && (
        <MessageBar intent="warning">
          <MessageBarBody>
            <MessageBarTitle>{storeProblem}</MessageBarTitle>
            {state.storeDetail ?? ''}
          </MessageBarBody>
          {(state.storeState === 'needs-rebuild' || state.storeState === 'locked') && (
            <MessageBarActions>
              <RebuildRosterCache />
            </MessageBarActions>
          )}
        </MessageBar>
      )}
      {state.lastError !== null && state.running === null && (
        <MessageBar intent="error">
          <MessageBarBody>
            <MessageBarTitle>The last sync failed</MessageBarTitle>
            {state.lastError}
          </MessageBarBody>
        </MessageBar>
      )}
      {syncFailure !== null && (
        <MessageBar intent="error">
          <MessageBarBody>
            <MessageBarTitle>The sync could not start</MessageBarTitle>
            {syncFailure.message}
          </MessageBarBody>
        </MessageBar>
      )}
    </div>
  );
}
