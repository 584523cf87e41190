import { describe, expect, it } from 'vitest';
import { offsetOf } from './positions.ts';

describe('offsetOf', () => {
  it('finds a line and column, and clamps past the end of a line or text', () => {
    const text = 'ab\ncdef\n\ng';
    expect(offsetOf(text, 1, 1)).toBe(0);
    expect(offsetOf(text, 2, 3)).toBe(5);
    expect(text[offsetOf(text, 2, 3)]).toBe('e');
    expect(offsetOf(text, 2, 99)).toBe(7);
    expect(offsetOf(text, 4, 1)).toBe(9);
    expect(offsetOf(text, 9, 1)).toBe(text.length);
  });
});
