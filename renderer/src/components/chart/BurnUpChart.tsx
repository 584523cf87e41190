import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useId, useRef, useState } from 'react';
import { formatCalendarDate } from '../../pages/dashboard/countdown.ts';
import { useVisuallyHiddenStyles } from '../visually-hidden.ts';
import {
  bandPath,
  dateTicks,
  linePath,
  makeScales,
  type BandPoint,
  type Frame,
  type Point,
} from './burnup-geometry.ts';

const MARGIN: Frame['margin'] = { top: 16, right: 24, bottom: 36, left: 64 };
const HEIGHT = 280;
/** Narrower than this the chart scrolls rather than squeezing its text. */
const MIN_WIDTH = 420;
/** The text size of the axis labels in CSS pixels: the SVG is drawn at its real width, never scaled. */
const AXIS_TEXT = '12px';
/** Griffel selector for the console's own high-contrast theme, whose tokens collapse to few colours. */
const HC = ':global(html[data-theme="high-contrast"])';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  frame: { width: '100%', minWidth: `${MIN_WIDTH}px`, overflowX: 'auto' },
  svg: { display: 'block', overflow: 'visible' },
  grid: { stroke: tokens.colorNeutralStroke2, strokeWidth: 1, [HC]: { stroke: '#3f3f3f' } },
  axisText: { fill: tokens.colorNeutralForeground2, fontSize: AXIS_TEXT, fontFamily: tokens.fontFamilyBase },
  actual: { fill: 'none', stroke: tokens.colorBrandForeground1, strokeWidth: 2.5, strokeLinejoin: 'round' },
  expected: {
    fill: 'none',
    stroke: tokens.colorBrandForeground1,
    strokeWidth: 1.5,
    strokeDasharray: '5 4',
    [HC]: { stroke: '#1aebff' },
  },
  // In high contrast the band is a cyan outline over a dark cyan fill: it never vanishes into black.
  band: {
    fill: tokens.colorBrandBackground2,
    stroke: 'none',
    opacity: 0.9,
    [HC]: { fill: '#0b4f56', stroke: '#1aebff', strokeWidth: 1, opacity: 1 },
  },
  target: { stroke: tokens.colorNeutralForeground2, strokeWidth: 1, strokeDasharray: '2 3' },
  cutoff: { stroke: tokens.colorStatusDangerForeground1, strokeWidth: 1.5 },
  cutoffText: {
    fill: tokens.colorStatusDangerForeground1,
    fontSize: AXIS_TEXT,
    fontWeight: 600,
    fontFamily: tokens.fontFamilyBase,
  },
  marker: { stroke: tokens.colorPaletteMarigoldBorderActive, strokeWidth: 1, strokeDasharray: '3 3' },
  markerDot: { fill: tokens.colorPaletteMarigoldBorderActive },
  // A reminder still to go out: a dotted line under a hollow ring (an announcement sent is dashed under a dot).
  reminder: { stroke: tokens.colorPaletteBerryBorderActive, strokeWidth: 1.5, strokeDasharray: '1 3' },
  reminderRing: {
    fill: tokens.colorNeutralBackground1,
    stroke: tokens.colorPaletteBerryBorderActive,
    strokeWidth: 1.5,
  },
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalL}`,
    margin: 0,
    padding: 0,
    listStyleType: 'none',
    fontSize: tokens.fontSizeBase200,
    color: tokens.colorNeutralForeground2,
  },
  legendItem: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  swatch: { width: '18px', height: '10px', overflow: 'visible' },
  table: {
    borderCollapse: 'collapse',
    fontSize: tokens.fontSizeBase200,
    '& th, & td': {
      textAlign: 'end',
      padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalM}`,
      borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    },
    '& th:first-child, & td:first-child': { textAlign: 'start' },
  },
  tableWrap: { maxHeight: '260px', overflowY: 'auto' },
});

export interface BurnUpChartProps {
  /** Re-authorized users at the end of each past day (today: now). */
  history: readonly Point[];
  /** What the history line counts, for the legend and the data table ("Re-authorized"). */
  seriesLabel?: string;
  /** What the target line is ("Must re-authorize"). */
  targetLabel?: string;
  /** Projected migrated users per future day up to the cut-off. */
  forecast: readonly BandPoint[];
  /** Users the cut-off concerns (migrated + still to act): the line the burn-up should reach. */
  target: number;
  announcementDays: readonly string[];
  /** Days a scheduled reminder will go out (future markers). */
  reminderDays?: readonly string[];
  /** The cut-off's calendar date in the platform's zone. */
  cutoffDate: string;
  /** One or two sentences saying what the chart shows; read by screen readers as the image's name. */
  summary: string;
}

