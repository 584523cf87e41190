import {
  Button,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Text,
  tokens,
} from '@fluentui/react-components';
import type { DashboardSummary } from '../../../../shared/contract/index.ts';
import { BurnUpChart } from '../../components/chart/BurnUpChart.tsx';
import { calendarDateIn } from '../../components/chart/burnup-geometry.ts';
import type { LoadFailure } from '../../state/roster-sync-store.ts';
import { Card } from './Card.tsx';
import { formatCalendarDate } from './countdown.ts';
import { reauthorizedOf } from '../../../../shared/progress/migration-progress.ts';
import { formatCount, progressOf } from './progress.ts';

const useStyles = makeStyles({
  headline: { fontSize: tokens.fontSizeBase400, lineHeight: tokens.lineHeightBase400, margin: 0 },
  muted: { color: tokens.colorNeutralForeground2 },
});

/**
 * The chart's line: re-authorized users (the one definition of progress) per day, with today's
 * point taken from the platform's counts now, the very counts the forecast starts from, so the
 * forecast line begins exactly where this line ends.
 */
export function chartHistory(summary: DashboardSummary): { date: string; value: number }[] {
  const { migration } = summary;
  const today = calendarDateIn(migration.asOf, migration.timezone);
  const past = summary.history
    .filter((day) => today === null || day.date < today)
    .map((day) => ({ date: day.date, value: reauthorizedOf(day.byStatus) }));
  return today === null ? past : [...past, { date: today, value: reauthorizedOf(migration.counts.byStatus) }];
}

/** "At this pace about 1,240 users will be disconnected on Tue 15 Dec 2026 (between 980 and 1,510)." */
export function forecastHeadline(summary: DashboardSummary, cutoffDate: string): string {
  const f = summary.forecast;
  if (f === null) return 'There is not enough history yet to forecast the cut-off.';
  const d = f.disconnectedAtCutoff;
  const when = formatCalendarDate(cutoffDate);
  if (d.high === 0) return `At this pace everyone still to act will have moved before ${when}.`;
  const band = d.low === d.high ? '' : ` (between ${formatCount(d.low)} and ${formatCount(d.high)})`;
  return `At this pace about ${formatCount(d.expected)} users will be disconnected on ${when}${band}.`;
}

export interface BurnUpSectionProps {
  summary: DashboardSummary | null;
  /** Why dashboard.summary failed, when it did. */
  failure: LoadFailure | null;
  onRetry(): void;
}

/** The burn-up chart with its forecast headline, or an honest note when history is not available. */
export function BurnUpSection({ summary, failure, onRetry }: BurnUpSectionProps) {
  const styles = useStyles();
  if (summary === null) {
    return (
      <Card title="Progress over time" testId="burnup">
        <MessageBar intent={failure?.code === 'unavailable' ? 'warning' : 'error'}>
          <MessageBarBody>
            <MessageBarTitle>History and forecast are not available</MessageBarTitle>
            {failure?.message ?? 'The dashboard summary has not loaded.'} The counts above come straight from
            the platform.
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={onRetry}>Retry</Button>
          </MessageBarActions>
        </MessageBar>
      </Card>
    );
  }
  const { migration } = summary;
  const cutoffDate =
    calendarDateIn(migration.cutoffAt, migration.timezone) ?? migration.cutoffAt.slice(0, 10);
  const progress = progressOf(migration.counts.byStatus);
  const headline = forecastHeadline(summary, cutoffDate);
  const history = chartHistory(summary);
  const lastDay = history.at(-1);
  const chartSummary = [
    `Burn-up chart of re-authorized users (migrated or failing on Graph)${history[0] ? ` from ${formatCalendarDate(history[0].date)}` : ''} to the cut-off on ${formatCalendarDate(cutoffDate)}.`,
    lastDay
      ? `${formatCount(lastDay.value)} re-authorized on ${formatCalendarDate(lastDay.date)} of ${formatCount(progress.inScope)} who must.`
      : '',
    headline,
    summary.announcementDays.length > 0
      ? `${summary.announcementDays.length} announcement days are marked.`
      : '',
    summary.reminderDays.length > 0
      ? `Reminders are scheduled on ${summary.reminderDays.map(formatCalendarDate).join(', ')}.`
      : '',
  ]
    .filter((s) => s !== '')
    .join(' ');
  return (
    <Card title="Progress over time" testId="burnup">
      <p className={styles.headline} data-testid="forecast-headline">
        {headline}
      </p>
      {summary.forecast !== null && (
        <Text size={200} className={styles.muted}>
          Forecast from about {formatCount(Math.round(summary.forecast.ratePerDay.expected))}{' '}
          re-authorizations a day recently (range {formatCount(Math.round(summary.forecast.ratePerDay.low))}–
          {formatCount(Math.round(summary.forecast.ratePerDay.high))}).
        </Text>
      )}
      {history.length === 0 && summary.forecast === null ? (
        <Text className={styles.muted}>No daily snapshots yet: the chart fills in as the days go by.</Text>
      ) : (
        <BurnUpChart
          history={history}
          forecast={summary.forecast?.points ?? []}
          target={progress.inScope}
          announcementDays={summary.announcementDays}
          reminderDays={summary.reminderDays}
          cutoffDate={cutoffDate}
          summary={chartSummary}
        />
      )}
    </Card>
  );
}
