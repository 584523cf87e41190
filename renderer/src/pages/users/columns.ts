import type { RosterRow, RosterSortField } from '../../../../shared/contract/index.ts';
import { ERROR_LABEL, PROVIDER_LABEL, ROLE_SINGULAR, STATUS_LABEL } from './labels.ts';

export interface Column {
  id: string;
  label: string;
  /** The roster field a click on the header sorts by; null for columns that cannot sort. */
  sortField: RosterSortField | null;
  /** CSS grid track. */
  track: string;
  text(row: RosterRow, formatTime: (iso: string) => string): string;
}

export function displayName(row: Pick<RosterRow, 'firstName' | 'lastName' | 'preferredName'>): string {
  const last = row.lastName.trim();
  const first = row.firstName.trim();
  const base = last && first ? `${last}, ${first}` : last || first || '(no name)';
  const preferred = row.preferredName?.trim();
  return preferred && preferred !== first ? `${base} (${preferred})` : base;
}

/** The Users table's columns after the selection column, in display order. */
export const COLUMNS: readonly Column[] = [
  {
    id: 'name',
    label: 'Name',
    sortField: 'lastName',
    track: 'minmax(130px, 1.1fr)',
    text: (r) => displayName(r),
  },
  { id: 'email', label: 'Email', sortField: 'email', track: 'minmax(150px, 1.3fr)', text: (r) => r.email },
  { id: 'role', label: 'Role', sortField: 'role', track: '100px', text: (r) => ROLE_SINGULAR[r.role] },
  { id: 'status', label: 'Status', sortField: 'status', track: '172px', text: (r) => STATUS_LABEL[r.status] },
  {
    id: 'provider',
    label: 'Provider',
    sortField: 'provider',
    track: '96px',
    text: (r) => PROVIDER_LABEL[r.provider ?? 'none'],
  },
  {
    id: 'lastSync',
    label: 'Last sync',
    sortField: 'lastSyncAt',
    track: '150px',
    text: (r, time) => (r.lastSyncAt === null ? 'Never' : time(r.lastSyncAt)),
  },
  {
    id: 'error',
    label: 'Error',
    sortField: 'lastErrorCode',
    track: '132px',
    text: (r) => (r.lastError === null ? '' : ERROR_LABEL[r.lastError.code]),
  },
];

export const SELECT_TRACK = '44px';
export const GRID_TEMPLATE = [SELECT_TRACK, ...COLUMNS.map((c) => c.track)].join(' ');
