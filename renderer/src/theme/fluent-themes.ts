import { teamsHighContrastTheme, webDarkTheme, webLightTheme, type Theme } from '@fluentui/react-components';
import type { ResolvedTheme } from './resolve-theme.ts';

export const FLUENT_THEMES: Record<ResolvedTheme, Theme> = {
  light: webLightTheme,
  dark: webDarkTheme,
  'high-contrast': teamsHighContrastTheme,
};

/** What the browser should use for scrollbars and form controls it draws itself. */
export const COLOR_SCHEME: Record<ResolvedTheme, 'light' | 'dark'> = {
  light: 'light',
  dark: 'dark',
  'high-contrast': 'dark',
};
