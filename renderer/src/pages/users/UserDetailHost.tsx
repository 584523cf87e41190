import { useCallback, useEffect } from 'react';
import { useClient } from '../../app/client-context.ts';
import { useDashboardStore } from '../../state/dashboard-store.ts';
import { useUserDetailStore } from '../../state/user-detail-store.ts';
import { formatInstant } from '../dashboard/countdown.ts';
import { UserDetail } from './UserDetail.tsx';

/** The user detail opened from anywhere (Ctrl+K), over whatever page is showing. */
export function UserDetailHost() {
  const client = useClient();
  const userId = useUserDetailStore((s) => s.userId);
  const close = useUserDetailStore((s) => s.close);
  const timeZone = useDashboardStore((s) => s.migration?.timezone ?? null);
  useEffect(() => {
    if (userId === null) return;
    const store = useDashboardStore.getState();
    if (store.migration === null && !store.loading) void store.load(client);
  }, [client, userId]);
  const formatTime = useCallback(
    (iso: string) =>
      timeZone === null ? new Date(iso).toLocaleString() : (formatInstant(iso, timeZone) ?? iso),
    [timeZone],
  );
  // Mounted only while open: a closed Fluent drawer still plants focus-trap sentinels in <body>.
  if (userId === null) return null;
  return <UserDetail userId={userId} initial={null} formatTime={formatTime} onClose={close} />;
}
