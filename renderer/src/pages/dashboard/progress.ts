import type { ConnectionStatus, Role, StatusCounts } from '../../../../shared/domain/platform.ts';

/**
 * The dashboard's one definition of progress, shown next to every percentage:
 *   moved = migrated ÷ (migrated + still to act), where still to act = legacy + reauth_pending.
 * Users in error (on Graph but failing), disconnected, not connected and not affected are
 * counted apart: they are not part of the denominator, so a failing or departed user never
 * makes the percentage look better or worse than the re-authorizations really are.
 */
export const TO_ACT: readonly ConnectionStatus[] = ['legacy', 'reauth_pending'];

export interface Progress {
  migrated: number;
  legacy: number;
  reauthPending: number;
  toAct: number;
  /** migrated + toAct: the users the cut-off concerns. */
  inScope: number;
  /** 0–1; null when nobody is in scope (no division by zero dressed as 100%). */
  share: number | null;
  error: number;
  disconnected: number;
  notConnected: number;
  notAffected: number;
  total: number;
}

export function progressOf(counts: StatusCounts): Progress {
  const migrated = counts.migrated;
  const toAct = counts.legacy + counts.reauth_pending;
  const inScope = migrated + toAct;
  return {
    migrated,
    legacy: counts.legacy,
    reauthPending: counts.reauth_pending,
    toAct,
    inScope,
    share: inScope === 0 ? null : migrated / inScope,
    error: counts.error,
    disconnected: counts.disconnected,
    notConnected: counts.not_connected,
    notAffected: counts.not_affected,
    total: Object.values(counts).reduce((sum, n) => sum + n, 0),
  };
}

/** "82%" — floored, so 99.6% never reads as a finished 100%. */
export function formatShare(share: number | null): string {
  if (share === null) return '—';
  return `${Math.floor(share * 100)}%`;
}

export const ROLE_LABEL: Record<Role, string> = {
  student: 'Students',
  alumni: 'Alumni',
  career_center: 'Career center',
};

export const formatCount = (n: number): string => n.toLocaleString('en-US');
