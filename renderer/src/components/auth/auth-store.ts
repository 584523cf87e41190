import { create } from 'zustand';
import { AuthStatus, type Permission } from '../../../../shared/contract/index.ts';
import type { ConsoleClient } from '../../api/client.ts';
import { errorMessage } from '../../format/errors.ts';

interface AuthState {
  status: AuthStatus | null;
  /** Why the status could not be read (the host is unreachable), or null. */
  loadError: string | null;
  /** The sign-in dialog; opened by the account menu, and by itself when a session expires. */
  dialogOpen: boolean;
  /**
   * The sign-in failure that was already there when the dialog opened (code|message): the dialog
   * does not show it again. Cleared when the core clears its lastError (a new attempt started).
   */
  seenError: string | null;
  /** How many statuses `apply` has taken in (events and loads): a call's reply compares it (`applyReply`). */
  applied: number;
  load(client: ConsoleClient): Promise<void>;
  /** Applies an `auth.changed` event; false (and no change) for a malformed payload. */
  apply(payload: unknown): boolean;
  /**
   * Applies a call's reply (sign-in, cancel) unless an event arrived since the call was made
   * (`appliedBefore`, the `applied` count then). Replies and events travel apart, so a reply can land
   * after a newer event (the device code, the sign-in page's address) and would hide it for good;
   * every change the reply could carry also comes as an event.
   */
  applyReply(payload: unknown, appliedBefore: number): boolean;
  setDialogOpen(open: boolean): void;
}

/** Identifies a status's lastError, or null. */
export const errorKey = (status: AuthStatus | null): string | null =>
  status?.lastError ? `${status.lastError.code}|${status.lastError.message}` : null;

export const useAuthStore = create<AuthState>()((set, get) => ({
  status: null,
  loadError: null,
  dialogOpen: false,
  seenError: null,
  applied: 0,
  load: async (client) => {
    try {
      get().apply(await client.auth.status({}));
      set({ loadError: null });
    } catch (error) {
      set({ loadError: errorMessage(error) });
    }
  },
  apply: (payload) => {
    const parsed = AuthStatus.safeParse(payload);
    if (!parsed.success) return false;
    const before = get().status;
    // A session that just ran out asks to sign in again over the current page: nothing on it is lost.
    const expiredNow = parsed.data.state === 'expired' && before !== null && before.state === 'signed-in';
    set({
      status: parsed.data,
      applied: get().applied + 1,
      ...(expiredNow ? { dialogOpen: true } : {}),
      ...(parsed.data.lastError === null ? { seenError: null } : {}),
    });
    return true;
  },
  applyReply: (payload, appliedBefore) => {
    if (get().applied !== appliedBefore) return false;
    return get().apply(payload);
  },
  setDialogOpen: (open) =>
    set(
      open && !get().dialogOpen
        ? { dialogOpen: true, seenError: errorKey(get().status) }
        : { dialogOpen: open },
    ),
}));

export const ROLE_LABEL = { director: 'Director', support: 'Support', viewer: 'Read-only' } as const;

const PERMISSION_LABEL: Record<Permission, string> = {
  read: 'look at the console',
  export: 'export personal data (names and emails)',
  'change-shared': 'change shared state (saved views, full syncs)',
  'act-one': 'act on one user (resync, magic link, verify)',
  'force-disconnect': 'force-disconnect a user',
  bulk: 'act on many users at once',
  send: 'send announcements',
  compose: 'draft and export announcements',
  settings: 'change the console’s settings',
  'sign-in-setup': 'change the sign-in configuration',
};

export interface PermissionCheck {
  allowed: boolean;
  /** Why not, in words for the operator (shown beside a disabled control), or null. */
  reason: string | null;
}

/** Whether the operator may do something, and if not, why: the UI explains instead of showing a dead button. */
export function checkPermission(status: AuthStatus | null, permission: Permission): PermissionCheck {
  if (status === null) return { allowed: false, reason: 'Checking who is signed in…' };
  if (status.permissions.includes(permission)) return { allowed: true, reason: null };
  const what = PERMISSION_LABEL[permission];
  if (status.role === 'viewer') {
    return {
      allowed: false,
      reason:
        status.state === 'signed-in'
          ? `Your account has no console role, so you cannot ${what}. Ask an administrator to assign you Migration.Director or Migration.Support.`
          : `Sign in to ${what}.`,
    };
  }
  return {
    allowed: false,
    reason: `Your role (${ROLE_LABEL[status.role]}) cannot ${what}. Ask a director.`,
  };
}

export function usePermission(permission: Permission): PermissionCheck {
  const status = useAuthStore((s) => s.status);
  return checkPermission(status, permission);
}
