import { MessageBar, MessageBarBody } from '@fluentui/react-components';
import type { Permission } from '../../../../shared/contract/index.ts';
import { usePermission } from '../../components/auth/auth-store.ts';

/** Says why a form is read-only, instead of leaving the operator with buttons that do nothing. */
export function PermissionNote({ permission }: { permission: Permission }) {
  const check = usePermission(permission);
  if (check.allowed || check.reason === null) return null;
  return (
    <MessageBar intent="info" layout="multiline">
      <MessageBarBody>{check.reason}</MessageBarBody>
    </MessageBar>
  );
}
