import {
  Button,
  Dropdown,
  Field,
  Link,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Option,
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
import { Dismiss16Regular } from '@fluentui/react-icons';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReminderRun, ReminderSchedule } from '../../../../shared/contract/index.ts';
import { formatInstantForOperator } from '../../../../shared/time/instant-format.ts';
import { useClient } from '../../app/client-context.ts';
import { usePermission } from '../../components/auth/auth-store.ts';
import { errorMessage } from '../../format/errors.ts';
import { browserTimeZone } from '../dashboard/countdown.ts';
import { jobHref, stateLabel } from '../jobs/job-format.ts';
import { composedMessage, useAnnouncementStore } from './announcement-store.ts';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '860px' },
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'end' },
  days: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, margin: 0, padding: 0 },
  day: { listStyleType: 'none' },
  heading: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  muted: { color: tokens.colorNeutralForeground2 },
});

const dayWords = (days: number) =>
  days === 0 ? 'on the cut-off day' : `${days} day${days === 1 ? '' : 's'} before`;

/**
 * The reminder schedule: days before the cut-off, each a scheduled send job that writes only to users
 * still not migrated when it runs. Saving cancels and creates those jobs; directors only.
 */
export function RemindersTab() {
  const styles = useStyles();
  const client = useClient();
  const send = usePermission('send');
  const templates = useAnnouncementStore((s) => s.templates);
  const [schedule, setSchedule] = useState<ReminderSchedule | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [days, setDays] = useState<number[] | null>(null);
  const [adding, setAdding] = useState(3);
  // A removed day's button is gone: focus moves to the field that adds days, never to the page's start.
  const addField = useRef<HTMLInputElement>(null);
  const [picked, setTemplateId] = useState<string | null>(null);
  // The first template until the operator picks one.
  const templateId = picked ?? templates[0]?.id ?? null;
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ intent: 'success' | 'error' | 'warning'; text: string } | null>(
    null,
  );

  const load = useCallback(() => {
    client.reminders.schedule({}).then(
      (value) => {
        setSchedule(value);
        setLoadError(null);
        setDays(
          (current) =>
            current ?? (value.upcoming.length > 0 ? uniqueDays(value.upcoming) : value.defaultDays),
        );
      },
      (error: unknown) => setLoadError(errorMessage(error)),
    );
  }, [client]);
  useEffect(() => load(), [load]);

  const zone = schedule?.timeZone ?? 'UTC';
  const when = (iso: string) => formatInstantForOperator(iso, zone, browserTimeZone());
  const chosen = templates.find((t) => t.id === templateId) ?? null;

  const save = async (next: number[]) => {
    if (chosen === null) return;
    setBusy(true);
    setOutcome(null);
    try {
      const template = await client.mail.template({ id: chosen.id });
      const { overrides, audience } = composedMessage(useAnnouncementStore.getState());
      const result = await client.reminders.setSchedule({
        days: next,
        template: {
          name: template.name,
          subject: template.subject,
          body: template.body,
          templateId: template.id,
          templateVersion: template.shownVersion,
        },
        overrides,
        audience,
      });
      setSchedule(result);
      setDays(next.filter((d) => !result.skippedPast.includes(d)));
      const parts = [
        `${result.created.length} scheduled`,
        `${result.cancelled.length} cancelled`,
        ...(result.skippedPast.length > 0
          ? [`left out (already past): ${result.skippedPast.map(dayWords).join(', ')}`]
          : []),
      ];
      setOutcome({
        intent: result.skippedPast.length > 0 ? 'warning' : 'success',
        text: `Reminder schedule saved: ${parts.join('; ')}.`,
      });
    } catch (error) {
      setOutcome({ intent: 'error', text: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };

  const why = send.allowed ? null : (send.reason ?? 'Only directors schedule reminders.');
  return (
    <div className={styles.root}>
      <Text>
        Reminders go out at {schedule?.hour ?? 10}:00 ({zone}) on each chosen day before the cut-off
        {schedule?.cutoffAt ? ` (${when(schedule.cutoffAt)})` : ''}. Each one is a scheduled send on the Jobs
        page and writes only to those in the audience (the Audience tab) who have still not re-authorized when
        it runs. The message is the chosen template with Compose’s values ([UNIVERSITY], the cut-off date).
        They start while the console is open, or from a system scheduler with{' '}
        <code>npm run cli -- mail reminders run-due</code>.
      </Text>
      {loadError !== null && (
        <MessageBar intent="error">
          <MessageBarBody>{loadError}</MessageBarBody>
        </MessageBar>
      )}
      {schedule?.problem && (
        <MessageBar intent="warning">
          <MessageBarBody>{schedule.problem}</MessageBarBody>
        </MessageBar>
      )}
      {why !== null && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>{why}</MessageBarBody>
        </MessageBar>
      )}
      {schedule === null && loadError === null && <Spinner size="tiny" label="Loading the schedule…" />}

      <section aria-labelledby="reminder-days" className={styles.root}>
        <h3 id="reminder-days" className={styles.heading}>
          Days before the cut-off
        </h3>
        <ul className={styles.days} data-testid="reminder-days">
          {(days ?? []).map((d) => (
            <li key={d} className={styles.day} data-days={d}>
              <Button
                size="small"
                icon={<Dismiss16Regular />}
                iconPosition="after"
                aria-label={`Remove the reminder ${dayWords(d)}`}
                disabledFocusable={busy}
                onClick={() => {
                  setDays((current) => (current ?? []).filter((x) => x !== d));
                  addField.current?.focus();
                }}
              >
                {dayWords(d)}
              </Button>
            </li>
          ))}
          {(days ?? []).length === 0 && <Text className={styles.muted}>No reminder days.</Text>}
        </ul>
        <div className={styles.row}>
          <Field label="Another reminder, days before the cut-off">
            <SpinButton
              input={{ ref: addField }}
              value={adding}
              min={0}
              max={90}
              onChange={(_, data) => {
                const value = data.value ?? Number(data.displayValue);
                if (Number.isFinite(value)) setAdding(Math.min(90, Math.max(0, Math.round(value))));
              }}
            />
          </Field>
          <Button
            disabledFocusable={busy || (days ?? []).includes(adding) || (days ?? []).length >= 10}
            onClick={() => setDays((current) => [...(current ?? []), adding].sort((a, b) => b - a))}
          >
            Add day
          </Button>
          <Field label="Template">
            <Dropdown
              value={chosen?.name ?? ''}
              selectedOptions={templateId === null ? [] : [templateId]}
              onOptionSelect={(_, data) => setTemplateId(data.optionValue ?? null)}
            >
              {templates.map((t) => (
                <Option key={t.id} value={t.id}>
                  {t.name}
                </Option>
              ))}
            </Dropdown>
          </Field>
        </div>
        <div className={styles.row}>
          <Button
            appearance="primary"
            disabledFocusable={busy || why !== null || chosen === null || days === null || schedule === null}
            onClick={() => void save(days ?? [])}
          >
            Save schedule
          </Button>
          <Button
            disabledFocusable={
              busy || why !== null || chosen === null || (schedule?.upcoming.length ?? 0) === 0
            }
            onClick={() => void save([])}
          >
            Cancel all reminders
          </Button>
          {busy && <Spinner size="tiny" label="Saving…" />}
        </div>
        {outcome !== null && (
          <MessageBar intent={outcome.intent} role="status" data-testid="reminders-outcome">
            <MessageBarBody>{outcome.text}</MessageBarBody>
          </MessageBar>
        )}
      </section>

      {schedule !== null && (
        <section aria-labelledby="reminder-runs" className={styles.root}>
          <h3 id="reminder-runs" className={styles.heading}>
            Scheduled runs
          </h3>
          {schedule.upcoming.length === 0 ? (
            <Text className={styles.muted} data-testid="reminders-none">
              No reminder is scheduled.
            </Text>
          ) : (
            <RunTable
              runs={schedule.upcoming}
              when={when}
              label="Scheduled reminders"
              testId="reminder-runs"
            />
          )}
          {schedule.past.length > 0 && (
            <>
              <h3 className={styles.heading}>Past runs</h3>
              <RunTable runs={schedule.past} when={when} label="Past reminders" testId="reminder-past" />
            </>
          )}
        </section>
      )}
    </div>
  );
}

function uniqueDays(runs: readonly ReminderRun[]): number[] {
  return [...new Set(runs.map((r) => r.daysBefore))].sort((a, b) => b - a);
}

function RunTable({
  runs,
  when,
  label,
  testId,
}: {
  runs: readonly ReminderRun[];
  when(iso: string): string;
  label: string;
  testId: string;
}) {
  return (
    <Table size="small" aria-label={label} data-testid={testId}>
      <TableHeader>
        <TableRow>
          <TableHeaderCell>When</TableHeaderCell>
          <TableHeaderCell>Before the cut-off</TableHeaderCell>
          <TableHeaderCell>Template</TableHeaderCell>
          <TableHeaderCell>State</TableHeaderCell>
          <TableHeaderCell>Job</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {runs.map((run) => (
          <TableRow key={run.jobId} data-days={run.daysBefore}>
            <TableCell>{when(run.scheduledAt)}</TableCell>
            <TableCell>{dayWords(run.daysBefore)}</TableCell>
            <TableCell>{run.templateName}</TableCell>
            <TableCell>
              {stateLabel(run.state)}
              {run.sent > 0 ? ` · ${run.sent.toLocaleString('en-US')} sent` : ''}
            </TableCell>
            <TableCell>
              <Link href={jobHref(run.jobId)}>{run.jobId}</Link>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
