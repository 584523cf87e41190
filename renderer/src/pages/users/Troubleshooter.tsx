import {
  Button,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import {
  ArrowSync20Regular,
  Copy20Regular,
  Mail20Regular,
  LinkMultiple20Regular,
  PlugDisconnected20Regular,
  ShieldTask20Regular,
} from '@fluentui/react-icons';
import { useCallback, useEffect, useState } from 'react';
import type {
  Diagnosis,
  Troubleshooting,
  UserAnnouncement,
  UserVerification,
  VerificationSummary,
} from '../../../../shared/contract/index.ts';
import { useClient } from '../../app/client-context.ts';
import { usePermission } from '../../components/auth/auth-store.ts';
import { errorMessage } from '../../format/errors.ts';
import { ConfirmAction } from './ConfirmAction.tsx';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  heading: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  table: {
    borderCollapse: 'collapse',
    width: '100%',
    '& th, & td': {
      textAlign: 'left',
      padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalS}`,
      borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
      verticalAlign: 'top',
      overflowWrap: 'anywhere',
    },
  },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
  muted: { color: tokens.colorNeutralForeground2 },
  grow: { flexGrow: 1 },
});

const SEVERITY_INTENT = { ok: 'success', info: 'info', warning: 'warning', error: 'error' } as const;

const VERDICT_LABEL: Record<VerificationSummary['verdict'], string> = {
  ok: 'Everything checked is as the platform stored it',
  anomalies: 'Found items that are not as the platform stored them',
  incomplete: 'Some items could not be checked',
  no_mailbox: 'No mailbox Graph can read',
  platform_only: 'Platform-only check (no Graph access)',
  no_items: 'Nothing synced to check',
  failed: 'The check could not run',
};

const CLASS_LABEL: Record<string, string> = {
  ok: 'OK',
  missing: 'Missing',
  id_changed: 'Id changed',
  mismatch: 'Mismatch',
  duplicate: 'Duplicate',
  legacy_id: 'Legacy id',
  unverified: 'Not checked',
};

const DIRECTION_LABEL = {
  to_calendar: 'To the calendar',
  from_calendar: 'Import of personal events',
} as const;
const OUTCOME_LABEL = { ok: 'Succeeded', partial: 'Partly', failed: 'Failed' } as const;

function DiagnosisList({ diagnoses }: { diagnoses: readonly Diagnosis[] }) {
  return (
    <div data-testid="diagnoses">
      {diagnoses.map((d) => (
        <MessageBar key={d.code} intent={SEVERITY_INTENT[d.severity]} layout="multiline" data-code={d.code}>
          <MessageBarBody>
            <MessageBarTitle>{d.explanation}</MessageBarTitle>
            <br />
            <strong>Next step:</strong> {d.nextStep} <Text size={200}>({d.code})</Text>
          </MessageBarBody>
        </MessageBar>
      ))}
    </div>
  );
}

function VerificationView({
  v,
  formatTime,
}: {
  v: VerificationSummary & { items?: UserVerification['items'] };
  formatTime(iso: string): string;
}) {
  const styles = useStyles();
  const counts = Object.entries(v.counts).filter(([, n]) => n > 0);
  const problems = (v.items ?? []).filter((i) => i.class !== 'ok');
  return (
    <div className={styles.section} data-testid="latest-verification" data-verdict={v.verdict}>
      <Text>
        <strong>{VERDICT_LABEL[v.verdict]}</strong> — {formatTime(v.checkedAt)}
        {counts.length > 0 && `: ${counts.map(([k, n]) => `${n} ${CLASS_LABEL[k] ?? k}`).join(', ')}`}
      </Text>
      {v.error && <Text>{v.error}</Text>}
      {v.notChecked.length > 0 && (
        <ul className={styles.list}>
          {v.notChecked.map((n) => (
            <li key={n}>Not checked: {n}</li>
          ))}
        </ul>
      )}
      {problems.length > 0 && (
        <table className={styles.table}>
          <caption className={styles.muted}>Items that are not as stored</caption>
          <thead>
            <tr>
              <th scope="col">Class</th>
              <th scope="col">Item</th>
              <th scope="col">What was found</th>
            </tr>
          </thead>
          <tbody>
            {problems.slice(0, 200).map((i) => (
              <tr key={i.itemId} data-testid="verification-item" data-class={i.class}>
                <td>{CLASS_LABEL[i.class] ?? i.class}</td>
                <td>{i.itemId}</td>
                <td>
                  {i.detail}
                  {i.newId ? ` New id: ${i.newId}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

type Pending = 'verify' | 'resync' | 'magic' | 'email' | 'disconnect' | null;

const ANNOUNCEMENT_KIND: Record<UserAnnouncement['kind'], string> = {
  send: 'Sent',
  drafts: 'Draft in Outlook',
  export: 'Exported',
};

/** The announcements that reached this user (sends, draft batches, exports), from the journal. */
function AnnouncementsSent({
  list,
  formatTime,
}: {
  list: { announcements: UserAnnouncement[]; total: number } | string | null;
  formatTime(iso: string): string;
}) {
  const styles = useStyles();
  if (list === null) return <Spinner size="tiny" label="Loading announcements…" />;
  if (typeof list === 'string') return <Text>{list}</Text>;
  if (list.total === 0)
    return (
      <Text className={styles.muted} data-testid="user-announcements-none">
        No announcement has reached this user from this console.
      </Text>
    );
  return (
    <table className={styles.table} data-testid="user-announcements">
      {list.total > list.announcements.length && (
        <caption className={styles.muted}>
          The latest {list.announcements.length} of {list.total}
        </caption>
      )}
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">How</th>
          <th scope="col">Template</th>
        </tr>
      </thead>
      <tbody>
        {list.announcements.map((a) => (
          <tr key={a.id} data-kind={a.kind}>
            <td>{formatTime(a.recordedAt)}</td>
            <td>
              {ANNOUNCEMENT_KIND[a.kind]}
              {a.format ? ` (${a.format})` : ''}
            </td>
            <td>
              {a.templateName}
              <br />
              <Text size={200} className={styles.muted}>
                {a.subject}
              </Text>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface TroubleshooterProps {
  userId: string;
  name: string;
  formatTime(iso: string): string;
  /** The connection changed (after a resync or force-disconnect): the caller fetches it again. */
  onChanged(): void;
}

/** Diagnosis, actions, latest verification, timeline and sync log of one user (docs/diagnosis.md). */
export function Troubleshooter({ userId, name, formatTime, onChanged }: TroubleshooterProps) {
  const styles = useStyles();
  const client = useClient();
  const actOne = usePermission('act-one');
  const disconnect = usePermission('force-disconnect');
  const [report, setReport] = useState<{
    userId: string;
    value: Troubleshooting | null;
    error: string | null;
  } | null>(null);
  const [verification, setVerification] = useState<UserVerification | null>(null);
  const [confirm, setConfirm] = useState<Pending>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ intent: 'success' | 'error'; text: string } | null>(null);
  const [magicLink, setMagicLink] = useState<{ url: string; expiresAt: string } | null>(null);
  const [announcements, setAnnouncements] = useState<{
    userId: string;
    value: { announcements: UserAnnouncement[]; total: number } | string;
  } | null>(null);

  const load = useCallback(() => {
    let live = true;
    client.support.troubleshoot({ userId }).then(
      (value) => live && setReport({ userId, value, error: null }),
      (error: unknown) => live && setReport({ userId, value: null, error: errorMessage(error) }),
    );
    client.userMail.announcements({ userId }).then(
      (value) => live && setAnnouncements({ userId, value }),
      (error: unknown) => live && setAnnouncements({ userId, value: errorMessage(error) }),
    );
    client.verify.latest({ userId }).then(
      (value) => live && setVerification(value),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client, userId]);
  useEffect(() => load(), [load]);

  const current = report?.userId === userId ? report : null;
  const t = current?.value ?? null;

  const run = async (what: Exclude<Pending, null>, reason: string) => {
    setBusy(true);
    setOutcome(null);
    try {
      if (what === 'verify') {
        const result = await client.verify.user({ userId });
        setVerification(result);
        setOutcome({ intent: 'success', text: `Verified: ${VERDICT_LABEL[result.verdict]}.` });
      } else if (what === 'resync') {
        const r = await client.support.resync({ userId });
        setOutcome({
          intent: 'success',
          text: `Resync requested; the platform expects it by ${formatTime(r.expectedBy)}.`,
        });
        onChanged();
      } else if (what === 'email') {
        const sent = await client.userMail.sendMagicLink({ userId, ttlMinutes: 1440 });
        setOutcome({
          intent: 'success',
          text: `Magic link emailed to ${sent.to} from ${sent.from}; it expires ${formatTime(sent.expiresAt)}.`,
        });
      } else if (what === 'magic') {
        const link = await client.support.magicLink({ userId, ttlMinutes: 1440 });
        setMagicLink(link);
        setOutcome({
          intent: 'success',
          text: `Magic link created; it expires ${formatTime(link.expiresAt)}.`,
        });
      } else {
        const r = await client.support.forceDisconnect({ userId, reason });
        setOutcome({
          intent: 'success',
          text: r.changed
            ? 'Force-disconnected. The user must re-authorize.'
            : 'Nothing changed: the user was not connected.',
        });
        onChanged();
      }
      load();
    } catch (error) {
      setOutcome({ intent: 'error', text: errorMessage(error) });
    } finally {
      setBusy(false);
      setConfirm(null);
    }
  };

  const copy = async (text: string, what: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setOutcome({ intent: 'success', text: `${what} copied.` });
    } catch {
      setOutcome({
        intent: 'error',
        text: `Could not reach the clipboard; select the ${what.toLowerCase()} and copy it by hand.`,
      });
    }
  };

  const latest = verification ?? t?.latestVerification ?? null;
  return (
    <>
      <section className={styles.section} aria-labelledby="ts-diagnosis">
        <h3 id="ts-diagnosis" className={styles.heading}>
          Diagnosis
        </h3>
        {current === null && <Spinner size="tiny" label="Diagnosing…" />}
        {current?.error && (
          <MessageBar intent="warning">
            <MessageBarBody>{current.error}</MessageBarBody>
          </MessageBar>
        )}
        {t?.fromCache === true && (
          <Text className={styles.muted}>
            The platform could not be reached: this diagnosis is from the cached copy of the user.
          </Text>
        )}
        {t && <DiagnosisList diagnoses={t.diagnoses} />}
      </section>

      <section className={styles.section} aria-labelledby="ts-actions">
        <h3 id="ts-actions" className={styles.heading}>
          Actions
        </h3>
        <div className={styles.actions}>
          <Button
            icon={<ShieldTask20Regular />}
            disabled={!actOne.allowed || busy}
            onClick={() => setConfirm('verify')}
          >
            Verify now
          </Button>
          <Button
            icon={<ArrowSync20Regular />}
            disabled={!actOne.allowed || busy}
            onClick={() => setConfirm('resync')}
          >
            Resync
          </Button>
          <Button
            icon={<LinkMultiple20Regular />}
            disabled={!actOne.allowed || busy}
            onClick={() => setConfirm('magic')}
          >
            Magic link
          </Button>
          <Button
            icon={<Mail20Regular />}
            disabled={!actOne.allowed || busy}
            onClick={() => setConfirm('email')}
          >
            Send link by email
          </Button>
          <Button
            icon={<PlugDisconnected20Regular />}
            disabled={!disconnect.allowed || busy}
            onClick={() => setConfirm('disconnect')}
          >
            Force-disconnect
          </Button>
          <Button
            icon={<Copy20Regular />}
            disabled={t === null}
            onClick={() => t && void copy(t.supportSummary, 'Support summary')}
          >
            Copy support summary
          </Button>
        </div>
        {(!actOne.allowed || !disconnect.allowed) && (
          <Text size={200} className={styles.muted}>
            {!actOne.allowed ? actOne.reason : disconnect.reason}
          </Text>
        )}
        {outcome && (
          <MessageBar intent={outcome.intent} data-testid="action-outcome" role="status">
            <MessageBarBody>{outcome.text}</MessageBarBody>
          </MessageBar>
        )}
        {magicLink && (
          <div className={styles.actions}>
            <Field label="Magic link (shown once; send it only to this user)" className={styles.grow}>
              <Input
                readOnly
                value={magicLink.url}
                data-testid="magic-link"
                onFocus={(e) => e.currentTarget.select()}
              />
            </Field>
            <Button icon={<Copy20Regular />} onClick={() => void copy(magicLink.url, 'Magic link')}>
              Copy link
            </Button>
          </div>
        )}
      </section>

      <section className={styles.section} aria-labelledby="ts-verification">
        <h3 id="ts-verification" className={styles.heading}>
          Latest verification
        </h3>
        {latest === null ? (
          <Text className={styles.muted}>
            Not verified yet in this session. “Verify now” checks the synced items against the calendar.
          </Text>
        ) : (
          <VerificationView v={latest} formatTime={formatTime} />
        )}
      </section>

      <section className={styles.section} aria-labelledby="ts-announcements">
        <h3 id="ts-announcements" className={styles.heading}>
          Announcements sent to this user
        </h3>
        <AnnouncementsSent
          list={announcements?.userId === userId ? announcements.value : null}
          formatTime={formatTime}
        />
      </section>

      {t && (
        <section className={styles.section} aria-labelledby="ts-timeline">
          <h3 id="ts-timeline" className={styles.heading}>
            Timeline
          </h3>
          <ol className={styles.list} data-testid="timeline">
            {t.timeline.slice(0, 30).map((e, i) => (
              <li key={`${e.at}-${i}`}>
                {formatTime(e.at)} — {e.text}
              </li>
            ))}
          </ol>
        </section>
      )}

      {t && (
        <section className={styles.section} aria-labelledby="ts-synclog">
          <h3 id="ts-synclog" className={styles.heading}>
            Sync log
          </h3>
          {t.syncLogError !== null && <Text>{t.syncLogError}</Text>}
          {t.syncLog.length === 0 && t.syncLogError === null && (
            <Text className={styles.muted}>No sync runs.</Text>
          )}
          {t.syncLog.length > 0 && (
            <table className={styles.table} data-testid="sync-log">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Direction</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Changed</th>
                </tr>
              </thead>
              <tbody>
                {t.syncLog.slice(0, 50).map((e, i) => (
                  <tr key={`${e.at}-${i}`}>
                    <td>{formatTime(e.at)}</td>
                    <td>{DIRECTION_LABEL[e.direction]}</td>
                    <td>
                      {OUTCOME_LABEL[e.outcome]}
                      {e.errorCode ? ` (${e.errorCode})` : ''}
                    </td>
                    <td>{e.itemsChanged}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}

      {confirm === 'verify' && (
        <ConfirmAction
          title={`Verify ${name}?`}
          confirmLabel="Verify"
          busy={busy}
          onCancel={() => setConfirm(null)}
          onConfirm={(r) => void run('verify', r)}
        >
          <p>
            Reads this user’s synced items from the platform and their calendar through Microsoft Graph (read
            only).
          </p>
        </ConfirmAction>
      )}
      {confirm === 'resync' && (
        <ConfirmAction
          title={`Resync ${name}?`}
          confirmLabel="Resync"
          busy={busy}
          onCancel={() => setConfirm(null)}
          onConfirm={(r) => void run('resync', r)}
        >
          <p>Asks the platform to sync this user’s calendar again. It can take up to 30 minutes.</p>
        </ConfirmAction>
      )}
      {confirm === 'magic' && (
        <ConfirmAction
          title={`Create a magic link for ${name}?`}
          confirmLabel="Create link"
          busy={busy}
          onCancel={() => setConfirm(null)}
          onConfirm={(r) => void run('magic', r)}
        >
          <p>
            The link signs this user in to their calendar-sync settings for 24 hours. Anyone with it can do
            so: send it only to the user, never in a ticket.
          </p>
        </ConfirmAction>
      )}
      {confirm === 'email' && (
        <ConfirmAction
          title={`Email a magic link to ${name}?`}
          confirmLabel="Send email"
          busy={busy}
          onCancel={() => setConfirm(null)}
          onConfirm={(r) => void run('email', r)}
        >
          <p>
            Sends one message from your own mailbox (Microsoft Graph) to {t?.connection.email ?? 'this user'}{' '}
            with a link that signs them in to their calendar-sync settings for 24 hours. The link is not shown
            here and is never logged; the message stays in your Sent Items.
          </p>
        </ConfirmAction>
      )}
      {confirm === 'disconnect' && (
        <ConfirmAction
          title={`Force-disconnect ${name}?`}
          confirmLabel="Force-disconnect"
          reasonLabel="Reason (kept with the action)"
          danger
          busy={busy}
          onCancel={() => setConfirm(null)}
          onConfirm={(r) => void run('disconnect', r)}
        >
          <p>
            Their calendar stops syncing until they re-authorize. Events already on their calendar stay there.
            This cannot be undone from the console.
          </p>
        </ConfirmAction>
      )}
    </>
  );
}
