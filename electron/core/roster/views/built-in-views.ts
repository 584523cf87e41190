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
    // The filter language cannot compare two columns of a row (last sync before connectedAt), so
    // this lists migrated users with the stalest last sync first: those whose first Graph sync is
    // still pending carry their last legacy sync, older than any Graph sync, and come out on top.
    id: `${BUILT_IN_PREFIX}first-graph-sync-pending`,
    name: 'First Graph sync pending',
    filter: { status: ['migrated'] },
    sort: { field: 'lastSyncAt', direction: 'asc' },
    builtIn: true,
  },
];
