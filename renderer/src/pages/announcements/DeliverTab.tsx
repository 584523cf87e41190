import {
  Button,
  Field,
  Input,
  Link,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Radio,
  RadioGroup,
  Spinner,
  SpinButton,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import type {
  DeliveryMode,
  DeliveryPlan,
  DeliveryStatus,
  JobSummary,
} from '../../../../shared/contract/index.ts';
import { formatInstantForOperator } from '../../../../shared/time/instant-format.ts';
import { useClient } from '../../app/client-context.ts';
import { usePermission } from '../../components/auth/auth-store.ts';
import { errorMessage } from '../../format/errors.ts';
import { browserTimeZone } from '../dashboard/countdown.ts';
import { JobActions, JobDetail } from '../jobs/JobsPage.tsx';
import { jobHref, settledOf, stateLabel } from '../jobs/job-format.ts';
import { ConfirmAction } from '../users/ConfirmAction.tsx';
import { useAnnouncementStore } from './announcement-store.ts';
import { deliveryInput, planHeadline, testKey } from './delivery-input.ts';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '860px' },
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'end' },
  plan: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingVerticalM,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  headline: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  muted: { color: tokens.colorNeutralForeground2 },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

const n = (value: number) => value.toLocaleString('en-US');
const REASON = {
  'duplicate-email': 'Shares an address',
  'no-email': 'No usable address',
  suppressed: 'Suppressed',
};

/**
 * Send through Graph or save drafts in Outlook: the plan first, a test to oneself, a confirmation naming
 * the count, then the job's progress with every recipient's outcome (the Jobs page's own detail).
 */
