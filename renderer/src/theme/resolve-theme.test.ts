import { describe, expect, it } from 'vitest';
import { resolveTheme, THEME_CHOICES } from './resolve-theme.ts';

describe('resolveTheme', () => {
  const plain = { prefersDark: false, forcedColors: false };

  it('honours an explicit choice whatever the OS says', () => {
    expect(resolveTheme('dark', plain)).toBe('dark');
    expect(resolveTheme('light', { prefersDark: true, forcedColors: true })).toBe('light');
    expect(resolveTheme('high-contrast', plain)).toBe('high-contrast');
  });

  it("follows the OS for 'system', forced colours first", () => {
    expect(resolveTheme('system', plain)).toBe('light');
    expect(resolveTheme('system', { prefersDark: true, forcedColors: false })).toBe('dark');
    expect(resolveTheme('system', { prefersDark: false, forcedColors: true })).toBe('high-contrast');
    expect(resolveTheme('system', { prefersDark: true, forcedColors: true })).toBe('high-contrast');
  });

  it('offers every theme the contract allows, once', () => {
    expect(THEME_CHOICES.map((c) => c.value)).toEqual(['system', 'light', 'dark', 'high-contrast']);
  });
});
