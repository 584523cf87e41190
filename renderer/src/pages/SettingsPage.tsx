import { makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { AboutConsole } from './settings/AboutConsole.tsx';
import { ThemePicker } from './settings/ThemePicker.tsx';

const useStyles = makeStyles({
  grid: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '760px' },
  card: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: `${tokens.spacingVerticalXL} ${tokens.spacingHorizontalXXL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow2,
  },
  heading: {
    margin: 0,
    fontSize: tokens.fontSizeBase500,
    lineHeight: tokens.lineHeightBase500,
    fontWeight: tokens.fontWeightSemibold,
  },
});

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  const styles = useStyles();
  return (
    <section className={styles.card} aria-labelledby={id}>
      <h2 id={id} className={styles.heading}>
        {title}
      </h2>
      {children}
    </section>
  );
}

export function SettingsPage() {
  const styles = useStyles();
  return (
    <div className={styles.grid}>
      <Section id="settings-appearance" title="Appearance">
        <ThemePicker />
      </Section>
      <Section id="settings-about" title="About this console">
        <AboutConsole />
      </Section>
    </div>
  );
}
