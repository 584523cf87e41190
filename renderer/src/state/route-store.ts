import { create } from 'zustand';
import { hashFor, pathFromHash } from '../app/routing.ts';

interface RouteState {
  /** The current route path (`/users`), or '' before the first page is chosen. */
  path: string;
  /** Counts navigations after the first render, so the shell knows when to move focus. */
  navigations: number;
}

export const useRouteStore = create<RouteState>()(() => ({
  path: pathFromHash(window.location.hash),
  navigations: 0,
}));

/** Follows `hashchange` (links, back/forward, typed URLs). Returns the unsubscribe function. */
export function startHashSync(win: Window = window): () => void {
  const onChange = (): void => {
    const path = pathFromHash(win.location.hash);
    if (path === useRouteStore.getState().path) return;
    useRouteStore.setState((s) => ({ path, navigations: s.navigations + 1 }));
  };
  win.addEventListener('hashchange', onChange);
  onChange();
  return () => win.removeEventListener('hashchange', onChange);
}

/** Goes to a route and adds a history entry, as a link would. */
export function navigate(path: string, win: Window = window): void {
  win.location.hash = hashFor(path);
}

/** Rewrites the URL without a history entry (the empty route becoming `#/dashboard`). */
export function replaceRoute(path: string, win: Window = window): void {
  win.history.replaceState(win.history.state, '', hashFor(path));
  useRouteStore.setState({ path });
}
