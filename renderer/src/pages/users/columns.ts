import type { RosterRow, RosterSortField } from '../../../../shared/contract/index.ts';
import { ERROR_LABEL, PROVIDER_LABEL, ROLE_SINGULAR, STATUS_LABEL } from './labels.ts';

export interface Column {
  id: string;
  label: string;
  /** The roster field a click on the header sorts by; null for columns that cannot sort. */
  sortField: RosterSortField | null;
  /** Narrowest useful width in px; the layout gives each column its content width within the page (column-layout.ts). */
  min: number;
  /** Extra px the cell draws around its text (the status badge's icon and padding). */
  chrome?: number;
  /** Long free text (names, addresses): gives way first when the page is narrow (column-layout.ts). */
  yields?: boolean;
  /** Shown unless the operator hides it (a column hidden by default is offered in the Columns menu). */
  defaultHidden?: boolean;
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
    min: 100,
    yields: true,
    text: (r) => displayName(r),
  },
  { id: 'email', label: 'Email', sortField: 'email', min: 110, yields: true, text: (r) => r.email },
  { id: 'role', label: 'Role', sortField: 'role', min: 64, text: (r) => ROLE_SINGULAR[r.role] },
  {
    id: 'status',
    label: 'Status',
    sortField: 'status',
    min: 96,
    chrome: 34,
    text: (r) => STATUS_LABEL[r.status],
  },
  {
    id: 'provider',
    label: 'Provider',
    sortField: 'provider',
    min: 72,
    // Hidden by default: "Not affected" in Status already says a user is not on Office 365, and the
    // room goes to Email and Last sync at 1024 px. The Columns menu shows it again.
    defaultHidden: true,
    text: (r) => PROVIDER_LABEL[r.provider ?? 'none'],
  },
  {
    id: 'lastSync',
    label: 'Last sync',
    sortField: 'lastSyncAt',
    min: 96,
    text: (r, time) => (r.lastSyncAt === null ? 'Never' : time(r.lastSyncAt)),
  },
  {
    id: 'error',
    label: 'Error',
    sortField: 'lastErrorCode',
    min: 72,
    text: (r) => (r.lastError === null ? '' : ERROR_LABEL[r.lastError.code]),
  },
  {
    id: 'connected',
    label: 'Connected',
    sortField: 'connectedAt',
    min: 96,
    defaultHidden: true,
    text: (r, time) => (r.connectedAt === null ? 'Never' : time(r.connectedAt)),
  },
  {
    id: 'mailbox',
    label: 'Calendar mailbox',
    sortField: 'calendarMailbox',
    min: 110,
    yields: true,
    defaultHidden: true,
    text: (r) => r.calendarMailbox ?? '',
  },
  {
    id: 'userId',
    label: 'User id',
    sortField: 'userId',
    min: 80,
    defaultHidden: true,
    text: (r) => r.userId,
  },
];

export const SELECT_WIDTH = 44;

/**
 * The columns shown, in order, for a remembered list of hidden ones (null: never chosen, so the
 * defaults). Name always shows: a row without a name would be unreadable.
 */
export function visibleColumns(hidden: readonly string[] | null): readonly Column[] {
  return COLUMNS.filter(
    (c) => c.id === 'name' || (hidden === null ? !c.defaultHidden : !hidden.includes(c.id)),
  );
}

/** The hidden list that shows the defaults. */
export const DEFAULT_HIDDEN: readonly string[] = COLUMNS.filter((c) => c.defaultHidden).map((c) => c.id);
