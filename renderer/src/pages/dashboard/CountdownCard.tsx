import { makeStyles, mergeClasses, Text, tokens } from '@fluentui/react-components';
import { CalendarClock24Regular } from '@fluentui/react-icons';
import type { Migration } from '../../../../shared/domain/platform.ts';
import { useNow } from '../../components/use-now.ts';
import { Card } from './Card.tsx';
import { formatCountdown, formatInstant } from './countdown.ts';

const useStyles = makeStyles({
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalL },
  icon: {
    display: 'grid',
    placeItems: 'center',
    flexShrink: 0,
    width: '48px',
    height: '48px',
    borderRadius: tokens.borderRadiusCircular,
    backgroundColor: tokens.colorBrandBackground2,
    color: tokens.colorBrandForeground2,
  },
  lines: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  big: {
    fontSize: tokens.fontSizeHero700,
    lineHeight: tokens.lineHeightHero700,
    fontWeight: tokens.fontWeightSemibold,
  },
  soon: { color: tokens.colorStatusWarningForeground1 },
  urgent: { color: tokens.colorStatusDangerForeground1 },
  past: { color: tokens.colorStatusDangerForeground1 },
  calm: {},
  muted: { color: tokens.colorNeutralForeground2 },
});

export interface CountdownCardProps {
  migration: Migration;
  /** The operator's zone when it differs from the platform's. */
  operatorTimeZone: string | null;
}

/** "20 days 4 hours left — cut-off Tue 15 Dec 2026, 23:59 EST", and the same instant in the operator's zone. */
export function CountdownCard({ migration, operatorTimeZone }: CountdownCardProps) {
  const styles = useStyles();
  const now = useNow(60_000);
  const countdown = formatCountdown(migration.cutoffAt, now);
  const platformTime = formatInstant(migration.cutoffAt, migration.timezone) ?? migration.cutoffAt;
  const operatorTime = operatorTimeZone === null ? null : formatInstant(migration.cutoffAt, operatorTimeZone);
  return (
    <Card title="Cut-off" testId="countdown">
      <div className={styles.row}>
        <div className={styles.icon} aria-hidden="true">
          <CalendarClock24Regular />
        </div>
        <div className={styles.lines}>
          <Text className={mergeClasses(styles.big, styles[countdown.tone])} data-testid="countdown-text">
            {countdown.text}
          </Text>
          <Text>
            {countdown.tone === 'past' ? 'The cut-off was' : 'Cut-off'} <strong>{platformTime}</strong> (
            {migration.timezone}, the platform’s time zone)
          </Text>
          {operatorTime !== null && (
            <Text className={styles.muted} data-testid="countdown-operator">
              Your time: {operatorTime}
              {/* "… 04:59 UTC" already names the zone; "Europe/Paris" after "CET" still helps. */}
              {operatorTimeZone === null || operatorTime.endsWith(` ${operatorTimeZone}`)
                ? ''
                : ` (${operatorTimeZone})`}
            </Text>
          )}
          <Text size={200} className={styles.muted}>
            After it, {migration.platformName} disconnects every calendar still on Outlook REST v2.0.
          </Text>
        </div>
      </div>
    </Card>
  );
}
