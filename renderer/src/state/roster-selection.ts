import type { RosterFilter } from '../../../shared/contract/index.ts';

/**
 * Which users the operator has picked in the Users table. Two shapes, because "all 80,000
 * matching users" must not become 80,000 ids in memory (nor go stale when the roster changes):
 * - `ids`: the users clicked one by one or by range.
 * - `matching`: every user the filter matches now, minus the ones unticked since; kept as the
 *   filter itself, so a bulk action later sends the filter, not a list.
 * Pure functions over immutable values: the table re-renders by identity.
 */
export type Selection =
  | { kind: 'ids'; ids: ReadonlySet<string>; anchor: number | null }
  | {
      kind: 'matching';
      filter: RosterFilter;
      total: number;
      except: ReadonlySet<string>;
      anchor: number | null;
    };

export const EMPTY_SELECTION: Selection = { kind: 'ids', ids: new Set(), anchor: null };

export function isSelected(selection: Selection, userId: string): boolean {
  return selection.kind === 'ids' ? selection.ids.has(userId) : !selection.except.has(userId);
}

export function selectedCount(selection: Selection): number {
  return selection.kind === 'ids' ? selection.ids.size : Math.max(0, selection.total - selection.except.size);
}

/** Plain click: this user only. */
export function selectOnly(userId: string, index: number): Selection {
  return { kind: 'ids', ids: new Set([userId]), anchor: index };
}

/** Ctrl/Cmd-click or Space: flip one user, keep the rest. */
export function toggle(selection: Selection, userId: string, index: number): Selection {
  if (selection.kind === 'matching') {
    const except = new Set(selection.except);
    if (except.has(userId)) except.delete(userId);
    else except.add(userId);
    return { ...selection, except, anchor: index };
  }
  const ids = new Set(selection.ids);
  if (ids.has(userId)) ids.delete(userId);
  else ids.add(userId);
  return { kind: 'ids', ids, anchor: index };
}

/** The inclusive row range a shift-click covers: from the anchor (or the row itself) to the row. */
export function rangeBounds(anchor: number | null, index: number): [number, number] {
  const from = anchor ?? index;
  return from <= index ? [from, index] : [index, from];
}

/**
 * Shift-click: the users of rows `rangeBounds(anchor, index)`, given in `rangeIds`, join the
 * selection (Ctrl+Shift, `additive`) or replace it (plain Shift, as in a file manager). The
 * anchor stays put so further shift-clicks pivot around it.
 */
export function selectRange(selection: Selection, rangeIds: readonly string[], additive: boolean): Selection {
  if (selection.kind === 'matching') {
    // Everything matching is already in; a range can only take rows back out of the exceptions.
    const except = new Set(selection.except);
    for (const id of rangeIds) except.delete(id);
    return { ...selection, except };
  }
  const ids = additive ? new Set(selection.ids) : new Set<string>();
  for (const id of rangeIds) ids.add(id);
  return { kind: 'ids', ids, anchor: selection.anchor };
}

export function selectAllMatching(filter: RosterFilter, total: number): Selection {
  return { kind: 'matching', filter, total, except: new Set(), anchor: null };
}

/**
 * The roster or the filter changed. A by-filter selection follows the new total when the filter is
 * the same and is dropped otherwise: "all matching" of another filter would select other people.
 * Picked ids stay (they are still the same people).
 */
export function reconcile(
  selection: Selection,
  filterKey: string,
  currentKey: string,
  total: number,
): Selection {
  if (selection.kind === 'ids') return selection;
  if (filterKey !== currentKey) return EMPTY_SELECTION;
  return selection.total === total ? selection : { ...selection, total };
}
