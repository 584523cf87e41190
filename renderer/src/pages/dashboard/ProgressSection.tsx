import { makeStyles, Text, tokens } from '@fluentui/react-components';
import { useId } from 'react';
import { Role, type StatusCounts } from '../../../../shared/domain/platform.ts';
import type { Migration } from '../../../../shared/domain/platform.ts';
import type { RosterFilter } from '../../../../shared/contract/index.ts';
import { Card } from './Card.tsx';
import { CountLink } from './CountLink.tsx';
import {
  formatCount,
  formatShare,
  progressOf,
  PROGRESS_DEFINITION,
  REAUTHORIZED,
  ROLE_LABEL,
  TO_ACT,
  type Progress,
} from './progress.ts';

/** Griffel selector for the console's own high-contrast theme, whose tokens collapse to few colours. */
const HC = ':global(html[data-theme="high-contrast"])';

const useStyles = makeStyles({
  overall: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalXXL}`,
  },
  share: { display: 'flex', flexDirection: 'column' },
  shareValue: {
    fontSize: tokens.fontSizeHero800,
    lineHeight: tokens.lineHeightHero800,
    fontWeight: tokens.fontWeightSemibold,
  },
  muted: { color: tokens.colorNeutralForeground2 },
  stats: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalXXL}`,
    margin: 0,
  },
  stat: { display: 'flex', flexDirection: 'column', margin: 0 },
  statLabel: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200, margin: 0 },
  statValue: {
    fontSize: tokens.fontSizeBase500,
    lineHeight: tokens.lineHeightBase500,
    fontWeight: tokens.fontWeightSemibold,
    margin: 0,
  },
  bar: {
    width: '100%',
    height: '12px',
    display: 'block',
    outline: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    '@media (forced-colors: active)': { outline: '1px solid CanvasText', forcedColorAdjust: 'none' },
  },
  migrated: {
    fill: tokens.colorBrandBackground,
    [HC]: { fill: '#1aebff' },
    '@media (forced-colors: active)': { fill: 'Highlight' },
  },
  failing: {
    fill: tokens.colorStatusDangerBackground3,
    [HC]: { fill: '#ffff00' },
    '@media (forced-colors: active)': { fill: 'LinkText' },
  },
  pending: {
    fill: tokens.colorPaletteMarigoldBorderActive,
    [HC]: { fill: '#3ff23f' },
    '@media (forced-colors: active)': { fill: 'GrayText' },
  },
  legacy: {
    fill: tokens.colorNeutralBackground5,
    [HC]: { fill: '#000000' },
    '@media (forced-colors: active)': { fill: 'Canvas' },
  },
  apart: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalXL}`,
    color: tokens.colorNeutralForeground2,
  },
  table: {
    width: '100%',
    borderCollapse: 'collapse',
    fontVariantNumeric: 'tabular-nums',
    '& th, & td': {
      padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalXS}`,
      borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
      textAlign: 'end',
      whiteSpace: 'nowrap',
    },
    // Headers may wrap onto two lines so every column fits a 1024 px window without scrolling.
    '& thead th': {
      whiteSpace: 'normal',
      verticalAlign: 'bottom',
      color: tokens.colorNeutralForeground2,
      fontWeight: tokens.fontWeightSemibold,
      fontSize: tokens.fontSizeBase200,
    },
    '& th[scope=row]': { textAlign: 'start', fontWeight: tokens.fontWeightSemibold },
    '& thead th:first-child': { textAlign: 'start' },
  },
  tableWrap: { overflowX: 'auto' },
  definition: {
    color: tokens.colorNeutralForeground2,
    fontSize: tokens.fontSizeBase200,
    margin: 0,
  },
});

/**
 * Re-authorized (migrated, then failing) | re-authorization pending | legacy as one bar; drawn in
 * SVG so widths need no inline style. Each part has its own fill and a separating stroke, and in
 * forced colours the parts use distinct system colours, so they never look alike.
 */
function StackedBar({ progress }: { progress: Progress }) {
  const styles = useStyles();
  if (progress.inScope === 0) return null;
  const w = (n: number) => (n / progress.inScope) * 100;
  const parts = [
    { key: 'migrated', value: progress.migrated, className: styles.migrated },
    { key: 'error', value: progress.error, className: styles.failing },
    { key: 'pending', value: progress.reauthPending, className: styles.pending },
    { key: 'legacy', value: progress.legacy, className: styles.legacy },
  ];
  let x = 0;
  return (
    <svg
      className={styles.bar}
      viewBox="0 0 100 10"
      preserveAspectRatio="none"
      aria-hidden="true"
      data-testid="progress-bar"
    >
      {parts.map((part) => {
        const at = x;
        x += w(part.value);
        return (
          <rect
            key={part.key}
            className={part.className}
            data-part={part.key}
            x={at}
            y={0}
            width={w(part.value)}
            height={10}
          />
        );
      })}
    </svg>
  );
}

function Stat({ label, children }: { label: string; children: React.ReactNode }) {
  const styles = useStyles();
  return (
    <div className={styles.stat}>
      <dt className={styles.statLabel}>{label}</dt>
      <dd className={styles.statValue}>{children}</dd>
    </div>
  );
}

