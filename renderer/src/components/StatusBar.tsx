import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import {
  CheckmarkCircle12Filled,
  Circle12Filled,
  ErrorCircle12Filled,
  Warning12Filled,
} from '@fluentui/react-icons';
import type { DataSource } from '../../../shared/contract/index.ts';
import { formatFreshness, formatTimestamp } from '../format/freshness.ts';
import { STATE_LABEL, STATE_TONE, type StateTone } from './data-source-text.ts';
import { useNow } from './use-now.ts';
import { useVisuallyHiddenStyles } from './visually-hidden.ts';

const useStyles = makeStyles({
  root: {
    gridArea: 'status',
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    minHeight: '28px',
    paddingInline: tokens.spacingHorizontalL,
    fontSize: tokens.fontSizeBase200,
    lineHeight: tokens.lineHeightBase200,
    color: tokens.colorNeutralForeground2,
    backgroundColor: tokens.colorNeutralBackground1,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  status: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    minWidth: 0,
    flexWrap: 'wrap',
  },
  state: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    fontWeight: tokens.fontWeightSemibold,
  },
  success: { color: tokens.colorStatusSuccessForeground1 },
  warning: { color: tokens.colorStatusWarningForeground1 },
  danger: { color: tokens.colorStatusDangerForeground1 },
  informative: { color: tokens.colorNeutralForeground2 },
  sep: { color: tokens.colorNeutralForeground3 },
  detail: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', minWidth: 0 },
});

const STATE_ICON: Record<StateTone, typeof Circle12Filled> = {
  success: CheckmarkCircle12Filled,
  warning: Warning12Filled,
  danger: ErrorCircle12Filled,
  informative: Circle12Filled,
};

export interface StatusBarProps {
  dataSource: DataSource | null;
  /** Why there is no data source information, when the host could not be asked. */
  problem: string | null;
}

/**
 * The window's bottom line: which data the console is showing and how fresh it is. It is a polite
 * live region, so a screen reader hears "Offline" or a new refresh without leaving the page.
 */
export function StatusBar({ dataSource, problem }: StatusBarProps) {
  const styles = useStyles();
  const hidden = useVisuallyHiddenStyles();
  const now = useNow(30_000);

  let content;
  if (dataSource === null) {
    content = (
      <span>{problem === null ? 'Checking the data source…' : `Data source unknown: ${problem}`}</span>
    );
  } else {
    const tone = STATE_TONE[dataSource.state];
    const Icon = STATE_ICON[tone];
    const absolute = dataSource.lastRefreshedAt === null ? null : formatTimestamp(dataSource.lastRefreshedAt);
    content = (
      <>
        <span>
          <span className={hidden.root}>Data source: </span>
          {dataSource.label}
        </span>
        <span className={mergeClasses(styles.state, styles[tone])}>
          <Icon aria-hidden="true" />
          {STATE_LABEL[dataSource.state]}
        </span>
        <span className={styles.sep} aria-hidden="true">
          ·
        </span>
        {/* The relative text changes every minute on its own; screen readers get the fixed time
            instead, so the live region speaks only when the data source really changes. */}
        <span aria-hidden={absolute !== null} title={absolute ?? undefined} data-testid="freshness">
          {formatFreshness(dataSource.lastRefreshedAt, now)}
        </span>
        {absolute !== null && <span className={hidden.root}>last refreshed {absolute}</span>}
        {dataSource.detail !== null && (
          <>
            <span className={styles.sep} aria-hidden="true">
              ·
            </span>
            <span className={styles.detail} title={dataSource.detail}>
              {dataSource.detail}
            </span>
          </>
        )}
      </>
    );
  }

  return (
    <footer className={styles.root}>
      <div role="status" aria-live="polite" className={styles.status} data-testid="status-bar">
        {content}
      </div>
    </footer>
  );
}
