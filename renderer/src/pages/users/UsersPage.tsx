import {
  Button,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  SearchBox,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { ArrowDownload20Regular, DismissCircle20Regular } from '@fluentui/react-icons';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type {
  DisconnectSelection,
  RosterFilter,
  RosterRow,
  UsersColumnsPreference,
  VerifySelection,
} from '../../../../shared/contract/index.ts';
import { useClient } from '../../app/client-context.ts';
import { usePermission } from '../../components/auth/auth-store.ts';
import { ForceDisconnectDialog } from '../jobs/ForceDisconnectDialog.tsx';
import { errorMessage } from '../../format/errors.ts';
import { useAppInfoStore } from '../../state/app-info-store.ts';
import { useDashboardStore } from '../../state/dashboard-store.ts';
import { useNoticesStore } from '../../state/notices-store.ts';
import {
  EMPTY_SELECTION,
  isSelected,
  rangeBounds,
  reconcile,
  selectAllMatching,
  selectedCount,
  selectOnly,
  selectRange,
  toggle,
  type Selection,
} from '../../state/roster-selection.ts';
import { DEFAULT_SORT, formatUsersQuery, type UsersViewState } from '../../state/roster-url.ts';
import { browserTimeZone, formatCompactInstant, formatInstantForOperator } from '../dashboard/countdown.ts';
import { formatCount } from '../dashboard/progress.ts';
import { SyncHealth } from '../dashboard/SyncHealth.tsx';
import { downloadText } from './download.ts';
import { FacetMenus } from './FacetMenus.tsx';
import { RosterGrid, type CheckState } from './RosterGrid.tsx';
import { RowSource } from './row-source.ts';
import { SavedViews } from './SavedViews.tsx';
import { SelectionBar } from './SelectionBar.tsx';
import { ColumnsMenu } from './ColumnsMenu.tsx';
import { COLUMNS, DEFAULT_HIDDEN, visibleColumns } from './columns.ts';
import { usePreferencesStore } from '../../state/preferences-store.ts';
import { VerificationResults } from './VerificationResults.tsx';
import { VerifyUsersDialog } from './VerifyUsersDialog.tsx';
import { useUsersView } from './use-users-view.ts';
import { UserDetail } from './UserDetail.tsx';

const SEARCH_DEBOUNCE_MS = 250;
const VERDICT_REFRESH_MS = 3000;

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  toolbar: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  search: { minWidth: '260px', flexGrow: 1, maxWidth: '360px' },
  spacer: { flexGrow: 1 },
  summary: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    minHeight: '32px',
  },
  muted: { color: tokens.colorNeutralForeground2 },
  gridBox: { height: 'max(360px, calc(100vh - 360px))' },
});

/** The platform's zone for readable times; asked once if the dashboard has not already. */
function usePlatformTimeZone(): string | null {
  const client = useClient();
  const migration = useDashboardStore((s) => s.migration);
  useEffect(() => {
    const store = useDashboardStore.getState();
    if (store.migration === null && !store.loading) void store.load(client);
  }, [client]);
  return migration?.timezone ?? null;
}

