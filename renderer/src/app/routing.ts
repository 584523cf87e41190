/**
 * Hash routes (`#/users`): they survive a reload, work with back/forward, and need nothing from
 * the host (the Electron `app://` protocol and the browser host both serve one index.html).
 */
export interface RouteTarget {
  id: string;
  path: `/${string}`;
}

/** `#/users?x=1` → `/users`; anything not starting with `#/` is no route at all (''). */
export function pathFromHash(hash: string): string {
  if (!hash.startsWith('#/')) return '';
  const path = hash.slice(1).split(/[?#]/, 1)[0] ?? '';
  // Trailing slashes and letter case are typos, not different pages.
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return trimmed.toLowerCase();
}

export function hashFor(path: string): string {
  return `#${path}`;
}

export type RouteMatch<T extends RouteTarget> =
  { kind: 'page'; page: T } | { kind: 'redirect'; page: T } | { kind: 'not-found'; path: string };

/** An empty route goes to the first page; an unknown one is reported, never silently replaced. */
export function matchRoute<T extends RouteTarget>(path: string, pages: readonly T[]): RouteMatch<T> {
  const first = pages[0];
  if ((path === '' || path === '/') && first) return { kind: 'redirect', page: first };
  const page = pages.find((p) => p.path === path);
  return page ? { kind: 'page', page } : { kind: 'not-found', path };
}

/**
 * Alt+1..9 jumps to the nth page. `code` (the physical key) rather than `key`, so the shortcut is
 * the same on AZERTY and other layouts where Alt+digit types another character.
 */
export function shortcutIndex(
  event: Pick<KeyboardEvent, 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'code'>,
): number | null {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return null;
  const match = /^(?:Digit|Numpad)([1-9])$/.exec(event.code);
  return match?.[1] ? Number(match[1]) - 1 : null;
}
