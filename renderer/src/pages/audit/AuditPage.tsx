import {
  Button,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  SearchBox,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import type { AuditEntry, AuditVerification } from '../../../../shared/contract/index.ts';
import { useClient } from '../../app/client-context.ts';
import { usePermission } from '../../components/auth/auth-store.ts';
import { errorMessage } from '../../format/errors.ts';
import { useNoticesStore } from '../../state/notices-store.ts';
import { formatCount } from '../dashboard/progress.ts';
import { downloadText } from '../users/download.ts';

const PAGE = 100;

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  toolbar: { display: 'flex', flexWrap: 'wrap', alignItems: 'end', gap: tokens.spacingHorizontalM },
  muted: { color: tokens.colorNeutralForeground2 },
  retention: { width: '120px' },
});

/** The append-only audit log: browse, filter, verify the hash chain, export, and set the retention. */
export function AuditPage() {
  const styles = useStyles();
  const client = useClient();
  const push = useNoticesStore((s) => s.push);
  const settings = usePermission('settings');
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [total, setTotal] = useState(0);
  const [offset, setOffset] = useState(0);
  const [q, setQ] = useState('');
  const [outcome, setOutcome] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [verification, setVerification] = useState<AuditVerification | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [retention, setRetention] = useState<number | null>(null);
  const [retentionText, setRetentionText] = useState('');

  const load = useCallback(() => {
    client.audit
      .list({
        offset,
        limit: PAGE,
        ...(q.trim() === '' ? {} : { q: q.trim() }),
        ...(outcome.trim() === '' ? {} : { outcome: outcome.trim() }),
      })
      .then(
        (result) => {
          setEntries(result.entries);
          setTotal(result.total);
          setRetention(result.retentionDays);
          setError(null);
        },
        (failure: unknown) => setError(errorMessage(failure)),
      );
  }, [client, offset, q, outcome]);
  useEffect(() => load(), [load]);

  const verify = async () => {
    setVerifying(true);
    try {
      setVerification(await client.audit.verify({}));
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setVerifying(false);
    }
  };
  const exportCsv = async () => {
    try {
      const file = await client.audit.export({});
      downloadText(file.filename, file.csv);
    } catch (failure) {
      push({
        key: 'audit-export',
        intent: 'error',
        title: 'The export failed',
        message: errorMessage(failure),
      });
    }
  };
  const saveRetention = async () => {
    const text = retentionText.trim();
    const days = text === '' ? null : Number(text);
    if (days !== null && (!Number.isInteger(days) || days < 30 || days > 3650)) {
      push({
        key: 'audit-retention',
        intent: 'error',
        title: 'Retention not saved',
        message: 'Enter whole days from 30 to 3650, or leave it empty to keep everything.',
      });
      return;
    }
    try {
      const result = await client.audit.setRetention({ days });
      setRetention(result.retentionDays);
      const purged = await client.audit.purge({});
      push({
        key: 'audit-retention',
        intent: 'success',
        title: 'Retention saved',
        message: `${result.retentionDays === null ? 'Entries are kept forever.' : `Entries are kept ${result.retentionDays} days.`} ${formatCount(purged.purged)} older entries removed; the purge itself is in the log.`,
      });
      load();
    } catch (failure) {
      push({
        key: 'audit-retention',
        intent: 'error',
        title: 'Retention not saved',
        message: errorMessage(failure),
      });
    }
  };

  return (
    <div className={styles.root}>
      <div className={styles.toolbar}>
        <SearchBox
          aria-label="Search action, target or who"
          placeholder="Search action, target or who"
          value={q}
          onChange={(_e, d) => {
            setOffset(0);
            setQ(d.value);
          }}
        />
        <Field label="Outcome">
          <Input
            value={outcome}
            placeholder="e.g. ok, forbidden, disconnected"
            onChange={(_e, d) => {
              setOffset(0);
              setOutcome(d.value);
            }}
          />
        </Field>
        <Button
          onClick={() => void verify()}
          icon={verifying ? <Spinner size="tiny" /> : undefined}
          data-testid="audit-verify"
        >
          Verify the chain
        </Button>
        <Button onClick={() => void exportCsv()}>Export CSV</Button>
      </div>
      {verification !== null && (
        <MessageBar intent={verification.ok ? 'success' : 'error'} data-testid="audit-verification">
          <MessageBarBody>
            <MessageBarTitle>
              {verification.ok ? 'The audit log is intact' : 'The audit log is broken'}
            </MessageBarTitle>
            {verification.ok
              ? `${formatCount(verification.checked)} entries verified.`
              : `First bad entry: #${verification.firstBad?.seq ?? '?'}. ${verification.firstBad?.reason ?? ''}`}
          </MessageBarBody>
        </MessageBar>
      )}
      {error !== null && (
        <MessageBar intent="error">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      {entries === null && error === null && <Spinner label="Loading the audit log…" />}
      {entries !== null && (
        <Table size="small" aria-label="Audit entries" data-testid="audit-table">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>#</TableHeaderCell>
              <TableHeaderCell>When</TableHeaderCell>
              <TableHeaderCell>Who</TableHeaderCell>
              <TableHeaderCell>What</TableHeaderCell>
              <TableHeaderCell>Target</TableHeaderCell>
              <TableHeaderCell>Outcome</TableHeaderCell>
              <TableHeaderCell>Detail</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {entries.map((entry) => (
              <TableRow key={entry.seq}>
                <TableCell>{entry.seq}</TableCell>
                <TableCell>{new Date(entry.at).toLocaleString()}</TableCell>
                <TableCell>
                  {entry.actorName ?? entry.actor}
                  <div className={styles.muted}>{entry.transport}</div>
                </TableCell>
                <TableCell>{entry.action}</TableCell>
                <TableCell>{entry.target ?? '—'}</TableCell>
                <TableCell>{entry.outcome}</TableCell>
                <TableCell>{entry.detail ?? ''}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <div className={styles.toolbar}>
        <Text className={styles.muted}>
          {total === 0
            ? 'No entries'
            : `${formatCount(offset + 1)}–${formatCount(Math.min(total, offset + PAGE))} of ${formatCount(total)}`}
        </Text>
        <Button size="small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          Newer
        </Button>
        <Button size="small" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
          Older
        </Button>
      </div>
      <div className={styles.toolbar}>
        <Field
          label={`Keep entries for (days; now ${retention === null ? 'forever' : retention})`}
          hint={
            settings.allowed
              ? 'Empty keeps everything. Older entries are purged, and the purge is logged.'
              : (settings.reason ?? undefined)
          }
        >
          <Input
            className={styles.retention}
            inputMode="numeric"
            value={retentionText}
            disabled={!settings.allowed}
            onChange={(_e, d) => setRetentionText(d.value)}
          />
        </Field>
        <Button disabled={!settings.allowed} onClick={() => void saveRetention()}>
          Save and purge
        </Button>
      </div>
    </div>
  );
}
