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

  return (
    <div className={styles.root}>
      <MessageBar
        intent={settings.secrets.persisted ? 'success' : 'warning'}
        layout="multiline"
        data-testid="secrets-storage"
      >
        <MessageBarBody>
          {settings.secrets.persisted
            ? 'The platform key and your sign-in are sealed on this computer.'
            : `${settings.secrets.explanation ?? 'Secrets are kept in memory only.'} ${settings.secrets.remedy ?? ''}`}
        </MessageBarBody>
      </MessageBar>
      {roster?.storeDetail && (
        <Text data-testid="roster-cache-storage">Roster cache: {roster.storeDetail}</Text>
      )}
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
