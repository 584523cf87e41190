import {
  Badge,
  Button,
  Dropdown,
  Field,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Option,
  ProgressBar,
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
import type { JobItem, JobState, JobSummary } from '../../../../shared/contract/index.ts';
import { useClient } from '../../app/client-context.ts';
import { usePermission } from '../../components/auth/auth-store.ts';
import { errorMessage } from '../../format/errors.ts';
import { useAppInfoStore } from '../../state/app-info-store.ts';
import { useNoticesStore } from '../../state/notices-store.ts';
import { formatCount } from '../dashboard/progress.ts';
import { downloadText } from '../users/download.ts';
import { etaText, rateText, settledOf, stateLabel, jobFromHash } from './job-format.ts';

const STATES: readonly JobState[] = [
  'scheduled',
  'running',
  'paused',
  'interrupted',
  'cancelled',
  'failed',
  'completed',
];

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  toolbar: { display: 'flex', flexWrap: 'wrap', alignItems: 'end', gap: tokens.spacingHorizontalM },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
  detail: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  muted: { color: tokens.colorNeutralForeground2 },
  progress: { minWidth: '120px' },
});

const BADGE: Record<JobState, 'informative' | 'brand' | 'warning' | 'danger' | 'success' | 'subtle'> = {
  scheduled: 'informative',
  running: 'brand',
  paused: 'warning',
  interrupted: 'danger',
  cancelled: 'subtle',
  failed: 'danger',
  completed: 'success',
};

export function JobActions({ job, onChanged }: { job: JobSummary; onChanged(job: JobSummary): void }) {
  const client = useClient();
  const styles = useStyles();
  const push = useNoticesStore((s) => s.push);
  const bulk = usePermission('bulk');
  const host = useAppInfoStore((s) => s.info?.host ?? null);
  const act = async (what: 'pause' | 'resume' | 'cancel' | 'retryFailed') => {
    try {
      onChanged(await client.jobs[what]({ id: job.id }));
    } catch (error) {
      push({
        key: `job-${job.id}-action`,
        intent: 'error',
        title: 'The job did not change',
        message: errorMessage(error),
      });
    }
  };
  const exportCsv = async () => {
    try {
      const file = await client.jobs.export({ id: job.id });
      downloadText(file.filename, file.csv);
    } catch (error) {
      push({
        key: `job-${job.id}-export`,
        intent: 'error',
        title: 'The export failed',
        message: errorMessage(error),
      });
    }
  };
  // A verification job's report: each user's verdict and every item (the export path the Users CSV uses).
  const report = async (format: 'csv' | 'json') => {
    try {
      // The desktop app asks where to save and writes it in the main process (as the Users export does).
      if (host === 'electron') {
        const saved = await client.verify.reportFile({ id: job.id, format });
        if (saved.saved)
          push({
            key: `job-${job.id}-report`,
            intent: 'success',
            title: 'Report saved',
            message: `${formatCount(saved.rowCount)} users saved to ${saved.filename}.`,
          });
        return;
      }
      const file = await client.verify.report({ id: job.id, format });
      downloadText(
        file.filename,
        file.content,
        format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json;charset=utf-8',
      );
    } catch (error) {
      push({
        key: `job-${job.id}-report`,
        intent: 'error',
        title: 'The report could not be made',
        message: errorMessage(error),
      });
    }
  };
  const why = bulk.allowed ? undefined : (bulk.reason ?? undefined);
  return (
    <div className={styles.actions}>
      {job.state === 'running' && (
        <Button size="small" disabled={!bulk.allowed} title={why} onClick={() => void act('pause')}>
          Pause
        </Button>
      )}
      {(job.state === 'paused' || job.state === 'interrupted') && (
        <Button size="small" disabled={!bulk.allowed} title={why} onClick={() => void act('resume')}>
          Resume
        </Button>
      )}
      {!['completed', 'cancelled', 'failed'].includes(job.state) && (
        <Button size="small" disabled={!bulk.allowed} title={why} onClick={() => void act('cancel')}>
          Cancel job
        </Button>
      )}
      {job.progress.failed > 0 && !['running', 'scheduled'].includes(job.state) && (
        <Button size="small" disabled={!bulk.allowed} title={why} onClick={() => void act('retryFailed')}>
          Retry failed
        </Button>
      )}
      <Button size="small" onClick={() => void exportCsv()}>
        Export CSV
      </Button>
      {job.kind === 'verify' && (
        <>
          <Button size="small" onClick={() => void report('csv')} data-testid="verify-report-csv">
            Report CSV
          </Button>
          <Button size="small" onClick={() => void report('json')} data-testid="verify-report-json">
            Report JSON
          </Button>
        </>
      )}
    </div>
  );
}

