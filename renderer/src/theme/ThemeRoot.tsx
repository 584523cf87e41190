import { FluentProvider, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, type ReactNode } from 'react';
import type { ThemeName } from '../../../shared/contract/index.ts';
import { COLOR_SCHEME, FLUENT_THEMES } from './fluent-themes.ts';
import { resolveTheme } from './resolve-theme.ts';
import { useSystemAppearance } from './use-system-appearance.ts';

const useStyles = makeStyles({
  root: {
    height: '100%',
    backgroundColor: tokens.colorNeutralBackground3,
    color: tokens.colorNeutralForeground1,
    // Fluent copies the provider's class onto every portal's mount node (dialogs, drawers, menus).
    // There it must stay a zero-height, transparent layer, or it hides the page behind a dialog.
    '&[data-portal-node]': { height: 'auto', backgroundColor: 'transparent' },
  },
});

export interface ThemeRootProps {
  preference: ThemeName;
  children: ReactNode;
}

/** Paints the chosen Fluent theme; 'system' follows the OS colour scheme and forced colours live. */
export function ThemeRoot({ preference, children }: ThemeRootProps) {
  const styles = useStyles();
  const system = useSystemAppearance();
  const resolved = resolveTheme(preference, system);

  useEffect(() => {
    const root = document.documentElement;
    // Scrollbars and the page behind the provider follow the theme too; the attributes let
    // end-to-end tests (and stylesheets) see which theme is painted.
    root.style.colorScheme = COLOR_SCHEME[resolved];
    root.dataset.theme = resolved;
    root.dataset.themePreference = preference;
  }, [resolved, preference]);

  return (
    <FluentProvider theme={FLUENT_THEMES[resolved]} className={styles.root}>
      {children}
    </FluentProvider>
  );
}
