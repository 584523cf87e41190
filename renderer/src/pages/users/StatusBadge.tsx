import { Badge, makeStyles, type BadgeProps } from '@fluentui/react-components';
import type { ConnectionStatus } from '../../../../shared/domain/platform.ts';
import { STATUS_LABEL } from './labels.ts';

const COLOR: Record<ConnectionStatus, BadgeProps['color']> = {
  legacy: 'warning',
  reauth_pending: 'brand',
  migrated: 'success',
  disconnected: 'danger',
  error: 'danger',
  not_connected: 'subtle',
  not_affected: 'informative',
};

// A narrow column cuts the label with an ellipsis inside the badge, never past the cell's edge.
const useStyles = makeStyles({
  badge: { maxWidth: '100%', minWidth: 0 },
  label: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
});

export function StatusBadge({ status }: { status: ConnectionStatus }) {
  const styles = useStyles();
  return (
    <Badge appearance="tint" shape="rounded" color={COLOR[status]} className={styles.badge}>
      <span className={styles.label}>{STATUS_LABEL[status]}</span>
    </Badge>
  );
}
