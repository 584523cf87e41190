import type { ThemeName } from '../../../shared/contract/index.ts';

export type ResolvedTheme = 'light' | 'dark' | 'high-contrast';

export interface SystemAppearance {
  prefersDark: boolean;
  /** Windows High Contrast / forced colors: the operator asked the OS for maximum contrast. */
  forcedColors: boolean;
}

/** Which of the three Fluent themes to paint for a preference, given what the OS asks for. */
export function resolveTheme(preference: ThemeName, system: SystemAppearance): ResolvedTheme {
  if (preference !== 'system') return preference;
  if (system.forcedColors) return 'high-contrast';
  return system.prefersDark ? 'dark' : 'light';
}

export const THEME_CHOICES: readonly { value: ThemeName; label: string; description: string }[] = [
  {
    value: 'system',
    label: 'System',
    description: 'Follows your operating system, including high contrast.',
  },
  { value: 'light', label: 'Light', description: 'Dark text on light backgrounds.' },
  { value: 'dark', label: 'Dark', description: 'Light text on dark backgrounds.' },
  { value: 'high-contrast', label: 'High contrast', description: 'Maximum contrast, strong focus outlines.' },
];
