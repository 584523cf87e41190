import {
  PREVIEW_LIST_MAX,
  type DisconnectPreview,
  type DisconnectSelection,
  type ExclusionReason,
} from '../../../shared/contract/index.ts';
import { ConsoleError } from '../../../shared/contract/errors.ts';
import type { VerdictLabels } from '../../../shared/contract/roster-query.ts';
import { ConnectionStatus, Role, type Connection } from '../../../shared/domain/platform.ts';
import { referenceRosterQuery } from '../roster/query/reference-roster-query.ts';
import { parseIdList } from './id-list.ts';
import type { DisconnectPlatform } from './platform-port.ts';

/** Fresh state of every connection, indexed by id and by email (case-insensitive). */
export interface FreshRoster {
  byId: Map<string, Connection>;
  byEmail: Map<string, string>;
  readAt: string;
}

export async function readFreshRoster(
  platform: DisconnectPlatform,
  now: () => Date,
  signal?: AbortSignal,
): Promise<FreshRoster> {
  const byId = new Map<string, Connection>();
  const byEmail = new Map<string, string>();
  for await (const page of platform.pages(signal)) {
    for (const connection of page) {
      byId.set(connection.userId, connection);
      byEmail.set(connection.email.toLowerCase(), connection.userId);
    }
  }
  return { byId, byEmail, readAt: now().toISOString() };
}

export interface ResolvedSelection {
  /** Every selected user, in selection order, with fresh state. */
  users: Connection[];
  unknown: string[];
  duplicates: string[];
  /** Number of entries or users named. */
  selected: number;
}

/**
 * Resolves a selection against fresh platform state. Unknown and duplicate entries of a list are
 * reported with their line, never matched loosely (no prefix, no guessing of a mistyped email).
 */
export function resolveSelection(
  selection: DisconnectSelection,
  fresh: FreshRoster,
  now: Date,
  /** The latest verifications, for a filter with `verdict` (the Users view filtered by verdict). */
  verdicts: VerdictLabels | null = null,
): ResolvedSelection {
  const users: Connection[] = [];
  const unknown: string[] = [];
  const duplicates: string[] = [];
  const seen = new Set<string>();
  const take = (userId: string, label: string): void => {
    const connection = fresh.byId.get(userId);
    if (connection === undefined) {
      unknown.push(label);
      return;
    }
    if (seen.has(userId)) {
      duplicates.push(label);
      return;
    }
    seen.add(userId);
    users.push(connection);
  };
  if (selection.kind === 'filter') {
    const except = new Set(selection.exceptIds);
    const rows = [...fresh.byId.values()];
    const result = referenceRosterQuery(
      rows,
      {
        filter: selection.filter,
        sort: { field: 'userId', direction: 'asc' },
        offset: 0,
        limit: Math.max(1, rows.length),
        now: now.toISOString(),
      },
      { verdicts },
    );
    for (const row of result.rows) if (!except.has(row.userId)) take(row.userId, row.userId);
    if (users.length === 0)
      throw new ConsoleError(
        'not_found',
        'The filter matches nobody on the platform right now: there is nobody to disconnect.',
      );
    return { users, unknown, duplicates, selected: users.length };
  }
  if (selection.kind === 'ids') {
    for (const id of selection.userIds) take(id, id);
    return { users, unknown, duplicates, selected: selection.userIds.length };
  }
  const entries = parseIdList(selection.text);
  if (entries.length === 0)
    throw new ConsoleError('bad_input', 'The list is empty: it has no user ids or emails.');
  for (const entry of entries) {
    const label = `line ${entry.line}: ${entry.value.slice(0, 200)}`;
    const userId = entry.kind === 'email' ? fresh.byEmail.get(entry.value.toLowerCase()) : entry.value;
    if (userId === undefined) unknown.push(label);
    else take(userId, label);
  }
  return { users, unknown, duplicates, selected: entries.length };
}

export const EXCLUSION_LABELS: Record<ExclusionReason, string> = {
  disconnected: 'Already disconnected',
  not_connected: 'Never connected calendar sync (not_connected)',
  not_affected: 'Not on Office 365 (not_affected)',
  reauth_pending: 'Disconnected themselves, re-authorization pending (reauth_pending)',
  reauthorized: 'Already on Microsoft Graph',
  reauthorized_since_loaded: 'Re-authorized to Graph since the roster was loaded',
  unknown: 'Not found on the platform',
  duplicate: 'Listed more than once',
};

/** Why a user with this fresh status is not disconnected; null when eligible (still `legacy`). */
export function exclusionOf(
  status: Connection['status'],
): Exclude<ExclusionReason, 'unknown' | 'duplicate' | 'reauthorized_since_loaded'> | null {
  switch (status) {
    case 'legacy':
      return null;
    case 'disconnected':
      return 'disconnected';
    case 'not_connected':
      return 'not_connected';
    case 'not_affected':
      return 'not_affected';
    case 'reauth_pending':
      return 'reauth_pending';
    case 'migrated':
    case 'error':
      return 'reauthorized';
  }
}

export function buildPreview(
  resolved: ResolvedSelection,
  options: {
    readAt: string;
    cutoffAt: string;
    timezone: string;
    now: Date;
    /** The cached status, to tell "re-authorized since the roster was loaded" apart. */
    cachedStatus?: (userId: string) => Connection['status'] | undefined;
  },
): { preview: DisconnectPreview; eligible: Connection[] } {
  const byStatus = Object.fromEntries(ConnectionStatus.options.map((s) => [s, 0])) as Record<
    Connection['status'],
    number
  >;
  const eligibleByRole = Object.fromEntries(Role.options.map((r) => [r, 0])) as Record<
    Connection['role'],
    number
  >;
  const lists = new Map<ExclusionReason, string[]>();
  const add = (reason: ExclusionReason, item: string): void => {
    const list = lists.get(reason) ?? [];
    list.push(item);
    lists.set(reason, list);
  };
  const eligible: Connection[] = [];
  for (const user of resolved.users) {
    byStatus[user.status] += 1;
    let reason: ExclusionReason | null = exclusionOf(user.status);
    if (reason === 'reauthorized' && options.cachedStatus?.(user.userId) === 'legacy')
      reason = 'reauthorized_since_loaded';
    if (reason === null) {
      eligible.push(user);
      eligibleByRole[user.role] += 1;
    } else add(reason, user.userId);
  }
  for (const item of resolved.unknown) add('unknown', item);
  for (const item of resolved.duplicates) add('duplicate', item);
  const cutoffMs = Date.parse(options.cutoffAt);
  const daysLeft = Math.ceil((cutoffMs - options.now.getTime()) / 86_400_000);
  return {
    eligible,
    preview: {
      selected: resolved.selected,
      eligible: eligible.length,
      eligibleByRole,
      byStatus,
      excluded: [...lists].map(([reason, items]) => ({
        reason,
        label: EXCLUSION_LABELS[reason],
        count: items.length,
        items: items.slice(0, PREVIEW_LIST_MAX),
      })),
      readAt: options.readAt,
      cutoffAt: options.cutoffAt,
      timezone: options.timezone,
      daysLeft,
      beforeCutoff: options.now.getTime() < cutoffMs,
    },
  };
}
