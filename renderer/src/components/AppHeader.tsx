import { Badge, makeStyles, Text, tokens } from '@fluentui/react-components';
import { CalendarSync24Regular } from '@fluentui/react-icons';
import type { DataSource } from '../../../shared/contract/index.ts';
import { AccountMenu } from './auth/AccountMenu.tsx';

const useStyles = makeStyles({
  root: {
    gridArea: 'header',
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    height: '48px',
    paddingInline: tokens.spacingHorizontalL,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  mark: {
    display: 'grid',
    placeItems: 'center',
    width: '32px',
    height: '32px',
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
    fontSize: '20px',
    flexShrink: 0,
  },
  name: { fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold, whiteSpace: 'nowrap' },
  spacer: { flexGrow: 1 },
  version: { color: tokens.colorNeutralForeground3, whiteSpace: 'nowrap' },
});

export interface AppHeaderProps {
  productName: string;
  version: string | null;
  dataSourceKind: DataSource['kind'] | null;
}

/** The banner: product name, and a badge whenever the numbers on screen come from demo data. */
export function AppHeader({ productName, version, dataSourceKind }: AppHeaderProps) {
  const styles = useStyles();
  return (
    <header className={styles.root}>
      <span className={styles.mark} aria-hidden="true">
        <CalendarSync24Regular />
      </span>
      <Text className={styles.name}>{productName}</Text>
      {dataSourceKind === 'demo' && (
        <Badge appearance="filled" color="warning" shape="rounded" data-testid="demo-badge">
          Demo data
        </Badge>
      )}
      <span className={styles.spacer} />
      {version !== null && (
        <Text size={200} className={styles.version}>
          Version {version}
        </Text>
      )}
      <AccountMenu />
    </header>
  );
}