export function DeliverTab() {
  const styles = useStyles();
  const client = useClient();
  const sendPermission = usePermission('send');
  const composePermission = usePermission('compose');
  const preview = useAnnouncementStore((s) => s.preview);
  const [mode, setMode] = useState<DeliveryMode>('send');
  const [sharedMailbox, setSharedMailbox] = useState('');
  const [linkDays, setLinkDays] = useState(7);
  const [plan, setPlan] = useState<DeliveryPlan | null>(null);
  const [busy, setBusy] = useState<'plan' | 'test' | 'start' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tested, setTested] = useState<{ key: string; text: string } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [job, setJob] = useState<JobSummary | null>(null);

  const permission = mode === 'send' ? sendPermission : composePermission;
  const state = useAnnouncementStore.getState();
  const currentKey = testKey(state, sharedMailbox);
  const testedNow = tested?.key === currentKey;
  const blocked = preview === null || !preview.sendable;
  const zone = preview?.org.timeZone ?? null;

  // The job's progress as the engine reports it (throttled events), for the job this tab started.
  useEffect(() => {
    if (job === null) return;
    return client.subscribe('jobs.progress', (summary) => {
      if (summary.id === job.id) setJob(summary);
    });
  }, [client, job?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  const input = () => deliveryInput(useAnnouncementStore.getState(), { mode, sharedMailbox, linkDays });

  const makePlan = async () => {
    setBusy('plan');
    setError(null);
    try {
      setPlan(await client.mail.planDelivery(input()));
    } catch (caught) {
      setPlan(null);
      setError(errorMessage(caught));
    } finally {
      setBusy(null);
    }
  };

  const testSend = async () => {
    const { draft, previewUserId } = useAnnouncementStore.getState();
    setBusy('test');
    setError(null);
    try {
      const sent = await client.mail.testSend({
        template: { subject: draft.subject, body: draft.body },
        overrides: input().overrides ?? {},
        userId: previewUserId,
        sharedMailbox: sharedMailbox.trim() === '' ? null : sharedMailbox.trim(),
      });
      setTested({
        key: currentKey,
        text: `Test sent to ${sent.sentTo}, written for ${sent.renderedFor.name}. Check it in your inbox before sending to everyone.`,
      });
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(null);
    }
  };

  const start = async () => {
    if (plan === null) return;
    setBusy('start');
    setError(null);
    try {
      setJob(
        await client.mail.startDelivery({ ...input(), confirmCount: plan.recipients, scheduledAt: null }),
      );
      setPlan(null);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(null);
      setConfirming(false);
    }
  };

  const startReason = !permission.allowed
    ? (permission.reason ?? 'You may not do this.')
    : blocked
      ? 'The template has unresolved issues (see Compose).'
      : plan === null
        ? 'Show the plan first.'
        : plan.recipients === 0
          ? 'Nobody to write to.'
          : !plan.sendable
            ? 'The plan names issues to fix first.'
            : mode === 'send' && !testedNow
              ? 'Send a test to yourself first (after any change to the message).'
              : null;

  return (
    <div className={styles.root}>
      <RadioGroup
        aria-label="How to deliver"
        value={mode}
        onChange={(_, data) => {
          setMode(data.value as DeliveryMode);
          setPlan(null);
        }}
      >
        <Radio value="send" label="Send now from your mailbox through Microsoft Graph (directors)" />
        <Radio
          value="drafts"
          label="Save one draft per recipient in your Outlook, to review and send yourself"
        />
      </RadioGroup>
      {!permission.allowed && permission.reason !== null && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>{permission.reason}</MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.row}>
        <Field label="Send as a shared mailbox (optional)" hint="Empty: your own mailbox.">
          <Input
            type="email"
            value={sharedMailbox}
            onChange={(_, data) => {
              setSharedMailbox(data.value);
              setPlan(null);
            }}
          />
        </Field>
        <Field label="Magic links valid for (days)" hint="Each link is made as its message goes.">
          <SpinButton
            value={linkDays}
            min={1}
            max={7}
            onChange={(_, data) => {
              const value = data.value ?? Number(data.displayValue);
              if (Number.isFinite(value)) setLinkDays(Math.min(7, Math.max(1, Math.round(value))));
              setPlan(null);
            }}
          />
        </Field>
      </div>
      <div className={styles.row}>
        <Button onClick={() => void makePlan()} disabledFocusable={busy !== null}>
          Show the plan
        </Button>
        <Button
          onClick={() => void testSend()}
          disabledFocusable={busy !== null || blocked || !composePermission.allowed}
          data-testid="test-send"
        >
          Send a test to me
        </Button>
        <Button
          appearance="primary"
          disabledFocusable={busy !== null || startReason !== null}
          onClick={() => setConfirming(true)}
          aria-describedby="deliver-start-reason"
        >
          {mode === 'send' ? 'Send…' : 'Create drafts…'}
        </Button>
      </div>
      {startReason !== null && (
        <Text size={200} className={styles.muted} id="deliver-start-reason">
          {startReason}
        </Text>
      )}
      {busy === 'plan' && <Spinner size="tiny" label="Counting the audience…" />}
      {busy === 'test' && <Spinner size="tiny" label="Sending the test…" />}
      {tested !== null && testedNow && (
        <MessageBar intent="success" role="status" data-testid="test-sent">
          <MessageBarBody>{tested.text}</MessageBarBody>
        </MessageBar>
      )}
      {error !== null && (
        <MessageBar intent="error" layout="multiline" data-testid="deliver-error">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      {plan !== null && <PlanView plan={plan} zone={zone} />}
      {confirming && plan !== null && (
        <ConfirmAction
          title={
            mode === 'send'
              ? `Send to ${n(plan.recipients)} recipients?`
              : `Create ${n(plan.recipients)} drafts in your Outlook?`
          }
          confirmLabel={
            mode === 'send' ? `Send to ${n(plan.recipients)}` : `Create ${n(plan.recipients)} drafts`
          }
          danger={mode === 'send'}
          busy={busy === 'start'}
          onCancel={() => setConfirming(false)}
          onConfirm={() => void start()}
        >
          <p>{planHeadline(plan, zone, browserTimeZone())}.</p>
          <p>
            {mode === 'send'
              ? 'Messages leave one by one within Exchange’s limits; a message once sent cannot be recalled. Each recipient is checked again as their message goes, so anyone who re-authorized meanwhile is skipped.'
              : 'Drafts wait in your Drafts folder; nothing is sent until you send them.'}
          </p>
        </ConfirmAction>
      )}
      {job !== null && <DeliveryProgress job={job} onChanged={setJob} zone={zone} />}
    </div>
  );
}

function PlanView({ plan, zone }: { plan: DeliveryPlan; zone: string | null }) {
  const styles = useStyles();
  const excluded = plan.excluded.duplicateEmail + plan.excluded.noEmail + plan.excluded.suppressed;
  return (
    <section className={styles.plan} aria-labelledby="deliver-plan" data-testid="delivery-plan">
      <h3 id="deliver-plan" className={styles.headline}>
        {planHeadline(plan, zone, browserTimeZone())}
      </h3>
      <Text>
        From {plan.sender.address ?? 'your mailbox (sign in to see its address)'} · {n(plan.internal)}{' '}
        internal, {n(plan.external)} external
        {plan.mode === 'send' &&
          ` · ${n(plan.limits.messagesPerMinute)} a minute, ${n(plan.limits.recipientsPerDay - plan.limits.recipientsUsedLastDay)} of ${n(plan.limits.recipientsPerDay)} recipients left today`}
        {plan.quotaPauses > 0 && ` · pauses ${n(plan.quotaPauses)} time(s) for the 24-hour quota`}
      </Text>
      <Text>
        {n(plan.total)} selected; {n(excluded)} held back: {n(plan.excluded.duplicateEmail)} sharing an
        address, {n(plan.excluded.noEmail)} without a usable address, {n(plan.excluded.suppressed)}{' '}
        suppressed.
      </Text>
      {plan.magicLinks.warning !== null && (
        <MessageBar intent="warning">
          <MessageBarBody>{plan.magicLinks.warning}</MessageBarBody>
        </MessageBar>
      )}
      {plan.notes.length > 0 && (
        <ul className={styles.list}>
          {plan.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      {plan.issues.filter((i) => i.severity === 'error').length > 0 && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>The template has issues</MessageBarTitle>
            {plan.issues
              .filter((i) => i.severity === 'error')
              .slice(0, 5)
              .map((i) => `${i.part} line ${i.line}, column ${i.column}: ${i.message}`)
              .join(' · ')}
          </MessageBarBody>
        </MessageBar>
      )}
      {plan.excludedSample.length > 0 && (
        <Table size="small" aria-label="Held back" data-testid="excluded-list">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>User</TableHeaderCell>
              <TableHeaderCell>Email</TableHeaderCell>
              <TableHeaderCell>Why</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {plan.excludedSample.slice(0, 50).map((row) => (
              <TableRow key={`${row.userId}-${row.reason}`}>
                <TableCell>{row.name || row.userId}</TableCell>
                <TableCell>{row.email || '—'}</TableCell>
                <TableCell>{REASON[row.reason]}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}

function DeliveryProgress({
  job,
  onChanged,
  zone,
}: {
  job: JobSummary;
  onChanged(job: JobSummary): void;
  zone: string | null;
}) {
  const styles = useStyles();
  const client = useClient();
  // Who it is sent from and, while a quota or throttling pause holds it, when it resumes by itself.
  const [status, setStatus] = useState<DeliveryStatus | null>(null);
  useEffect(() => {
    let live = true;
    client.mail.delivery({ id: job.id }).then(
      (value) => live && setStatus(value),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client, job.id, job.state]);
  const settled = settledOf(job);
  // The confirmation closed and its button is gone: focus goes to what started, not to the page's start.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [job.id]);
  return (
    <section className={styles.plan} aria-labelledby="deliver-progress" data-testid="delivery-progress">
      <h3 id="deliver-progress" className={styles.headline} ref={heading} tabIndex={-1}>
        {job.label}
      </h3>
      <Field label={`${stateLabel(job.state)}: ${n(settled)} of ${n(job.total)} done`} validationState="none">
        <ProgressBar value={job.total === 0 ? 1 : settled / job.total} />
      </Field>
      {status?.resumesAt && (
        <MessageBar intent="info" data-testid="delivery-resumes">
          <MessageBarBody>
            Waiting for the sending mailbox’s limit to free up: it resumes by itself at{' '}
            {formatInstantForOperator(status.resumesAt, zone ?? 'UTC', browserTimeZone())} (while the console
            is open, or with <code>jobs run-due</code>). Nobody is mailed twice.
          </MessageBarBody>
        </MessageBar>
      )}
      {status?.sender && <Text className={styles.muted}>From {status.sender}</Text>}
      <Text>
        {Object.entries(job.counts)
          .filter(([, value]) => value > 0)
          .map(([name, value]) => `${name.replace(/_/g, ' ')} ${n(value)}`)
          .join(' · ') || 'Starting…'}
      </Text>
      <div className={styles.row}>
        <JobActions job={job} onChanged={onChanged} />
        <Link href={jobHref(job.id)}>Open on the Jobs page</Link>
      </div>
      <JobDetail job={job} />
    </section>
  );
}
