import { makeStyles, Text, tokens } from '@fluentui/react-components';
import { STATE_LABEL } from '../../components/data-source-text.ts';
import { formatTimestamp } from '../../format/freshness.ts';
import { useAppInfoStore } from '../../state/app-info-store.ts';

const useStyles = makeStyles({
  list: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: tokens.spacingHorizontalXXL,
    rowGap: tokens.spacingVerticalS,
    margin: 0,
  },
  row: { display: 'contents' },
  term: { color: tokens.colorNeutralForeground2 },
  value: { margin: 0, overflowWrap: 'anywhere' },
});

const HOST_LABEL = {
  electron: 'Desktop app',
  browser: 'Browser (local console host)',
  cli: 'Command line',
} as const;
const KIND_LABEL = { demo: 'Demo sandbox', platform: 'Career platform', none: 'None configured' } as const;

/** Facts from the running host, for a support person reading them out on a call. */
export function AboutConsole() {
  const styles = useStyles();
  const info = useAppInfoStore((s) => s.info);
  const dataSource = useAppInfoStore((s) => s.dataSource);
  const status = useAppInfoStore((s) => s.status);
  if (info === null) {
    return (
      <Text>
        {status === 'error' ? 'The console host did not say what it is running.' : 'Asking the console host…'}
      </Text>
    );
  }
  const refreshed = dataSource?.lastRefreshedAt ? formatTimestamp(dataSource.lastRefreshedAt) : null;
  const rows: [string, string][] = [
    ['Product', info.productName],
    ['Version', info.version],
    ['Running as', HOST_LABEL[info.host]],
  ];
  if (dataSource) {
    rows.push(
      [
        'Data source',
        // The demo's label already says "Demo sandbox (12,000 users)"; say the kind only when it adds something.
        dataSource.label.startsWith(KIND_LABEL[dataSource.kind])
          ? dataSource.label
          : `${dataSource.label} (${KIND_LABEL[dataSource.kind]})`,
      ],
      ['State', STATE_LABEL[dataSource.state] + (dataSource.detail ? `: ${dataSource.detail}` : '')],
      ['Last refresh', refreshed ?? 'Never'],
    );
  }
  return (
    <dl className={styles.list}>
      {rows.map(([term, value]) => (
        <div key={term} className={styles.row}>
          <dt className={styles.term}>{term}</dt>
          <dd className={styles.value}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
