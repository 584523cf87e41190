import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import {
  ArrowDown12Regular,
  ArrowUp12Regular,
  Checkmark12Filled,
  Subtract12Filled,
} from '@fluentui/react-icons';
import {
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type RefObject,
} from 'react';
import type { RosterRow, RosterSort } from '../../../../shared/contract/index.ts';
import { computeWindow, rowsPerPage, scrollTopToReveal } from '../../components/table/windowing.ts';
import { layoutColumns } from './column-layout.ts';
import { SELECT_WIDTH, type Column } from './columns.ts';
import type { RowSource } from './row-source.ts';
import { StatusBadge } from './StatusBadge.tsx';

export const ROW_HEIGHT = 40;
const HEADER_HEIGHT = 40;
const OVERSCAN = 8;
/** Cell padding on both sides (spacingHorizontalS) and a pixel of slack each. */
const CELL_PADDING = 18;
const RESIZE_STEP = 16;

let canvasContext: CanvasRenderingContext2D | null | undefined;

/**
 * A text's width in the grid's own font (`family` as the grid computes it), measured with one
 * offscreen canvas: the layout needs content widths.
 */
function measureText(text: string, font: 'cell' | 'header', family: string): number {
  if (canvasContext === undefined)
    canvasContext =
      typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  if (canvasContext === null) return text.length * 8;
  canvasContext.font = font === 'cell' ? `400 14px ${family}` : `600 12px ${family}`;
  return Math.ceil(canvasContext.measureText(text).width);
}

