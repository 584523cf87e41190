import type { ConnectionStatus, StatusCounts } from '../domain/platform.ts';

/**
 * The one definition of migration progress, used by the dashboard, the forecast and the CLI's
 * `migration` command alike:
 *
 *   re-authorized = migrated + error (on Microsoft Graph; `error` users re-authorized but their
 *                   Graph sync fails, which support fixes; the cut-off will not disconnect them)
 *   still to act  = legacy + reauth_pending (the cut-off disconnects them)
 *   progress      = re-authorized ÷ (re-authorized + still to act)
 *
 * Disconnected, not connected and not affected users are outside the cut-off's scope and counted
 * apart, so users who left never make the percentage look better or worse than it is.
 */
export const REAUTHORIZED: readonly ConnectionStatus[] = ['migrated', 'error'];
export const TO_ACT: readonly ConnectionStatus[] = ['legacy', 'reauth_pending'];

export const PROGRESS_DEFINITION =
  'Re-authorized = migrated + failing on Graph; still to act = on Outlook REST v2.0 or re-authorization pending; ' +
  'progress = re-authorized ÷ (re-authorized + still to act). Disconnected, not connected and not affected users are counted apart.';

export interface Progress {
  /** migrated + error. */
  reauthorized: number;
  migrated: number;
  /** On Graph but failing (part of `reauthorized`). */
  error: number;
  legacy: number;
  reauthPending: number;
  toAct: number;
  /** reauthorized + toAct: the users the cut-off concerns. */
  inScope: number;
  /** 0–1; null when nobody is in scope (no division by zero dressed as 100%). */
  share: number | null;
  disconnected: number;
  notConnected: number;
  notAffected: number;
  total: number;
}

export const reauthorizedOf = (counts: Pick<StatusCounts, 'migrated' | 'error'>): number =>
  counts.migrated + counts.error;
export const toActOf = (counts: Pick<StatusCounts, 'legacy' | 'reauth_pending'>): number =>
  counts.legacy + counts.reauth_pending;

export function progressOf(counts: StatusCounts): Progress {
  const reauthorized = reauthorizedOf(counts);
  const toAct = toActOf(counts);
  const inScope = reauthorized + toAct;
  return {
    reauthorized,
    migrated: counts.migrated,
    error: counts.error,
    legacy: counts.legacy,
    reauthPending: counts.reauth_pending,
    toAct,
    inScope,
    share: inScope === 0 ? null : reauthorized / inScope,
    disconnected: counts.disconnected,
    notConnected: counts.not_connected,
    notAffected: counts.not_affected,
    total: Object.values(counts).reduce((sum, n) => sum + n, 0),
  };
}

/** "82%": floored, so 99.6% never reads as a finished 100%. */
export function formatShare(share: number | null): string {
  if (share === null) return '—';
  return `${Math.floor(share * 100)}%`;
}

/** Every status in words, for people (the CLI prints these, not the codes, unless --json). */
export const STATUS_WORDS: Record<ConnectionStatus, string> = {
  legacy: 'On Outlook REST v2.0 (must re-authorize)',
  reauth_pending: 'Disconnected, re-authorization pending',
  migrated: 'Migrated to Microsoft Graph',
  disconnected: 'Force-disconnected',
  error: 'On Graph but failing',
  not_connected: 'Never connected',
  not_affected: 'Not Office 365 (not affected)',
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const plural = (n: number, word: string): string =>
  `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

export interface Countdown {
  /** "20 days 4 hours left", "3 hours 5 minutes left", "Cut-off passed 2 days ago". */
  text: string;
  tone: 'calm' | 'soon' | 'urgent' | 'past';
}

/**
 * Time left to the cut-off from `now` (epoch ms; the reader's clock, not the platform's `asOf`),
 * in the two largest units that matter. Whole units, rounded down, so the text never promises
 * time that is not there ("0 days 23 hours", not "1 day").
 */
export function formatCountdown(cutoffAt: string, now: number): Countdown {
  const cutoff = Date.parse(cutoffAt);
  if (Number.isNaN(cutoff)) return { text: 'Cut-off time unknown', tone: 'calm' };
  const left = cutoff - now;
  if (left <= 0) {
    const ago = now - cutoff;
    const text =
      ago < HOUR
        ? 'Cut-off passed just now'
        : ago < DAY
          ? `Cut-off passed ${plural(Math.floor(ago / HOUR), 'hour')} ago`
          : `Cut-off passed ${plural(Math.floor(ago / DAY), 'day')} ago`;
    return { text, tone: 'past' };
  }
  const days = Math.floor(left / DAY);
  const hours = Math.floor((left % DAY) / HOUR);
  const minutes = Math.floor((left % HOUR) / MINUTE);
  const text =
    days > 0
      ? `${plural(days, 'day')} ${plural(hours, 'hour')} left`
      : hours > 0
        ? `${plural(hours, 'hour')} ${plural(minutes, 'minute')} left`
        : `${plural(Math.max(minutes, 0), 'minute')} left`;
  const tone = left < 2 * DAY ? 'urgent' : left < 14 * DAY ? 'soon' : 'calm';
  return { text, tone };
}
