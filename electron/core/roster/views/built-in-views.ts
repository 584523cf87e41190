import type { SavedView } from '../../../../shared/contract/views.ts';

/** Ids of built-in views carry this prefix; saved views never do, so the two cannot collide. */
export const BUILT_IN_PREFIX = 'builtin:';

/** Views that ship with the console: the questions a career center asks most often. */
export const BUILT_IN_VIEWS: readonly SavedView[] = [
  {
    id: `${BUILT_IN_PREFIX}students-not-migrated`,
    name: 'Students not yet migrated',
    filter: { role: ['student'], status: ['legacy', 'reauth_pending'] },
    sort: { field: 'lastName', direction: 'asc' },
    builtIn: true,
  },
  {
    id: `${BUILT_IN_PREFIX}errors`,
    name: 'Errors',
    filter: { status: ['error'] },
    sort: { field: 'lastErrorAt', direction: 'desc' },
    builtIn: true,
  },
  {
    id: `${BUILT_IN_PREFIX}force-disconnected`,
    name: 'Force-disconnected',
    filter: { status: ['disconnected'] },
    sort: { field: 'statusChangedAt', direction: 'desc' },
    builtIn: true,
  },
  {
    // Migrated, and no sync since the connection: the first Graph sync has not run. Longest
    // waiting first, so the overdue ones (connected more than ~30 minutes ago) lead the list.
    id: `${BUILT_IN_PREFIX}first-graph-sync-pending`,
    name: 'First Graph sync pending',
    filter: { status: ['migrated'], lastSyncBefore: 'connectedAt' },
    sort: { field: 'connectedAt', direction: 'asc' },
    builtIn: true,
  },
];