const useStyles = makeStyles({
  grid: {
    position: 'relative',
    height: '100%',
    overflow: 'auto',
    outlineStyle: 'none',
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    ':focus-visible': {
      outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
      outlineOffset: '1px',
    },
  },
  headerGroup: {
    position: 'sticky',
    top: 0,
    zIndex: 1,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    minWidth: 'fit-content',
  },
  headerRow: { display: 'grid', height: `${HEADER_HEIGHT}px`, alignItems: 'stretch' },
  headerCell: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    paddingInline: tokens.spacingHorizontalS,
    fontWeight: tokens.fontWeightSemibold,
    fontSize: tokens.fontSizeBase200,
    color: tokens.colorNeutralForeground2,
    userSelect: 'none',
    whiteSpace: 'nowrap',
  },
  sortable: {
    cursor: 'pointer',
    ':hover': { backgroundColor: tokens.colorSubtleBackgroundHover, color: tokens.colorNeutralForeground1 },
  },
  body: { position: 'relative', minWidth: 'fit-content' },
  row: {
    position: 'absolute',
    left: 0,
    right: 0,
    display: 'grid',
    height: `${ROW_HEIGHT}px`,
    alignItems: 'center',
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`,
    cursor: 'default',
    ':hover': { backgroundColor: tokens.colorSubtleBackgroundHover },
  },
  selected: {
    backgroundColor: tokens.colorBrandBackground2,
    ':hover': { backgroundColor: tokens.colorBrandBackground2Hover },
  },
  cell: {
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    paddingInline: tokens.spacingHorizontalS,
    fontSize: tokens.fontSizeBase300,
    height: '100%',
    lineHeight: `${ROW_HEIGHT}px`,
  },
  active: {
    outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
    outlineOffset: '-2px',
    borderRadius: tokens.borderRadiusSmall,
  },
  check: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    height: '100%',
    cursor: 'pointer',
  },
  box: {
    display: 'grid',
    placeItems: 'center',
    width: '16px',
    height: '16px',
    borderRadius: tokens.borderRadiusSmall,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStrokeAccessible}`,
    color: tokens.colorNeutralForegroundOnBrand,
  },
  boxOn: {
    backgroundColor: tokens.colorCompoundBrandBackground,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorCompoundBrandBackground}`,
  },
  placeholder: {
    display: 'block',
    height: '10px',
    marginBlock: '15px',
    borderRadius: tokens.borderRadiusSmall,
    backgroundColor: tokens.colorNeutralBackground4,
  },
  empty: { padding: tokens.spacingHorizontalXL, color: tokens.colorNeutralForeground2 },
  headerLabel: { overflow: 'hidden', textOverflow: 'ellipsis' },
  // A grip on the header's right edge: drag to resize, double-click to size to content again.
  resize: {
    position: 'absolute',
    top: '6px',
    bottom: '6px',
    right: 0,
    width: '7px',
    cursor: 'col-resize',
    borderRight: `${tokens.strokeWidthThick} solid ${tokens.colorNeutralStroke2}`,
    ':hover': { borderRightColor: tokens.colorBrandStroke1 },
    touchAction: 'none',
  },
  headerCellBox: { position: 'relative', minWidth: 0 },
});

export type CheckState = 'on' | 'off' | 'mixed';

export interface RosterGridProps {
  source: RowSource;
  total: number;
  sort: RosterSort;
  /** Resets scroll and focus when the query changes. */
  queryKey: string;
  onSort(sort: RosterSort): void;
  isSelected(userId: string): boolean;
  headerCheck: CheckState;
  onHeaderCheck(): void;
  /** A row was clicked or a key pressed on it; the page turns this into selection changes. */
  onRowSelect(index: number, row: RosterRow, how: 'only' | 'toggle' | 'range' | 'range-add'): void;
  onSelectAll(): void;
  onOpen(row: RosterRow): void;
  formatTime(iso: string): string;
  emptyText: string;
  /** Lets the page hand focus back to the grid (after the detail panel closes). */
  focusRef?: RefObject<HTMLDivElement | null>;
  /** The columns shown, in order (the operator hides others in the Columns menu). */
  columns: readonly Column[];
  /** Widths the operator dragged, by column id. */
  customWidths: Readonly<Record<string, number>>;
  /** A column was resized (null: back to its content width). */
  onResize(columnId: string, width: number | null): void;
}

function CheckBox({ state }: { state: CheckState }) {
  const styles = useStyles();
  return (
    <span className={mergeClasses(styles.box, state !== 'off' && styles.boxOn)} aria-hidden="true">
      {state === 'on' && <Checkmark12Filled />}
      {state === 'mixed' && <Subtract12Filled />}
    </span>
  );
}

interface Active {
  /** -1 is the header row. */
  row: number;
  col: number;
}

/**
 * The Users table: an ARIA grid with one tab stop (aria-activedescendant moves over the cells, so
 * focus survives rows being recycled as they scroll away), fixed-height rows, and only the rows
 * on screen plus an overscan rendered. Rows come from the RowSource, which fetches windows.
 */
export function RosterGrid(props: RosterGridProps) {
  const { source, total, sort, queryKey, columns, customWidths } = props;
  const COLS = columns.length + 1;
  const styles = useStyles();
  const gridId = useId().replace(/:/g, '');
  const ownRef = useRef<HTMLDivElement>(null);
  const ref = props.focusRef ?? ownRef;
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(480);
  const [innerWidth, setInnerWidth] = useState(900);
  const [fontFamily, setFontFamily] = useState('sans-serif');
  const [dragging, setDragging] = useState<{ id: string; width: number } | null>(null);
  const [active, setActive] = useState<Active>({ row: -1, col: 1 });
  // The active cell is drawn only while the grid has focus, as a focus ring would be.
  const [focused, setFocused] = useState(false);

  // Scroll and keyboard position start over for a new query (adjusted while rendering, as React
  // recommends for state derived from a prop change; the DOM follows in the effect below).
  const [shownKey, setShownKey] = useState(queryKey);
  if (shownKey !== queryKey) {
    setShownKey(queryKey);
    setScrollTop(0);
    setActive((a) => ({ row: Math.min(a.row, 0), col: a.col }));
  }
  useEffect(() => {
    ref.current?.scrollTo({ top: 0 });
  }, [queryKey, ref]);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      setViewport(Math.max(ROW_HEIGHT, el.clientHeight - HEADER_HEIGHT));
      setInnerWidth(el.clientWidth);
      setFontFamily(getComputedStyle(el).fontFamily || 'sans-serif');
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);

  const win = computeWindow({
    rowCount: total,
    rowHeight: ROW_HEIGHT,
    viewportHeight: viewport,
    scrollTop,
    overscan: OVERSCAN,
  });

  useEffect(() => {
    source.want(win.start, win.end, win.visibleStart, win.visibleEnd);
  }, [source, win.start, win.end, win.visibleStart, win.visibleEnd]);

  // Content widths: the widest value seen in this query's loaded rows, per column. They only grow
  // while the query stays, so the columns do not jump as the operator scrolls (state adjusted
  // while rendering, as for the query key above).
  const [seen, setSeen] = useState<{ key: string; widths: Record<string, number> }>({
    key: queryKey,
    widths: {},
  });
  const seenKey = `${queryKey}|${fontFamily}`;
  const base = seen.key === seenKey ? seen.widths : {};
  const contentWidths: Record<string, number> = { ...base };
  let grew = seen.key !== seenKey;
  for (const column of columns) {
    let widest = Math.max(base[column.id] ?? 0, measureText(column.label, 'header', fontFamily) + 14);
    for (let i = win.start; i < win.end; i += 1) {
      const row = source.row(i);
      if (row !== undefined)
        widest = Math.max(
          widest,
          measureText(column.text(row, props.formatTime), 'cell', fontFamily) + (column.chrome ?? 0),
        );
    }
    if (widest !== base[column.id]) {
      contentWidths[column.id] = widest;
      grew = true;
    }
  }
  if (grew) setSeen({ key: seenKey, widths: contentWidths });
  const widths = layoutColumns(
    columns.map((column) => ({
      content: (contentWidths[column.id] ?? 0) + CELL_PADDING,
      min: column.min,
      fixed: dragging?.id === column.id ? dragging.width : customWidths[column.id],
      yields: column.yields,
    })),
    innerWidth - SELECT_WIDTH,
  );
  const template = [SELECT_WIDTH, ...widths].map((w) => `${w}px`).join(' ');

  const resizeBy = (c: number, delta: number) => {
    const column = columns[c - 1];
    if (!column) return;
    props.onResize(column.id, Math.max(column.min, Math.min(1200, (widths[c - 1] ?? column.min) + delta)));
  };
  const startDrag = (event: React.PointerEvent<HTMLDivElement>, c: number) => {
    const column = columns[c - 1];
    if (!column) return;
    event.preventDefault();
    event.stopPropagation();
    const startX = event.clientX;
    const startWidth = widths[c - 1] ?? column.min;
    const handle = event.currentTarget;
    handle.setPointerCapture(event.pointerId);
    let last = startWidth;
    const move = (e: PointerEvent) => {
      last = Math.round(Math.max(column.min, Math.min(1200, startWidth + e.clientX - startX)));
      setDragging({ id: column.id, width: last });
    };
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
      setDragging(null);
      if (last !== startWidth) props.onResize(column.id, last);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
  };

  const reveal = (row: number) => {
    const el = ref.current;
    if (!el || row < 0) return;
    const top = scrollTopToReveal(row, {
      rowCount: total,
      rowHeight: ROW_HEIGHT,
      viewportHeight: viewport,
      scrollTop: el.scrollTop,
    });
    if (top !== null) {
      el.scrollTop = top;
      setScrollTop(el.scrollTop);
    }
  };

  const moveTo = (row: number, col: number) => {
    const r = Math.max(-1, Math.min(total - 1, row));
    const c = Math.max(0, Math.min(COLS - 1, col));
    setActive({ row: r, col: c });
    reveal(r);
  };

  const sortBy = (col: number) => {
    const column = columns[col - 1];
    if (!column?.sortField) return;
    const direction = sort.field === column.sortField && sort.direction === 'asc' ? 'desc' : 'asc';
    props.onSort({ field: column.sortField, direction });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const page = rowsPerPage(viewport, ROW_HEIGHT);
    const ctrl = event.ctrlKey || event.metaKey;
    const row = active.row;
    const current = row >= 0 ? source.row(row) : undefined;
    let handled = true;
    switch (event.key) {
      case 'ArrowDown':
        moveTo(row + 1, active.col);
        break;
      case 'ArrowUp':
        moveTo(row - 1, active.col);
        break;
      case 'ArrowRight':
        // Alt+→ on a column header widens the column; Alt+← narrows it.
        if (event.altKey && row === -1) resizeBy(active.col, RESIZE_STEP);
        else moveTo(row, active.col + 1);
        break;
      case 'ArrowLeft':
        if (event.altKey && row === -1) resizeBy(active.col, -RESIZE_STEP);
        else moveTo(row, active.col - 1);
        break;
      case 'PageDown':
        moveTo(Math.max(0, row + page), active.col);
        break;
      case 'PageUp':
        moveTo(Math.max(0, row - page), active.col);
        break;
      case 'Home':
        if (ctrl) moveTo(Math.min(0, total - 1), active.col);
        else moveTo(row, 0);
        break;
      case 'End':
        if (ctrl) moveTo(total - 1, active.col);
        else moveTo(row, COLS - 1);
        break;
      case ' ':
        if (row === -1) {
          if (active.col === 0) props.onHeaderCheck();
          else sortBy(active.col);
        } else if (current)
          props.onRowSelect(row, current, event.shiftKey ? (ctrl ? 'range-add' : 'range') : 'toggle');
        break;
      case 'Enter':
        if (row === -1) {
          if (active.col === 0) props.onHeaderCheck();
          else sortBy(active.col);
        } else if (current) props.onOpen(current);
        break;
      case 'a':
      case 'A':
        if (ctrl && !event.shiftKey && !event.altKey) props.onSelectAll();
        else handled = false;
        break;
      default:
        handled = false;
    }
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  };

  const onRowClick = (event: MouseEvent, index: number, row: RosterRow, col: number) => {
    setActive({ row: index, col });
    const ctrl = event.ctrlKey || event.metaKey;
    if (event.shiftKey) props.onRowSelect(index, row, ctrl ? 'range-add' : 'range');
    else if (ctrl || col === 0) props.onRowSelect(index, row, 'toggle');
    else {
      props.onRowSelect(index, row, 'only');
      props.onOpen(row);
    }
  };

  const cellId = (row: number, col: number) => `${gridId}-r${row}-c${col}`;
  const activeRendered = active.row === -1 || (active.row >= win.start && active.row < win.end);
  const indexes = Array.from({ length: win.end - win.start }, (_, k) => win.start + k);
  const rows = indexes.map((i) => {
    const row = source.row(i);
    const selected = row ? props.isSelected(row.userId) : false;
    return (
      <div
        key={i}
        role="row"
        aria-rowindex={i + 2}
        aria-selected={row ? selected : undefined}
        aria-busy={row ? undefined : true}
        className={mergeClasses(styles.row, selected && styles.selected)}
        style={{
          transform: `translateY(${win.offset + (i - win.start) * ROW_HEIGHT}px)`,
          gridTemplateColumns: template,
        }}
        onClick={
          row
            ? (e) =>
                onRowClick(
                  e,
                  i,
                  row,
                  Number((e.target as HTMLElement).closest('[data-col]')?.getAttribute('data-col') ?? 1),
                )
            : undefined
        }
        onMouseDown={(e) => {
          // Shift-click would otherwise select the text between the two rows.
          if (e.shiftKey) e.preventDefault();
        }}
        data-testid={row ? 'roster-row' : 'roster-row-loading'}
        data-user-id={row?.userId}
      >
        <div
          role="gridcell"
          id={cellId(i, 0)}
          data-col={0}
          aria-colindex={1}
          className={mergeClasses(
            styles.cell,
            styles.check,
            focused && active.row === i && active.col === 0 && styles.active,
          )}
          aria-label={selected ? 'Selected' : 'Not selected'}
        >
          <CheckBox state={selected ? 'on' : 'off'} />
        </div>
        {columns.map((column, c) => (
          <div
            key={column.id}
            role="gridcell"
            id={cellId(i, c + 1)}
            data-col={c + 1}
            aria-colindex={c + 2}
            className={mergeClasses(
              styles.cell,
              focused && active.row === i && active.col === c + 1 && styles.active,
            )}
            title={row ? column.text(row, props.formatTime) || undefined : undefined}
          >
            {row === undefined ? (
              <span className={styles.placeholder} />
            ) : column.id === 'status' ? (
              <StatusBadge status={row.status} />
            ) : (
              column.text(row, props.formatTime)
            )}
          </div>
        ))}
      </div>
    );
  });

  return (
    <div
      ref={ref}
      id={gridId}
      role="grid"
      aria-label="Users"
      aria-rowcount={total + 1}
      aria-colcount={COLS}
      aria-multiselectable="true"
      aria-activedescendant={activeRendered ? cellId(active.row, active.col) : undefined}
      tabIndex={0}
      className={styles.grid}
      onKeyDown={onKeyDown}
      onFocus={() => setFocused(true)}
      onBlur={() => setFocused(false)}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      data-testid="roster-grid"
    >
      <div role="rowgroup" className={styles.headerGroup}>
        <div
          role="row"
          aria-rowindex={1}
          className={styles.headerRow}
          style={{ gridTemplateColumns: template }}
        >
          <div
            role="columnheader"
            id={cellId(-1, 0)}
            aria-colindex={1}
            aria-label={
              props.headerCheck === 'on'
                ? 'All matching users selected: clear the selection'
                : props.headerCheck === 'mixed'
                  ? 'Some matching users selected: clear the selection'
                  : 'Select all matching users'
            }
            data-state={props.headerCheck}
            data-testid="header-check"
            className={mergeClasses(
              styles.headerCell,
              styles.check,
              focused && active.row === -1 && active.col === 0 && styles.active,
            )}
            onClick={() => {
              setActive({ row: -1, col: 0 });
              props.onHeaderCheck();
            }}
          >
            <CheckBox state={props.headerCheck} />
          </div>
          {columns.map((column, c) => {
            const sorted = column.sortField !== null && sort.field === column.sortField;
            return (
              <div
                key={column.id}
                role="columnheader"
                id={cellId(-1, c + 1)}
                aria-colindex={c + 2}
                aria-sort={
                  sorted
                    ? sort.direction === 'asc'
                      ? 'ascending'
                      : 'descending'
                    : column.sortField
                      ? 'none'
                      : undefined
                }
                className={mergeClasses(
                  styles.headerCell,
                  styles.headerCellBox,
                  column.sortField !== null && styles.sortable,
                  focused && active.row === -1 && active.col === c + 1 && styles.active,
                )}
                title={`${column.label}: click to sort; drag the edge or press Alt+←/→ to resize`}
                data-column={column.id}
                onClick={() => {
                  setActive({ row: -1, col: c + 1 });
                  sortBy(c + 1);
                }}
              >
                <span className={styles.headerLabel}>{column.label}</span>
                {sorted &&
                  (sort.direction === 'asc' ? (
                    <ArrowUp12Regular aria-hidden="true" />
                  ) : (
                    <ArrowDown12Regular aria-hidden="true" />
                  ))}
                <div
                  className={styles.resize}
                  aria-hidden="true"
                  data-testid={`resize-${column.id}`}
                  onPointerDown={(e) => startDrag(e, c + 1)}
                  onClick={(e) => e.stopPropagation()}
                  onDoubleClick={(e) => {
                    e.stopPropagation();
                    props.onResize(column.id, null);
                  }}
                />
              </div>
            );
          })}
        </div>
      </div>
      <div role="rowgroup" className={styles.body} style={{ height: `${win.scrollHeight}px` }}>
        {rows}
      </div>
      {total === 0 && <p className={styles.empty}>{props.emptyText}</p>}
    </div>
  );
}
