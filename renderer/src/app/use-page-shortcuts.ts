import { useEffect } from 'react';
import type { PageDefinition } from '../pages/page-definition.ts';
import { navigate } from '../state/route-store.ts';
import { shortcutIndex } from './routing.ts';

/** Alt+1..9 opens the nth page from anywhere in the window, including inside text fields. */
export function usePageShortcuts(pages: readonly PageDefinition[]): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      const index = shortcutIndex(event);
      if (index === null) return;
      const page = pages[index];
      if (!page) return;
      event.preventDefault();
      navigate(page.path);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [pages]);
}