const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/**
 * Re-authorized users over time with the forecast band to the cut-off; an SVG image plus its data
 * as a table. Drawn at its measured width so its text stays at 12 CSS pixels at any window size.
 */
export function BurnUpChart({
  history,
  forecast,
  target,
  announcementDays,
  reminderDays = [],
  cutoffDate,
  summary,
  seriesLabel = 'Re-authorized',
  targetLabel = 'Must re-authorize',
}: BurnUpChartProps) {
  const styles = useStyles();
  const [showTable, setShowTable] = useState(false);
  const tableId = useId();
  const frameRef = useRef<HTMLDivElement>(null);
  const [measuredWidth, setWidth] = useState(760);
  useEffect(() => {
    const element = frameRef.current;
    if (element === null || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      const measured = Math.floor(entry?.contentRect.width ?? 0);
      if (measured > 0) setWidth(Math.max(MIN_WIDTH, measured));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const FRAME: Frame = { width: measuredWidth, height: HEIGHT, margin: MARGIN };
  const first = history[0]?.date ?? forecast[0]?.date ?? cutoffDate;
  const last =
    [cutoffDate, history.at(-1)?.date, forecast.at(-1)?.date]
      .filter((d): d is string => d !== undefined)
      .sort()
      .at(-1) ?? cutoffDate;
  const maxValue = Math.max(target, ...history.map((p) => p.value), ...forecast.map((p) => p.high), 1);
  const scales = makeScales(FRAME, first, last, maxValue);
  const { margin, width, height } = FRAME;
  const bottom = height - margin.bottom;
  const lastActual = history.at(-1);
  // The forecast starts where the history ends so the two lines join.
  const expectedLine: Point[] = [
    ...(lastActual ? [lastActual] : []),
    ...forecast.map((p) => ({ date: p.date, value: p.expected })),
  ];
  const band: BandPoint[] = [
    ...(lastActual
      ? [{ date: lastActual.date, expected: lastActual.value, low: lastActual.value, high: lastActual.value }]
      : []),
    ...forecast,
  ];
  const inRange = (date: string) => date >= first && date <= last;
  const announcementsDrawn = announcementDays.filter(inRange);
  const remindersDrawn = reminderDays.filter(inRange);
  const ticks = dateTicks(scales);
  // Room for about 70 px per date label; thin the ticks out rather than overlap them.
  const step = Math.max(1, Math.ceil((ticks.length * 70) / Math.max(1, width - margin.left - margin.right)));
  const shownTicks = ticks.filter((_, k) => k % step === 0);

  return (
    <div className={styles.root}>
      <div ref={frameRef} className={styles.frame}>
        <svg
          className={styles.svg}
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          role="img"
          aria-label={summary}
          data-testid="burnup-chart"
        >
          {scales.yTicks.map((tick) => (
            <g key={tick}>
              <line
                className={styles.grid}
                x1={margin.left}
                x2={width - margin.right}
                y1={scales.y(tick)}
                y2={scales.y(tick)}
              />
              <text className={styles.axisText} x={margin.left - 8} y={scales.y(tick) + 4} textAnchor="end">
                {count(tick)}
              </text>
            </g>
          ))}
          {shownTicks.map((date) => (
            <text
              key={date}
              className={styles.axisText}
              x={scales.x(date)}
              y={bottom + 20}
              textAnchor="middle"
            >
              {formatCalendarDate(date).slice(4, -5)}
            </text>
          ))}
          {band.length > 1 && <path className={styles.band} d={bandPath(band, scales)} />}
          {target > 0 && (
            <line
              className={styles.target}
              x1={margin.left}
              x2={width - margin.right}
              y1={scales.y(target)}
              y2={scales.y(target)}
            />
          )}
          {announcementsDrawn.map((date) => (
            <g key={date}>
              <line
                className={styles.marker}
                x1={scales.x(date)}
                x2={scales.x(date)}
                y1={margin.top}
                y2={bottom}
              />
              <circle className={styles.markerDot} cx={scales.x(date)} cy={margin.top} r={3.5} />
            </g>
          ))}
          {remindersDrawn.map((date) => (
            <g key={`r${date}`} data-testid="reminder-marker" data-date={date}>
              <line
                className={styles.reminder}
                x1={scales.x(date)}
                x2={scales.x(date)}
                y1={margin.top}
                y2={bottom}
              />
              <circle className={styles.reminderRing} cx={scales.x(date)} cy={margin.top} r={4} />
            </g>
          ))}
          {expectedLine.length > 1 && <path className={styles.expected} d={linePath(expectedLine, scales)} />}
          {history.length > 0 && <path className={styles.actual} d={linePath(history, scales)} />}
          <line
            className={styles.cutoff}
            x1={scales.x(cutoffDate)}
            x2={scales.x(cutoffDate)}
            y1={margin.top}
            y2={bottom}
          />
          <text className={styles.cutoffText} x={scales.x(cutoffDate) - 4} y={bottom - 6} textAnchor="end">
            Cut-off
          </text>
        </svg>
      </div>
      {/* A legend entry only for what the chart draws. */}
      <ul className={styles.legend} aria-hidden="true" data-testid="burnup-legend">
        {history.length > 0 && <LegendItem className={styles.actual} label={seriesLabel} />}
        {expectedLine.length > 1 && <LegendItem className={styles.expected} label="Forecast" />}
        {band.length > 1 && forecast.some((p) => p.high !== p.low) && (
          <LegendItem className={styles.band} label="Forecast range" area />
        )}
        {target > 0 && <LegendItem className={styles.target} label={`${targetLabel} (${count(target)})`} />}
        {announcementsDrawn.length > 0 && <LegendItem className={styles.marker} label="Announcement sent" />}
        {remindersDrawn.length > 0 && <LegendItem className={styles.reminder} label="Reminder scheduled" />}
        <LegendItem className={styles.cutoff} label="Cut-off" />
      </ul>
      <div>
        <Button
          appearance="subtle"
          size="small"
          aria-expanded={showTable}
          aria-controls={tableId}
          onClick={() => setShowTable((v) => !v)}
        >
          {showTable ? 'Hide the chart’s data' : 'Show the chart’s data as a table'}
        </Button>
      </div>
      {/* Focusable so a keyboard user can scroll a long table (it is its own scroll area). */}
      <div
        id={tableId}
        className={styles.tableWrap}
        hidden={!showTable}
        role="region"
        aria-label="The chart’s data"
        tabIndex={showTable ? 0 : -1}
      >
        {showTable && (
          <ChartTable
            history={history}
            forecast={forecast}
            announcementDays={announcementDays}
            reminderDays={remindersDrawn}
            seriesLabel={seriesLabel}
            className={styles.table}
          />
        )}
      </div>
    </div>
  );
}

function LegendItem({
  className,
  label,
  area = false,
}: {
  className: string;
  label: string;
  area?: boolean;
}) {
  const styles = useStyles();
  return (
    <li className={styles.legendItem}>
      <svg className={styles.swatch} viewBox="0 0 18 10" aria-hidden="true">
        {area ? (
          <rect className={className} x={0} y={0} width={18} height={10} rx={2} />
        ) : (
          <line className={className} x1={0} x2={18} y1={5} y2={5} />
        )}
      </svg>
      {label}
    </li>
  );
}

function ChartTable({
  history,
  forecast,
  announcementDays,
  reminderDays = [],
  seriesLabel,
  className,
}: Pick<BurnUpChartProps, 'history' | 'forecast' | 'announcementDays' | 'reminderDays'> & {
  seriesLabel: string;
  className: string;
}) {
  const hidden = useVisuallyHiddenStyles();
  const announced = new Set(announcementDays);
  const reminded = new Set(reminderDays);
  const mark = (date: string) =>
    announced.has(date) ? 'Sent' : reminded.has(date) ? 'Reminder scheduled' : '';
  const marks = announced.size > 0 || reminded.size > 0;
  return (
    <table className={className}>
      <caption className={hidden.root}>{seriesLabel} users per day, then the forecast to the cut-off</caption>
      <thead>
        <tr>
          <th scope="col">Date</th>
          <th scope="col">{seriesLabel}</th>
          <th scope="col">Forecast (low – high)</th>
          {marks && <th scope="col">Announcement</th>}
        </tr>
      </thead>
      <tbody>
        {history.map((p) => (
          <tr key={`h${p.date}`}>
            <th scope="row">{formatCalendarDate(p.date)}</th>
            <td>{count(p.value)}</td>
            <td>—</td>
            {marks && <td>{mark(p.date)}</td>}
          </tr>
        ))}
        {forecast.map((p) => (
          <tr key={`f${p.date}`}>
            <th scope="row">{formatCalendarDate(p.date)}</th>
            <td>—</td>
            <td>
              {count(p.expected)} ({count(p.low)} – {count(p.high)})
            </td>
            {marks && <td>{mark(p.date)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
