import { Badge, type BadgeProps } from '@fluentui/react-components';
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

export function StatusBadge({ status }: { status: ConnectionStatus }) {
  return (
    <Badge appearance="tint" shape="rounded" color={COLOR[status]}>
      {STATUS_LABEL[status]}
    </Badge>
  );
}
