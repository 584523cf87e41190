import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { VerifySelection } from '../../../../shared/contract/index.ts';
import { useClient } from '../../app/client-context.ts';
import { errorMessage } from '../../format/errors.ts';
import { useNoticesStore } from '../../state/notices-store.ts';
import { formatCount } from '../dashboard/progress.ts';

/**
 * Starts a verification job over the Users selection. It reads calendars and changes nothing,
 * so one confirmation is enough; the job then runs (and resumes after a restart) on the Jobs page,
 * and its verdicts become the Verification filter here.
 */
export function VerifyUsersDialog(props: { selection: VerifySelection; count: number; onClose(): void }) {
  const client = useClient();
  const push = useNoticesStore((s) => s.push);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const start = async () => {
    setBusy(true);
    try {
      const job = await client.verify.start({ selection: props.selection });
      push({
        key: `job-${job.id}`,
        intent: 'success',
        title: 'Verification started',
        message: `${job.label}. Follow it on the Jobs page; the Verification filter shows the verdicts as they come.`,
      });
      props.onClose();
    } catch (failure) {
      setError(errorMessage(failure));
      setBusy(false);
    }
  };
  return (
    <Dialog open onOpenChange={(_e, d) => !d.open && props.onClose()}>
      <DialogSurface aria-describedby="verify-users-what">
        <DialogBody>
          <DialogTitle>Verify {formatCount(props.count)} users</DialogTitle>
          <DialogContent>
            <Text id="verify-users-what" block>
              Checks that each user’s synced items are still on their calendar, unchanged and under their
              stored ids, through Microsoft Graph (read-only, paced by Graph’s per-mailbox limits). It runs as
              a job you can pause or cancel; each user’s latest verdict is kept.
            </Text>
            {error !== null && (
              <MessageBar intent="error">
                <MessageBarBody>{error}</MessageBarBody>
              </MessageBar>
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={props.onClose}>Cancel</Button>
            <Button
              appearance="primary"
              disabled={busy}
              icon={busy ? <Spinner size="tiny" /> : undefined}
              onClick={() => void start()}
              data-testid="verify-start"
            >
              Start verification
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
