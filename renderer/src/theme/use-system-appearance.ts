import { useSyncExternalStore } from 'react';
import type { SystemAppearance } from './resolve-theme.ts';

const DARK_QUERY = '(prefers-color-scheme: dark)';
const FORCED_QUERY = '(forced-colors: active)';

function query(q: string): MediaQueryList | null {
  // jsdom and some embedded hosts have no matchMedia: treat that as "no preference".
  return typeof window.matchMedia === 'function' ? window.matchMedia(q) : null;
}

function subscribe(onChange: () => void): () => void {
  const lists = [query(DARK_QUERY), query(FORCED_QUERY)].filter((l): l is MediaQueryList => l !== null);
  for (const list of lists) list.addEventListener('change', onChange);
  return () => {
    for (const list of lists) list.removeEventListener('change', onChange);
  };
}

// useSyncExternalStore compares snapshots with Object.is, so encode both flags in one string.
function snapshot(): string {
  return `${query(DARK_QUERY)?.matches === true ? 'dark' : 'light'}|${query(FORCED_QUERY)?.matches === true ? 'forced' : 'normal'}`;
}

/** The OS colour preferences, live: switching the OS to dark or high contrast re-renders at once. */
export function useSystemAppearance(): SystemAppearance {
  const value = useSyncExternalStore(subscribe, snapshot, () => 'light|normal');
  const [scheme, forced] = value.split('|');
  return { prefersDark: scheme === 'dark', forcedColors: forced === 'forced' };
}
