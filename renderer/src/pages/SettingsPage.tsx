import { makeStyles, MessageBar, MessageBarBody, Spinner, tokens } from '@fluentui/react-components';
import { useEffect, type ReactNode } from 'react';
import { AboutConsole } from './settings/AboutConsole.tsx';
import { DataFolder } from './settings/DataFolder.tsx';
import { GeneralSettings } from './settings/GeneralSettings.tsx';
import { PlatformSettings } from './settings/PlatformSettings.tsx';
import { SignInSettings } from './settings/SignInSettings.tsx';
import { ThemePicker } from './settings/ThemePicker.tsx';
import { clearSaveOutcomes, useSettings } from './settings/use-settings.ts';
import { VerificationSettings } from './settings/VerificationSettings.tsx';

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
  useEffect(() => clearSaveOutcomes, []);
  const { settings, loadError, accept } = useSettings();
  return (
    <div className={styles.grid}>
      <Section id="settings-appearance" title="Appearance">
        <ThemePicker />
      </Section>
      {settings === null ? (
        loadError === null ? (
          <Spinner size="small" label="Loading settings…" />
        ) : (
          <MessageBar intent="error" layout="multiline">
            <MessageBarBody>The settings could not be read: {loadError}</MessageBarBody>
          </MessageBar>
        )
      ) : (
        <>
          <Section id="settings-platform" title="Career platform">
            <PlatformSettings settings={settings} accept={accept} />
          </Section>
          <Section id="settings-sign-in" title="Sign-in (Microsoft Entra ID)">
            {/* Keyed by the saved values: a change (here or in another window) resets the form to them. */}
            <SignInSettings key={JSON.stringify(settings.signIn)} settings={settings} accept={accept} />
          </Section>
          <Section id="settings-verification" title="Verification (Microsoft Graph)">
            <VerificationSettings />
          </Section>
          <Section id="settings-university" title="University">
            <GeneralSettings
              key={`${settings.universityName}|${settings.helpArticleUrl}|${settings.refreshIntervalMinutes}`}
              settings={settings}
              accept={accept}
            />
          </Section>
          <Section id="settings-data" title="Data folder and secrets">
            <DataFolder settings={settings} />
          </Section>
        </>
      )}
      <Section id="settings-about" title="About this console">
        <AboutConsole />
      </Section>
    </div>
  );
}
