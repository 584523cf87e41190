import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Text,
} from '@fluentui/react-components';
import { useState } from 'react';
import { useClient } from '../../app/client-context.ts';
import { usePermission } from '../../components/auth/auth-store.ts';
import { errorMessage } from '../../format/errors.ts';
import { useRosterSyncStore } from '../../state/roster-sync-store.ts';

/**
 * The way out of a damaged (`needs-rebuild`) or `locked` roster cache (ADR 0002): set its files
 * aside, nothing deleted, and download the roster again in full. Asks first; needs the
 * `settings` permission, like Clear cache.
 */
export function RebuildRosterCache() {
  const client = useClient();
  const allowed = usePermission('settings').allowed;
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const rebuild = (): void => {
    setBusy(true);
    setFailure(null);
    client.roster.rebuildCache({}).then(
      (state) => {
        useRosterSyncStore.getState().apply(state);
        setBusy(false);
        setOpen(false);
      },
      (error: unknown) => {
        setFailure(errorMessage(error));
        setBusy(false);
      },
    );
  };

  return (
    <Dialog open={open} onOpenChange={(_event, data) => setOpen(data.open)}>
      <DialogTrigger disableButtonEnhancement>
        <Button
          disabled={!allowed}
          title={allowed ? undefined : 'Needs the "settings" permission (a director).'}
        >
          Rebuild the roster cache from the platform
        </Button>
      </DialogTrigger>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Rebuild the roster cache from the platform?</DialogTitle>
          <DialogContent>
            <Text block>
              The current cache files are set aside in the data folder (under set-aside, nothing is deleted),
              and the whole roster is downloaded again from the career platform. Saved views kept in the old
              cache stay with the set-aside files.
            </Text>
            {failure !== null && (
              <Text block role="alert" data-testid="rebuild-failure">
                {failure}
              </Text>
            )}
          </DialogContent>
          <DialogActions>
            <DialogTrigger disableButtonEnhancement>
              <Button disabled={busy}>Cancel</Button>
            </DialogTrigger>
            <Button appearance="primary" disabled={busy} onClick={rebuild}>
              {busy ? 'Rebuilding…' : 'Set aside and rebuild'}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
