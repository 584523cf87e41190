// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import {
  EMPTY_SELECTION,
  isSelected,
  rangeBounds,
  reconcile,
  selectAllMatching,
  selectedCount,
  selectOnly,
  selectRange,
  toggle,
} from './roster-selection.ts';

describe('selection', () => {
  it('click selects one, Ctrl-click toggles without losing the rest', () => {
    let s = selectOnly('u1', 0);
    s = toggle(s, 'u3', 2);
    expect(selectedCount(s)).toBe(2);
    s = toggle(s, 'u1', 0);
    expect(isSelected(s, 'u1')).toBe(false);
    expect(isSelected(s, 'u3')).toBe(true);
    expect(s.anchor).toBe(0);
  });

  it('shift ranges pivot on the anchor in either direction', () => {
    expect(rangeBounds(5, 2)).toEqual([2, 5]);
    expect(rangeBounds(2, 5)).toEqual([2, 5]);
    expect(rangeBounds(null, 4)).toEqual([4, 4]);
    const start = selectOnly('u5', 5);
    const replaced = selectRange(toggle(start, 'u9', 9), ['u2', 'u3', 'u4', 'u5'], false);
    expect([...(replaced.kind === 'ids' ? replaced.ids : [])]).toEqual(['u2', 'u3', 'u4', 'u5']);
    const added = selectRange(toggle(start, 'u9', 9), ['u2', 'u3'], true);
    expect(selectedCount(added)).toBe(4);
  });

  it('"all matching" is the filter minus exceptions, not a list of ids', () => {
    let s = selectAllMatching({ status: ['legacy'] }, 80_000);
    expect(selectedCount(s)).toBe(80_000);
    expect(isSelected(s, 'anyone')).toBe(true);
    s = toggle(s, 'u7', 7);
    expect(selectedCount(s)).toBe(79_999);
    expect(isSelected(s, 'u7')).toBe(false);
    s = selectRange(s, ['u6', 'u7', 'u8'], false);
    expect(selectedCount(s)).toBe(80_000);
    expect(s.kind === 'matching' && s.filter).toEqual({ status: ['legacy'] });
  });

  it('follows the total for the same filter and is dropped for another', () => {
    const s = selectAllMatching({ role: ['student'] }, 10);
    expect(selectedCount(reconcile(s, 'role=student', 'role=student', 12))).toBe(12);
    expect(reconcile(s, 'role=student', 'role=alumni', 12)).toBe(EMPTY_SELECTION);
    const ids = selectOnly('u1', 0);
    expect(reconcile(ids, '', 'role=alumni', 3)).toBe(ids);
  });
});
