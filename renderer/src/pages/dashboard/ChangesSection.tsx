import { makeStyles, Spinner, Text, ToggleButton, tokens } from '@fluentui/react-components';
import { useEffect, useId, useRef, useState } from 'react';
import type { RosterFilter } from '../../../../shared/contract/index.ts';
import { Role, type ConnectionStatus, type Migration } from '../../../../shared/domain/platform.ts';
import { formatInstant, startOfDayInZone } from '../../../../shared/time/instant-format.ts';
import { useClient } from '../../app/client-context.ts';
import { calendarDateIn } from '../../components/chart/burnup-geometry.ts';
import { errorMessage } from '../../format/errors.ts';
import { usePreferencesStore } from '../../state/preferences-store.ts';
import { Card } from './Card.tsx';
import { CountLink } from './CountLink.tsx';
import { ROLE_LABEL } from './progress.ts';

/**
 * "What changed since yesterday / since my last visit": users whose status became migrated,
 * disconnected or error after an instant, by role, each count a link to exactly those users
 * (`status=… statusChangedSince=…`). Counted from the local roster cache, so it needs no history
 * arithmetic and matches the Users view the links open.
 */
const CHANGES: readonly { status: ConnectionStatus; label: string; what: string }[] = [
  { status: 'migrated', label: 'Re-authorized (now migrated)', what: 're-authorized' },
  { status: 'disconnected', label: 'Newly force-disconnected', what: 'newly force-disconnected' },
  { status: 'error', label: 'New errors on Graph', what: 'newly failing on Graph' },
];

type Counts = Record<ConnectionStatus, { total: number; byRole: Record<Role, number> }>;

/** A first Graph sync this long after the connection is overdue (the platform syncs within minutes). */
const FIRST_SYNC_OVERDUE_MS = 30 * 60_000;
const PENDING: RosterFilter = { status: ['migrated'], lastSyncBefore: 'connectedAt' };

interface FirstSync {
  pending: number;
  overdue: number;
  /** The connectedBefore instant the overdue count used, so its link opens exactly those users. */
  overdueBefore: string;
}

const useStyles = makeStyles({
  periods: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  muted: { color: tokens.colorNeutralForeground2, margin: 0 },
  table: {
    width: '100%',
    borderCollapse: 'collapse',
    fontVariantNumeric: 'tabular-nums',
    '& th, & td': {
      padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
      borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
      textAlign: 'end',
    },
    '& thead th': { color: tokens.colorNeutralForeground2, fontWeight: tokens.fontWeightSemibold },
    '& th[scope=row], & thead th:first-child': { textAlign: 'start' },
  },
});