const withRole = (filter: RosterFilter, role: Role | null): RosterFilter =>
  role === null ? filter : { ...filter, role: [role] };

/** Overall progress: the share moved, the stacked bar, and every count as a link to those users. */
function Overall({ progress }: { progress: Progress }) {
  const styles = useStyles();
  return (
    <>
      <div className={styles.overall}>
        <div className={styles.share}>
          <span className={styles.shareValue} data-testid="overall-share">
            {formatShare(progress.share)}
          </span>
          <Text className={styles.muted}>re-authorized (on Microsoft Graph)</Text>
        </div>
        <dl className={styles.stats}>
          <Stat label="Re-authorized">
            <CountLink
              value={progress.reauthorized}
              filter={{ status: [...REAUTHORIZED] }}
              description="users re-authorized (migrated or failing on Graph)"
            />
          </Stat>
          <Stat label="Still to act">
            <CountLink
              value={progress.toAct}
              filter={{ status: [...TO_ACT] }}
              description="users still to act"
            />
          </Stat>
          <Stat label="On Outlook REST v2.0">
            <CountLink
              value={progress.legacy}
              filter={{ status: ['legacy'] }}
              description="users still on the legacy API"
            />
          </Stat>
          <Stat label="Re-authorization pending">
            <CountLink
              value={progress.reauthPending}
              filter={{ status: ['reauth_pending'] }}
              description="users with re-authorization pending"
            />
          </Stat>
        </dl>
      </div>
      <StackedBar progress={progress} />
      <div className={styles.apart}>
        <Text>
          Of the re-authorized, migrated:{' '}
          <CountLink
            value={progress.migrated}
            filter={{ status: ['migrated'] }}
            description="users migrated"
          />
        </Text>
        <Text>
          Failing on Graph:{' '}
          <CountLink
            value={progress.error}
            filter={{ status: ['error'] }}
            description="users whose Graph connection fails"
          />
        </Text>
        <Text>
          Disconnected:{' '}
          <CountLink
            value={progress.disconnected}
            filter={{ status: ['disconnected'] }}
            description="users disconnected"
          />
        </Text>
        <Text>
          Not connected:{' '}
          <CountLink
            value={progress.notConnected}
            filter={{ status: ['not_connected'] }}
            description="users not connected"
          />
        </Text>
        <Text>
          Not affected:{' '}
          <CountLink
            value={progress.notAffected}
            filter={{ status: ['not_affected'] }}
            description="users not affected"
          />
        </Text>
        <Text>
          All users: <CountLink value={progress.total} filter={{}} description="users in the roster" />
        </Text>
      </div>
    </>
  );
}

function RoleRow({ role, counts }: { role: Role; counts: StatusCounts }) {
  const p = progressOf(counts);
  const label = ROLE_LABEL[role].toLowerCase();
  const cell = (value: number, filter: RosterFilter, what: string) => (
    <td>
      <CountLink value={value} filter={withRole(filter, role)} description={`${label} ${what}`} />
    </td>
  );
  return (
    <tr data-testid={`role-${role}`}>
      <th scope="row">{ROLE_LABEL[role]}</th>
      <td>{formatShare(p.share)}</td>
      {cell(p.reauthorized, { status: [...REAUTHORIZED] }, 're-authorized')}
      {cell(p.toAct, { status: [...TO_ACT] }, 'still to act')}
      {cell(p.error, { status: ['error'] }, 'failing on Graph')}
      {cell(p.disconnected, { status: ['disconnected'] }, 'disconnected')}
      {cell(p.notConnected, { status: ['not_connected'] }, 'not connected')}
      {cell(p.notAffected, { status: ['not_affected'] }, 'not affected')}
      {cell(p.total, {}, 'in total')}
    </tr>
  );
}

export function ProgressSection({ migration }: { migration: Migration }) {
  const styles = useStyles();
  const overall = progressOf(migration.counts.byStatus);
  const definitionId = useId();
  return (
    <Card
      title="Re-authorization progress"
      testId="progress"
      aside={
        <Text size={200} className={styles.muted}>
          {formatCount(migration.counts.total)} users
        </Text>
      }
    >
      <Overall progress={overall} />
      <div className={styles.tableWrap}>
        <table
          className={styles.table}
          data-testid="role-table"
          aria-label="Progress by role"
          aria-describedby={definitionId}
        >
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Progress</th>
              <th scope="col">Re-authorized</th>
              <th scope="col">Still to act</th>
              <th scope="col">Failing</th>
              <th scope="col">Disconn&shy;ected</th>
              <th scope="col">Not connected</th>
              <th scope="col">Not affected</th>
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {Role.options.map((role) => (
              <RoleRow key={role} role={role} counts={migration.counts.byRole[role]} />
            ))}
          </tbody>
        </table>
      </div>
      <p id={definitionId} className={styles.definition} data-testid="progress-definition">
        {PROGRESS_DEFINITION}
      </p>
    </Card>
  );
}
