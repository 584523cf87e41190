import { describe, expect, it } from 'vitest';
import { isPaletteShortcut, paletteQuery } from './palette-search.ts';

describe('command palette search', () => {
  it('accepts "Last, First" as the table shows names', () => {
    expect(paletteQuery('Abara, Andrés')).toBe('Abara Andrés');
    expect(paletteQuery('  van der Berg ,  Anna ')).toBe('van der Berg Anna');
    expect(paletteQuery('u_01HF')).toBe('u_01HF');
  });

  it('opens on Ctrl+K or Cmd+K only', () => {
    const key = (k: Partial<KeyboardEvent>) => ({
      key: 'k',
      ctrlKey: false,
      metaKey: false,
      altKey: false,
      shiftKey: false,
      ...k,
    });
    expect(isPaletteShortcut(key({ ctrlKey: true }))).toBe(true);
    expect(isPaletteShortcut(key({ metaKey: true, key: 'K' }))).toBe(true);
    expect(isPaletteShortcut(key({}))).toBe(false);
    expect(isPaletteShortcut(key({ ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(isPaletteShortcut(key({ ctrlKey: true, key: 'j' }))).toBe(false);
  });
});
