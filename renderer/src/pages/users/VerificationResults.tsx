import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  makeStyles,
  Text,
  ToggleButton,
  tokens,
} from '@fluentui/react-components';
import { ShieldTask20Regular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import type { MethodOutput, Verdict } from '../../../../shared/contract/index.ts';
import { useClient } from '../../app/client-context.ts';
import { errorMessage } from '../../format/errors.ts';
import { useUserDetailStore } from '../../state/user-detail-store.ts';

const useStyles = makeStyles({
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalXS,
    marginBottom: tokens.spacingVerticalS,
  },
  table: {
    borderCollapse: 'collapse',
    width: '100%',
    '& th, & td': {
      textAlign: 'left',
      padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalS}`,
      borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    },
  },
  scroll: { maxHeight: '50vh', overflowY: 'auto' },
});

const VERDICTS: Array<{ value: Verdict; label: string }> = [
  { value: 'anomalies', label: 'Anomalies' },
  { value: 'incomplete', label: 'Incomplete' },
  { value: 'failed', label: 'Failed' },
  { value: 'no_mailbox', label: 'No mailbox' },
  { value: 'platform_only', label: 'Platform only' },
  { value: 'no_items', label: 'No items' },
  { value: 'ok', label: 'OK' },
];

type Listing = MethodOutput<'verify.list'>;

/**
 * Each user's latest verification (kept in the journal, by a verification job or "Verify now"),
 * filtered by verdict; a row opens the user.
 */
export function VerificationResults() {
  const styles = useStyles();
  const client = useClient();
  const openUser = useUserDetailStore((s) => s.open);
  const [open, setOpen] = useState(false);
  const [verdicts, setVerdicts] = useState<Verdict[]>(['anomalies', 'incomplete', 'failed']);
  const [listing, setListing] = useState<{ value: Listing | null; error: string | null }>({
    value: null,
    error: null,
  });

  useEffect(() => {
    if (!open) return;
    let live = true;
    client.verify.list({ verdicts, offset: 0, limit: 200 }).then(
      (value) => live && setListing({ value, error: null }),
      (error: unknown) => live && setListing({ value: null, error: errorMessage(error) }),
    );
    return () => {
      live = false;
    };
  }, [client, open, verdicts]);

  const toggle = (v: Verdict) =>
    setVerdicts((all) => (all.includes(v) ? all.filter((x) => x !== v) : [...all, v]));
  return (
    <>
      <Button icon={<ShieldTask20Regular />} onClick={() => setOpen(true)} data-testid="verification-results">
        Verification results
      </Button>
      {open && (
        <Dialog open onOpenChange={(_e, d) => !d.open && setOpen(false)}>
          <DialogSurface aria-describedby={undefined}>
            <DialogBody>
              <DialogTitle>Verification results</DialogTitle>
              <DialogContent>
                <div className={styles.chips} role="group" aria-label="Verdicts to show">
                  {VERDICTS.map((v) => (
                    <ToggleButton
                      key={v.value}
                      size="small"
                      checked={verdicts.includes(v.value)}
                      onClick={() => toggle(v.value)}
                    >
                      {v.label}
                    </ToggleButton>
                  ))}
                </div>
                {listing.error && <Text>{listing.error}</Text>}
                {listing.value && listing.value.total === 0 && (
                  <Text>
                    No user with these verdicts. Select users and choose Verify… (a job), verify one from
                    their detail page, or use the CLI’s verify.
                  </Text>
                )}
                {listing.value && listing.value.total > 0 && (
                  <div className={styles.scroll}>
                    <table className={styles.table}>
                      <caption>
                        {listing.value.total} user{listing.value.total === 1 ? '' : 's'}, latest first
                      </caption>
                      <thead>
                        <tr>
                          <th scope="col">User</th>
                          <th scope="col">Verdict</th>
                          <th scope="col">Not as stored</th>
                          <th scope="col">Checked</th>
                        </tr>
                      </thead>
                      <tbody>
                        {listing.value.items.map((r) => (
                          <tr key={r.userId} data-testid="verification-result" data-verdict={r.verdict}>
                            <td>
                              <Button
                                appearance="transparent"
                                size="small"
                                onClick={() => {
                                  setOpen(false);
                                  openUser(r.userId);
                                }}
                              >
                                {r.userId}
                              </Button>
                            </td>
                            <td>{VERDICTS.find((v) => v.value === r.verdict)?.label ?? r.verdict}</td>
                            <td>
                              {(r.counts['missing'] ?? 0) +
                                (r.counts['id_changed'] ?? 0) +
                                (r.counts['mismatch'] ?? 0) +
                                (r.counts['duplicate'] ?? 0) +
                                (r.counts['legacy_id'] ?? 0)}
                            </td>
                            <td>
                              {new Date(r.checkedAt).toLocaleString()}
                              {r.jobId ? ` (${r.jobId})` : ''}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
              </DialogContent>
              <DialogActions>
                <Button onClick={() => setOpen(false)}>Close</Button>
              </DialogActions>
            </DialogBody>
          </DialogSurface>
        </Dialog>
      )}
    </>
  );
}
