import { Button, makeStyles, MessageBar, MessageBarBody, Text, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { Settings } from '../../../../shared/contract/index.ts';
import { useClient } from '../../app/client-context.ts';
import { usePermission } from '../../components/auth/auth-store.ts';
import { useRosterSync, useRosterSyncStore } from '../../state/roster-sync-store.ts';
import { errorMessage } from '../../format/errors.ts';
import { FormStatus, type FormOutcome } from './FormStatus.tsx';
import { PermissionNote } from './PermissionNote.tsx';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  line: { margin: 0 },
  path: { fontFamily: tokens.fontFamilyMonospace, overflowWrap: 'anywhere' },
  details: { '& summary': { cursor: 'pointer', color: tokens.colorNeutralForeground2 } },
  detailList: { margin: `${tokens.spacingVerticalS} 0 0`, paddingInlineStart: tokens.spacingHorizontalXL },
});

/** Where secrets are kept, and the data folder's actions: clear caches, export diagnostics. */
export function DataFolder({ settings }: { settings: Settings }) {
  const styles = useStyles();
  const client = useClient();
  const mayClear = usePermission('settings').allowed;
  const [outcome, setOutcome] = useState<FormOutcome>(null);
  useRosterSync(client);
  const roster = useRosterSyncStore((s) => s.state);

  const clear = (): void => {
    client.settings.clearCache({}).then(
      ({ cleared }) =>
        setOutcome({
          kind: 'saved',
          message: cleared.length === 0 ? 'There was no cache to clear.' : `Cleared: ${cleared.join(', ')}.`,
        }),
      (error: unknown) => setOutcome({ kind: 'failed', message: errorMessage(error) }),
    );
  };
  const exportDiagnostics = (): void => {
    client.settings.exportDiagnostics({}).then(
      ({ filename, json }) => {
        const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
        const link = document.createElement('a');
        link.href = url;
        link.download = filename;
        link.click();
        URL.revokeObjectURL(url);
        setOutcome({ kind: 'saved', message: `Saved ${filename} (no personal data, tokens or keys).` });
      },
      (error: unknown) => setOutcome({ kind: 'failed', message: errorMessage(error) }),
    );
  };

  const persisted = settings.secrets.persisted;
  const rosterInMemory = roster?.storeState === 'memory-only';
  const folder = settings.dataFolder ?? null;
  return (
    <div className={styles.root}>
      <Text as="p" className={styles.line} data-testid="data-folder-path">
        {folder === null ? (
          'This console keeps no data folder: everything it holds is in memory until it closes.'
        ) : (
          <>
            Your settings and data live in <code className={styles.path}>{folder}</code>
          </>
        )}
      </Text>
      <MessageBar
        intent={persisted && !rosterInMemory ? 'success' : 'warning'}
        layout="multiline"
        data-testid="secrets-storage"
      >
        <MessageBarBody>
          {persisted && !rosterInMemory
            ? 'Everything survives a restart: the platform key, your sign-in and the copy of the roster are kept encrypted on this computer. Nothing to do.'
            : persisted
              ? 'The platform key and your sign-in survive a restart, but the copy of the roster is kept in memory only: after a restart the console downloads it again in full, which takes longer.'
              : 'The platform key, your sign-in and the copy of the roster are kept in memory only: after a restart you will have to enter the key and sign in again, and the roster downloads again in full.'}
          {(!persisted || rosterInMemory) && (
            <>
              {' '}
              <strong>What to do:</strong> use the desktop app on a computer with a system keychain, or ask
              whoever set up this console to give it a data key (the steps are under Technical details).
            </>
          )}
        </MessageBarBody>
      </MessageBar>
      <details className={styles.details} data-testid="storage-details">
        <summary>Technical details</summary>
        <ul className={styles.detailList}>
          <li>
            Secrets:{' '}
            {persisted
              ? 'sealed with a key protected by the operating system.'
              : (settings.secrets.explanation ?? 'kept in memory only.')}
          </li>
          {settings.secrets.remedy !== null && <li>How to keep them: {settings.secrets.remedy}</li>}
          {roster?.storeDetail && (
            <li data-testid="roster-cache-storage">Roster cache: {roster.storeDetail}</li>
          )}
          {folder !== null && <li>Data folder: {folder}</li>}
        </ul>
      </details>
      <Text>
        Clearing the cache deletes the local copy of the roster (names and emails included) and downloads it
        again in full; settings, keys, your sign-in and saved views stay.
      </Text>
      <PermissionNote permission="settings" />
      <FormStatus outcome={outcome} />
      <div className={styles.actions}>
        <Button disabled={!mayClear} onClick={clear}>
          Clear cache
        </Button>
        <Button onClick={exportDiagnostics}>Export diagnostics</Button>
      </div>
    </div>
  );
}
