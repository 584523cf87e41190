import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Spinner,
  Text,
  Textarea,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { DisconnectPreview, DisconnectSelection } from '../../../../shared/contract/index.ts';
import { useClient } from '../../app/client-context.ts';
import { errorMessage } from '../../format/errors.ts';
import { useNoticesStore } from '../../state/notices-store.ts';
import { formatInstant } from '../dashboard/countdown.ts';
import { formatCount } from '../dashboard/progress.ts';
import { downloadText } from '../users/download.ts';

const DEFAULT_REASON = 'Legacy Outlook REST v2.0 calendar connection retired at the migration cut-off.';

const useStyles = makeStyles({
  surface: { maxWidth: '640px', width: 'calc(100vw - 48px)' },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  counts: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  list: {
    maxHeight: '160px',
    overflowY: 'auto',
    margin: 0,
    paddingLeft: tokens.spacingHorizontalL,
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
  },
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

/** Parses "5,486" or "5486" as typed; null when it is not a whole number. */
export function typedCount(text: string): number | null {
  const cleaned = text.replace(/[\s,.\u00a0\u202f']/g, '');
  return /^\d+$/.test(cleaned) ? Number(cleaned) : null;
}

/**
 * Force-disconnect a selection: a fresh preview from the platform (who, and who is excluded and
 * why), a dry-run list, the count typed to confirm, the days-left warning, and "now" or "at the
 * cut-off". The main process checks the director role again whatever this dialog shows.
 */
export function ForceDisconnectDialog(props: {
  selection: DisconnectSelection;
  onClose(): void;
  onStarted?(jobId: string): void;
}) {
  const styles = useStyles();
  const client = useClient();
  const push = useNoticesStore((s) => s.push);
  const [preview, setPreview] = useState<DisconnectPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [reason, setReason] = useState(DEFAULT_REASON);
  const [when, setWhen] = useState<'now' | 'cutoff'>('now');
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState<null | 'dry-run' | 'start'>(null);

  useEffect(() => {
    let live = true;
    client.disconnect.preview({ selection: props.selection }).then(
      (result) => live && setPreview(result),
      (failure: unknown) => live && setError(errorMessage(failure)),
    );
    return () => {
      live = false;
    };
  }, [client, props.selection]);

  const dryRun = async () => {
    setBusy('dry-run');
    try {
      const result = await client.disconnect.dryRun({ selection: props.selection });
      downloadText(result.filename, result.csv);
      push({
        key: 'disconnect-dry-run',
        intent: 'info',
        title: 'Dry run: nothing was changed',
        message: `${formatCount(result.rowCount)} users would be disconnected; the list is in ${result.filename}.`,
      });
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(null);
    }
  };

  const start = async () => {
    if (preview === null) return;
    setBusy('start');
    try {
      const job = await client.disconnect.start({
        selection: props.selection,
        reason,
        confirmCount: preview.eligible,
        at: when === 'cutoff' ? 'cutoff' : null,
      });
      push({
        key: `job-${job.id}`,
        intent: 'success',
        title: job.state === 'scheduled' ? 'Force-disconnect scheduled' : 'Force-disconnect started',
        message:
          job.state === 'scheduled'
            ? `${job.label}. It runs at ${job.scheduledAt ?? 'the cut-off'}: the console must be running then (or run "jobs run-due" from a system scheduler).`
            : `${job.label}. Follow it on the Jobs page.`,
      });
      props.onStarted?.(job.id);
      props.onClose();
    } catch (failure) {
      setError(errorMessage(failure));
      setBusy(null);
    }
  };

  const confirmed = preview !== null && typedCount(typed) === preview.eligible && preview.eligible > 0;
  const cutoffText =
    preview === null ? '' : (formatInstant(preview.cutoffAt, preview.timezone) ?? preview.cutoffAt);

  return (
    <Dialog open modalType="alert" onOpenChange={(_e, data) => !data.open && props.onClose()}>
      <DialogSurface className={styles.surface} aria-describedby="fd-summary">
        <DialogBody>
          <DialogTitle>Force-disconnect users</DialogTitle>
          <DialogContent className={styles.content}>
            {error !== null && (
              <MessageBar intent="error">
                <MessageBarBody>{error}</MessageBarBody>
              </MessageBar>
            )}
            {preview === null && error === null && (
              <Spinner size="small" label="Reading the users' current state from the platform…" />
            )}
            {preview !== null && (
              <>
                <div id="fd-summary" className={styles.counts} data-testid="fd-preview">
                  <Text weight="semibold" data-testid="fd-eligible" data-count={preview.eligible}>
                    {formatCount(preview.eligible)} of {formatCount(preview.selected)} selected will be
                    disconnected
                  </Text>
                  <Text>
                    {Object.entries(preview.eligibleByRole)
                      .filter(([, n]) => n > 0)
                      .map(([role, n]) => `${role.replace('_', ' ')}: ${formatCount(n)}`)
                      .join(' · ') || 'Nobody in this selection is still on the legacy connection.'}
                  </Text>
                  <Text size={200}>Read from the platform just now, not from the cache.</Text>
                </div>
                {preview.excluded.map((group) => (
                  <div key={group.reason}>
                    <div className={styles.row}>
                      <Text>
                        Excluded, {group.label}: {formatCount(group.count)}
                      </Text>
                      <Button
                        size="small"
                        appearance="transparent"
                        aria-expanded={open === group.reason}
                        onClick={() => setOpen(open === group.reason ? null : group.reason)}
                      >
                        {open === group.reason ? 'Hide list' : 'Show list'}
                      </Button>
                    </div>
                    {open === group.reason && (
                      <ul className={styles.list} aria-label={group.label}>
                        {group.items.map((item) => (
                          <li key={item}>{item}</li>
                        ))}
                        {group.count > group.items.length && (
                          <li>
                            …and {formatCount(group.count - group.items.length)} more (in the dry-run list)
                          </li>
                        )}
                      </ul>
                    )}
                  </div>
                ))}
                {preview.beforeCutoff && (
                  <MessageBar intent="warning">
                    <MessageBarBody>
                      <MessageBarTitle>These users still have time</MessageBarTitle>
                      {preview.daysLeft} day{preview.daysLeft === 1 ? '' : 's'} left until the cut-off (
                      {cutoffText}, {preview.timezone}). Disconnecting them now stops their calendar sync
                      before they had to act.
                    </MessageBarBody>
                  </MessageBar>
                )}
                <Field label="Reason sent to the platform">
                  <Textarea value={reason} maxLength={500} onChange={(_e, d) => setReason(d.value)} />
                </Field>
                <Field label="When">
                  <RadioGroup
                    value={when}
                    onChange={(_e, d) => setWhen(d.value === 'cutoff' ? 'cutoff' : 'now')}
                  >
                    <Radio value="now" label="Now" />
                    <Radio
                      value="cutoff"
                      disabled={!preview.beforeCutoff}
                      label={`At the cut-off (${cutoffText}); only users still on the legacy connection then`}
                    />
                  </RadioGroup>
                </Field>
                {when === 'cutoff' && (
                  <Text size={200}>
                    The console must be running at that moment, or a system scheduler (cron, Task Scheduler)
                    must run “npm run cli -- jobs run-due”.
                  </Text>
                )}
                <Field
                  label={`Type ${formatCount(preview.eligible)} to confirm`}
                  validationState={typed !== '' && !confirmed ? 'error' : 'none'}
                  validationMessage={typed !== '' && !confirmed ? 'The number does not match.' : undefined}
                >
                  <Input
                    value={typed}
                    inputMode="numeric"
                    disabled={preview.eligible === 0}
                    onChange={(_e, d) => setTyped(d.value)}
                    data-testid="fd-confirm-count"
                  />
                </Field>
              </>
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={props.onClose}>Cancel</Button>
            <Button
              disabled={preview === null || preview.eligible === 0 || busy !== null}
              icon={busy === 'dry-run' ? <Spinner size="tiny" /> : undefined}
              onClick={() => void dryRun()}
            >
              Dry run (download list)
            </Button>
            <Button
              appearance="primary"
              disabled={!confirmed || busy !== null}
              icon={busy === 'start' ? <Spinner size="tiny" /> : undefined}
              onClick={() => void start()}
              data-testid="fd-start"
            >
              {when === 'cutoff' ? 'Schedule force-disconnect' : 'Force-disconnect'}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