export function ChangesSection({ migration }: { migration: Migration }) {
  const styles = useStyles();
  const client = useClient();
  const preferences = usePreferencesStore((s) => s.preferences);
  const [lastVisit, setLastVisit] = useState<string | null | undefined>(undefined);
  const recorded = useRef(false);
  const [period, setPeriod] = useState<'yesterday' | 'visit'>('yesterday');
  const [counts, setCounts] = useState<Counts | null>(null);
  const [firstSync, setFirstSync] = useState<FirstSync | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const headingId = useId();

  // The previous visit is read once, then this visit is recorded for next time.
  useEffect(() => {
    if (recorded.current || preferences === null) return;
    recorded.current = true;
    setLastVisit(preferences.dashboardVisitedAt ?? null);
    void usePreferencesStore.getState().update(client, { dashboardVisitedAt: new Date().toISOString() });
  }, [client, preferences]);

  const zone = migration.timezone;
  const today = calendarDateIn(migration.asOf, zone) ?? migration.asOf.slice(0, 10);
  const yesterday = new Date(Date.parse(`${today}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const since =
    period === 'visit' && typeof lastVisit === 'string' ? lastVisit : startOfDayInZone(yesterday, zone);

  useEffect(() => {
    let live = true;
    const now = new Date().toISOString();
    const overdueBefore = new Date(Date.parse(now) - FIRST_SYNC_OVERDUE_MS).toISOString();
    const count = (filter: RosterFilter) =>
      client.roster
        .query({ filter, sort: { field: 'userId', direction: 'asc' }, offset: 0, limit: 1, now })
        .then((r) => r.total);
    Promise.all([count(PENDING), count({ ...PENDING, connectedBefore: overdueBefore })]).then(
      ([pending, overdue]) => {
        if (live) setFirstSync({ pending, overdue, overdueBefore });
      },
      () => {
        // The table's own query reports the problem.
      },
    );
    Promise.all(
      CHANGES.map(({ status }) =>
        client.roster.query({
          filter: { status: [status], statusChangedSince: since },
          sort: { field: 'userId', direction: 'asc' },
          offset: 0,
          limit: 1,
          now,
        }),
      ),
    )
      .then((results) => {
        if (!live) return;
        const next = {} as Counts;
        CHANGES.forEach(({ status }, k) => {
          const result = results[k]!;
          next[status] = { total: result.total, byRole: result.facets.role };
        });
        setCounts(next);
        setProblem(null);
      })
      .catch((error: unknown) => {
        if (live) setProblem(errorMessage(error));
      });
    return () => {
      live = false;
    };
    // `migration` changes after every dashboard reload (a sync finished): count again then.
  }, [client, since, migration]);

  const sinceText = formatInstant(since, zone) ?? since;
  const cell = (status: ConnectionStatus, role: Role | null, value: number, what: string) => {
    const filter: RosterFilter = {
      status: [status],
      statusChangedSince: since,
      ...(role === null ? {} : { role: [role] }),
    };
    const who = role === null ? 'users' : ROLE_LABEL[role].toLowerCase();
    return <CountLink value={value} filter={filter} description={`${who} ${what} since ${sinceText}`} />;
  };

  return (
    <Card title="What changed" testId="changes">
      <div className={styles.periods} role="group" aria-label="Changes since">
        <ToggleButton
          size="small"
          checked={period === 'yesterday'}
          onClick={() => setPeriod('yesterday')}
          data-testid="changes-since-yesterday"
        >
          Since yesterday
        </ToggleButton>
        <ToggleButton
          size="small"
          checked={period === 'visit'}
          disabled={typeof lastVisit !== 'string'}
          onClick={() => setPeriod('visit')}
          data-testid="changes-since-visit"
        >
          {typeof lastVisit === 'string' ? 'Since your last visit' : 'Since your last visit (first visit)'}
        </ToggleButton>
      </div>
      <p className={styles.muted} id={headingId} data-testid="changes-since">
        Status changes since {sinceText} ({zone}), from the local copy of the roster.
      </p>
      {problem !== null ? (
        <Text role="alert">The changes could not be counted: {problem}</Text>
      ) : counts === null ? (
        <Spinner size="tiny" label="Counting changes…" />
      ) : (
        <table className={styles.table} aria-labelledby={headingId} data-testid="changes-table">
          <thead>
            <tr>
              <th scope="col">Change</th>
              {Role.options.map((role) => (
                <th key={role} scope="col">
                  {ROLE_LABEL[role]}
                </th>
              ))}
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {CHANGES.map(({ status, label, what }) => (
              <tr key={status} data-testid={`changes-${status}`}>
                <th scope="row">{label}</th>
                {Role.options.map((role) => (
                  <td key={role}>{cell(status, role, counts[status].byRole[role], what)}</td>
                ))}
                <td>{cell(status, null, counts[status].total, what)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {firstSync !== null && (
        <p className={styles.muted} data-testid="first-sync">
          First Graph sync not run yet:{' '}
          <CountLink
            value={firstSync.pending}
            filter={PENDING}
            description="migrated users whose first Graph sync has not run"
          />
          , of which more than 30 minutes overdue:{' '}
          <CountLink
            value={firstSync.overdue}
            filter={{ ...PENDING, connectedBefore: firstSync.overdueBefore }}
            description="migrated users whose first Graph sync is more than 30 minutes overdue"
          />
          .
        </p>
      )}
    </Card>
  );
}