function useRowSource(view: UsersViewState, generation: number): RowSource {
  const client = useClient();
  const key = formatUsersQuery(view);
  // One source per query; the instant sync-age buckets count from is fixed with it, so every
  // window of one query agrees with the others.
  const source = useMemo(() => {
    const now = new Date().toISOString();
    return new RowSource({
      fetchWindow: (offset, limit) =>
        client.roster.query({ filter: view.filter, sort: view.sort, offset, limit, now }),
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the key stands for view; generation forces a fresh source.
  }, [client, key, generation]);
  useEffect(() => () => source.dispose(), [source]);
  return source;
}

const filterKeyOf = (filter: RosterFilter): string => formatUsersQuery({ filter, sort: DEFAULT_SORT });

function SearchField({ value, onSearch }: { value: string; onSearch(q: string): void }) {
  const styles = useStyles();
  const [text, setText] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // A link or a saved view changed the search: show it (adjusted while rendering, not in an effect).
  const [shownValue, setShownValue] = useState(value);
  if (shownValue !== value) {
    setShownValue(value);
    setText(value);
  }
  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );
  return (
    <SearchBox
      className={styles.search}
      aria-label="Search users by name, email or user id"
      placeholder="Search name, email or user id"
      value={text}
      maxLength={200}
      onChange={(_e, data) => {
        setText(data.value);
        if (timer.current !== null) clearTimeout(timer.current);
        timer.current = setTimeout(() => onSearch(data.value), SEARCH_DEBOUNCE_MS);
      }}
    />
  );
}

export function UsersPage() {
  const styles = useStyles();
  const client = useClient();
  const [view, setView] = useUsersView();
  const [generation, setGeneration] = useState(0);
  const source = useRowSource(view, generation);
  const snapshot = useSyncExternalStore(source.subscribe, source.getSnapshot);
  const [picked, setSelection] = useState<Selection>(EMPTY_SELECTION);
  const [openRow, setOpenRow] = useState<RosterRow | null>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const [exporting, setExporting] = useState(false);
  const [disconnecting, setDisconnecting] = useState<DisconnectSelection | null>(null);
  const [verifying, setVerifying] = useState<VerifySelection | null>(null);
  const bulk = usePermission('bulk');
  // Signed out on a real platform, personal data stays in the console: say so on the button.
  const mayExport = usePermission('export');
  const timeZone = usePlatformTimeZone();
  const savedColumns = usePreferencesStore((s) => s.preferences?.usersColumns);
  const columnPrefs: UsersColumnsPreference = savedColumns ?? { hidden: [...DEFAULT_HIDDEN], widths: {} };
  const columns = visibleColumns(savedColumns === undefined ? null : savedColumns.hidden);
  const saveColumns = (next: UsersColumnsPreference) => {
    void usePreferencesStore
      .getState()
      .update(client, { usersColumns: next })
      .then((result) => {
        if (!result.ok)
          push({
            key: 'users-columns',
            intent: 'warning',
            title: 'Columns not remembered',
            message: result.message,
          });
      });
  };
  const push = useNoticesStore((s) => s.push);
  const filterKey = filterKeyOf(view.filter);
  // While a new query counts, the grid keeps the last total so it does not flash empty (its rows
  // show as loading until they arrive).
  const [knownTotal, setKnownTotal] = useState(0);
  if (snapshot.total !== null && snapshot.total !== knownTotal) setKnownTotal(snapshot.total);
  const total = snapshot.total ?? knownTotal;

  // Rows changed in the cache (a sync): ask for what is on screen again.
  useEffect(() => client.subscribe('roster.changed', () => source.invalidate()), [client, source]);

  // A verification job settles users: the Verification facet's counts (and a verdict filter) follow,
  // at most every few seconds while it runs and once when it stops.
  useEffect(() => {
    let last = 0;
    return client.subscribe('jobs.progress', (job) => {
      if (job.kind !== 'verify') return;
      const now = Date.now();
      if (job.state === 'running' && now - last < VERDICT_REFRESH_MS) return;
      last = now;
      source.invalidate();
    });
  }, [client, source]);

  // "All matching" follows the live total and is dropped when the filter changes.
  const selection =
    snapshot.total === null && picked.kind === 'matching'
      ? picked
      : reconcile(picked, picked.kind === 'matching' ? filterKeyOf(picked.filter) : '', filterKey, total);

  // Times read in the platform's zone (as users and the cut-off do); the table uses the short form,
  // without this year's number (the detail panel has the whole instant).
  const formatTime = useCallback(
    (iso: string) => {
      if (timeZone === null) return new Date(iso).toLocaleString();
      const compact = formatCompactInstant(iso, timeZone) ?? iso;
      const thisYear = ` ${new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' }).format(Date.now())},`;
      return compact.replace(thisYear, ',');
    },
    [timeZone],
  );
  // The detail panel follows the console's one rule: the platform's zone, and the operator's when it differs.
  const formatTimeFull = useCallback(
    (iso: string) =>
      timeZone === null
        ? new Date(iso).toLocaleString()
        : formatInstantForOperator(iso, timeZone, browserTimeZone()),
    [timeZone],
  );

  const onRowSelect = (index: number, row: RosterRow, how: 'only' | 'toggle' | 'range' | 'range-add') => {
    // Opening one user's detail never changes or drops a selection of several users.
    if (how === 'only')
      return selectedCount(selection) > 1 ? undefined : setSelection(selectOnly(row.userId, index));
    if (how === 'toggle') return setSelection((s) => toggle(s, row.userId, index));
    const [from, to] = rangeBounds(selection.anchor, index);
    source.idsInRange(from, to).then(
      (ids) =>
        setSelection((s) =>
          selectRange(s.anchor === null ? { ...s, anchor: index } : s, ids, how === 'range-add'),
        ),
      (error: unknown) =>
        push({
          key: 'users-range',
          intent: 'warning',
          title: 'Range not selected',
          message: errorMessage(error),
        }),
    );
  };

  const count = selectedCount(selection);
  // Checked when every matching row is selected, however it was selected (one by one or "all").
  const headerCheck: CheckState = count === 0 ? 'off' : total > 0 && count >= total ? 'on' : 'mixed';

  const host = useAppInfoStore((s) => s.info?.host ?? null);
  const exportCsv = async () => {
    setExporting(true);
    try {
      const query = { filter: view.filter, sort: view.sort };
      // The desktop app asks where to save and writes the file in the main process (the CSV never
      // reaches the window); the browser host streams it here and it downloads.
      const result =
        host === 'electron'
          ? await client.roster.exportFile(query)
          : await client.roster.export(query).then((r) => {
              downloadText(r.filename, r.csv);
              return { ...r, saved: true };
            });
      if (!result.saved) return;
      push({
        key: 'users-export',
        intent: 'success',
        title: 'Export ready',
        message: `${formatCount(result.rowCount)} users saved to ${result.filename}.`,
      });
    } catch (error) {
      push({
        key: 'users-export',
        intent: 'error',
        title: 'The export failed',
        message: errorMessage(error),
      });
    } finally {
      setExporting(false);
    }
  };

  const filtered =
    formatUsersQuery({ filter: view.filter, sort: view.sort }) !==
    formatUsersQuery({ filter: {}, sort: view.sort });

  return (
    <div className={styles.root}>
      <SyncHealth />
      <div className={styles.toolbar}>
        <SearchField
          value={view.filter.q ?? ''}
          onSearch={(q) => {
            const filter = { ...view.filter };
            if (q.trim() === '') delete filter.q;
            else filter.q = q;
            setView({ ...view, filter });
          }}
        />
        <span className={styles.spacer} />
        <SavedViews view={view} onApply={setView} />
        <ColumnsMenu
          shown={columns.map((c) => c.id)}
          onChange={(shown) =>
            saveColumns({
              ...columnPrefs,
              hidden: COLUMNS.map((c) => c.id).filter((id) => !shown.includes(id)),
            })
          }
          onReset={() => saveColumns({ hidden: [...DEFAULT_HIDDEN], widths: {} })}
        />
        <VerificationResults />
        <Button
          icon={exporting ? <Spinner size="tiny" /> : <ArrowDownload20Regular />}
          disabledFocusable={!mayExport.allowed}
          disabled={exporting || snapshot.total === null}
          title={mayExport.reason ?? undefined}
          onClick={() => void exportCsv()}
        >
          Export CSV
        </Button>
      </div>
      <div className={styles.toolbar}>
        <FacetMenus
          filter={view.filter}
          facets={snapshot.facets}
          onChange={(filter) => setView({ ...view, filter })}
        />
        {filtered && (
          <Button
            appearance="subtle"
            icon={<DismissCircle20Regular />}
            onClick={() => setView({ filter: {}, sort: view.sort })}
          >
            Clear filters
          </Button>
        )}
      </div>
      <div className={styles.summary}>
        <Text aria-live="polite" data-testid="users-total" data-total={snapshot.total ?? ''}>
          {snapshot.total === null
            ? 'Counting users…'
            : `${formatCount(total)} ${total === 1 ? 'user matches' : 'users match'}`}
        </Text>
        <SelectionBar
          selection={selection}
          count={count}
          total={total}
          onSelectAllMatching={() => setSelection(selectAllMatching(view.filter, total))}
          onClear={() => setSelection(EMPTY_SELECTION)}
          actions={
            <>
              <Button
                size="small"
                disabled={!bulk.allowed}
                title={bulk.reason ?? undefined}
                aria-describedby={bulk.allowed ? undefined : 'force-disconnect-why'}
                data-testid="force-disconnect"
                onClick={() =>
                  setDisconnecting(
                    selection.kind === 'matching'
                      ? { kind: 'filter', filter: selection.filter, exceptIds: [...selection.except] }
                      : { kind: 'ids', userIds: [...selection.ids] },
                  )
                }
              >
                Force-disconnect…
              </Button>
              <Button
                size="small"
                disabled={!bulk.allowed}
                title={bulk.reason ?? undefined}
                data-testid="verify-selection"
                onClick={() =>
                  setVerifying(
                    selection.kind === 'matching'
                      ? { kind: 'filter', filter: selection.filter, exceptIds: [...selection.except] }
                      : { kind: 'ids', userIds: [...selection.ids] },
                  )
                }
              >
                Verify…
              </Button>
              {!bulk.allowed && (
                <Text id="force-disconnect-why" size={200} className={styles.muted}>
                  {bulk.reason}
                </Text>
              )}
            </>
          }
        />
      </div>
      {snapshot.error !== null ? (
        <MessageBar intent="error" data-testid="users-failure">
          <MessageBarBody>
            <MessageBarTitle>The user list could not be loaded</MessageBarTitle>
            {errorMessage(snapshot.error)}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => (snapshot.total === null ? setGeneration((g) => g + 1) : source.retry())}>
              Retry
            </Button>
          </MessageBarActions>
        </MessageBar>
      ) : (
        <div className={styles.gridBox}>
          <RosterGrid
            source={source}
            total={total}
            sort={view.sort}
            queryKey={filterKey + String(generation)}
            onSort={(sort) => setView({ ...view, sort })}
            isSelected={(id) => isSelected(selection, id)}
            headerCheck={headerCheck}
            onHeaderCheck={() =>
              setSelection(count > 0 ? EMPTY_SELECTION : selectAllMatching(view.filter, total))
            }
            onRowSelect={onRowSelect}
            onSelectAll={() => setSelection(selectAllMatching(view.filter, total))}
            onOpen={setOpenRow}
            formatTime={formatTime}
            focusRef={gridRef}
            columns={columns}
            customWidths={columnPrefs.widths}
            onResize={(id, width) => {
              const widths = { ...columnPrefs.widths };
              if (width === null) delete widths[id];
              else widths[id] = width;
              saveColumns({ ...columnPrefs, widths });
            }}
            emptyText={snapshot.total === null ? 'Loading users…' : 'No user matches these filters.'}
          />
        </div>
      )}
      {disconnecting !== null && (
        <ForceDisconnectDialog selection={disconnecting} onClose={() => setDisconnecting(null)} />
      )}
      {verifying !== null && (
        <VerifyUsersDialog selection={verifying} count={count} onClose={() => setVerifying(null)} />
      )}
      {/* Mounted only while open: a closed Fluent drawer still plants focus-trap sentinels in <body>. */}
      {openRow !== null && (
        <UserDetail
          userId={openRow?.userId ?? null}
          initial={openRow}
          formatTime={formatTimeFull}
          onClose={() => {
            setOpenRow(null);
            // Back to the row the panel was opened from, so keyboard users keep their place.
            gridRef.current?.focus();
          }}
        />
      )}
    </div>
  );
}