export function JobDetail({ job }: { job: JobSummary }) {
  const client = useClient();
  const styles = useStyles();
  const [category, setCategory] = useState<'all' | 'done' | 'skipped' | 'failed'>('all');
  const [items, setItems] = useState<JobItem[] | null>(null);
  const [total, setTotal] = useState(0);
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const settled = settledOf(job);
  useEffect(() => {
    let live = true;
    client.jobs.items({ id: job.id, offset, limit: 100, ...(category === 'all' ? {} : { category }) }).then(
      (page) => {
        if (!live) return;
        setItems(page.items);
        setTotal(page.total);
      },
      (failure: unknown) => live && setError(errorMessage(failure)),
    );
    return () => {
      live = false;
    };
  }, [client, job.id, category, offset, settled]);
  return (
    <section className={styles.detail} aria-label={`Users of job ${job.id}`}>
      <Text weight="semibold">{job.label}</Text>
      {job.stateReason && <Text>{job.stateReason}</Text>}
      <Field label="Show">
        <Dropdown
          value={category === 'all' ? 'Every user' : category}
          selectedOptions={[category]}
          onOptionSelect={(_e, d) => {
            setOffset(0);
            setCategory((d.optionValue as typeof category | undefined) ?? 'all');
          }}
        >
          <Option value="all">Every user</Option>
          <Option value="done">done</Option>
          <Option value="skipped">skipped</Option>
          <Option value="failed">failed</Option>
        </Dropdown>
      </Field>
      {error !== null && <MessageBar intent="error">{error}</MessageBar>}
      {items === null ? (
        <Spinner size="tiny" label="Loading outcomes…" />
      ) : (
        <Table size="small" aria-label="Per-user outcomes">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>User</TableHeaderCell>
              <TableHeaderCell>Email</TableHeaderCell>
              <TableHeaderCell>Outcome</TableHeaderCell>
              <TableHeaderCell>What the platform said</TableHeaderCell>
              <TableHeaderCell>Attempts</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {items.map((item) => (
              <TableRow key={item.seq}>
                <TableCell>{item.userId}</TableCell>
                <TableCell>{item.email ?? '—'}</TableCell>
                <TableCell>{item.outcome ?? item.state.replace('_', ' ')}</TableCell>
                <TableCell>{item.detail ?? ''}</TableCell>
                <TableCell>{item.attempts}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <div className={styles.actions}>
        <Text className={styles.muted}>
          {total === 0
            ? 'None'
            : `${formatCount(offset + 1)}–${formatCount(Math.min(total, offset + 100))} of ${formatCount(total)}`}
        </Text>
        <Button size="small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - 100))}>
          Previous
        </Button>
        <Button size="small" disabled={offset + 100 >= total} onClick={() => setOffset(offset + 100)}>
          Next
        </Button>
      </div>
    </section>
  );
}

/** Every job with its progress, live; a job's per-user outcomes one click away. */
export function JobsPage() {
  const styles = useStyles();
  const client = useClient();
  const [jobs, setJobs] = useState<JobSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [state, setState] = useState<JobState | 'all'>('all');
  const [kind, setKind] = useState<string>('all');
  // A link to one job (`#/jobs?job=job_…`, from a delivery's progress or a reminder) opens it.
  const [openId, setOpenId] = useState<string | null>(() => jobFromHash(window.location.hash));

  const load = useCallback(() => {
    client.jobs.list({}).then(
      (result) => {
        setJobs(result.jobs);
        setError(null);
      },
      (failure: unknown) => setError(errorMessage(failure)),
    );
  }, [client]);
  useEffect(() => load(), [load]);
  useEffect(
    () =>
      client.subscribe('jobs.progress', (summary) =>
        setJobs((current) => {
          if (current === null) return current;
          const known = current.some((job) => job.id === summary.id);
          return known
            ? current.map((job) => (job.id === summary.id ? summary : job))
            : [summary, ...current];
        }),
      ),
    [client],
  );
  const replace = (next: JobSummary) =>
    setJobs((current) =>
      (current ?? [])
        .map((job) => (job.id === next.id ? next : job))
        .concat((current ?? []).some((job) => job.id === next.id) ? [] : [next]),
    );

  const kinds = [...new Set((jobs ?? []).map((job) => job.kind))];
  const shown = (jobs ?? []).filter(
    (job) => (state === 'all' || job.state === state) && (kind === 'all' || job.kind === kind),
  );
  const interrupted = (jobs ?? []).filter((job) => job.state === 'interrupted');
  const open = (jobs ?? []).find((job) => job.id === openId) ?? null;

  return (
    <div className={styles.root}>
      {interrupted.map((job) => (
        <MessageBar key={job.id} intent="warning" data-testid="job-interrupted">
          <MessageBarBody>
            <MessageBarTitle>Interrupted</MessageBarTitle>
            {job.label}: interrupted at {formatCount(settledOf(job))} of {formatCount(job.total)}. It does not
            resume by itself.
          </MessageBarBody>
          <MessageBarActions>
            <JobActions job={job} onChanged={replace} />
          </MessageBarActions>
        </MessageBar>
      ))}
      <div className={styles.toolbar}>
        <Field label="State">
          <Dropdown
            value={state === 'all' ? 'Any state' : stateLabel(state)}
            selectedOptions={[state]}
            onOptionSelect={(_e, d) => setState((d.optionValue as JobState | undefined) ?? 'all')}
          >
            <Option value="all">Any state</Option>
            {STATES.map((s) => (
              <Option key={s} value={s}>
                {stateLabel(s)}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Field label="Kind">
          <Dropdown
            value={kind === 'all' ? 'Any kind' : kind}
            selectedOptions={[kind]}
            onOptionSelect={(_e, d) => setKind(d.optionValue ?? 'all')}
          >
            <Option value="all">Any kind</Option>
            {kinds.map((k) => (
              <Option key={k} value={k}>
                {k}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Button onClick={load}>Refresh</Button>
      </div>
      {error !== null && (
        <MessageBar intent="error">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      {jobs === null && error === null && <Spinner label="Loading jobs…" />}
      {jobs !== null && shown.length === 0 && (
        <Text data-testid="jobs-empty">
          {jobs.length === 0
            ? 'No jobs yet. Start a force-disconnect or a verification from the Users page (select users, then “Force-disconnect…” or “Verify…”).'
            : 'No job matches these filters.'}
        </Text>
      )}
      {shown.length > 0 && (
        <Table aria-label="Jobs" data-testid="jobs-table">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Job</TableHeaderCell>
              <TableHeaderCell>State</TableHeaderCell>
              <TableHeaderCell>Progress</TableHeaderCell>
              <TableHeaderCell>Counts</TableHeaderCell>
              <TableHeaderCell>Started by</TableHeaderCell>
              <TableHeaderCell>Actions</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {shown.map((job) => (
              <TableRow key={job.id} data-testid="job-row" data-job-id={job.id} data-state={job.state}>
                <TableCell>
                  <Button
                    appearance="transparent"
                    aria-expanded={openId === job.id}
                    onClick={() => setOpenId(openId === job.id ? null : job.id)}
                  >
                    {job.label}
                  </Button>
                  <div className={styles.muted}>
                    {job.kind} · {job.id}
                  </div>
                </TableCell>
                <TableCell>
                  <Badge appearance="tint" color={BADGE[job.state]}>
                    {stateLabel(job.state)}
                  </Badge>
                  {job.scheduledAt && (
                    <div className={styles.muted}>at {new Date(job.scheduledAt).toLocaleString()}</div>
                  )}
                </TableCell>
                <TableCell className={styles.progress}>
                  <ProgressBar
                    value={job.total === 0 ? 1 : settledOf(job) / job.total}
                    aria-label={`${formatCount(settledOf(job))} of ${formatCount(job.total)} done`}
                  />
                  <div className={styles.muted}>
                    {formatCount(settledOf(job))} of {formatCount(job.total)}
                    {rateText(job)}
                    {etaText(job)}
                  </div>
                </TableCell>
                <TableCell>
                  {Object.entries(job.counts)
                    .filter(([, n]) => n > 0)
                    .map(([name, n]) => `${name.replaceAll('_', ' ')} ${formatCount(n)}`)
                    .join(' · ') || '—'}
                </TableCell>
                <TableCell>
                  {job.createdByName ?? job.createdBy}
                  <div className={styles.muted}>{new Date(job.createdAt).toLocaleString()}</div>
                </TableCell>
                <TableCell>
                  <JobActions job={job} onChanged={replace} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {open !== null && <JobDetail job={open} />}
      {open !== null && open.state === 'completed' && (open.counts['disconnected'] ?? 0) > 0 && (
        <MessageBar intent="info">
          <MessageBarBody>
            <MessageBarTitle>Next step</MessageBarTitle>
            Tell the {formatCount(open.counts['disconnected'] ?? 0)} disconnected users how to reconnect: on
            the Users page the filter “status: disconnected” lists them, and this job’s CSV names exactly who.
          </MessageBarBody>
        </MessageBar>
      )}
    </div>
  );
}
