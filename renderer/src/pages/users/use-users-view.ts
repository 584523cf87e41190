import { useCallback, useEffect, useState } from 'react';
import { useNoticesStore } from '../../state/notices-store.ts';
import {
  formatUsersQuery,
  parseUsersQuery,
  queryFromHash,
  type UsersViewState,
} from '../../state/roster-url.ts';

const NOTICE_KEY = 'users-url';

function readView(win: Window): UsersViewState {
  const parsed = parseUsersQuery(queryFromHash(win.location.hash));
  const notices = useNoticesStore.getState();
  if (parsed.problems.length > 0) {
    notices.push({
      key: NOTICE_KEY,
      intent: 'warning',
      title: 'Part of the address was ignored',
      message: parsed.problems.join(' '),
    });
  } else {
    notices.dismiss(NOTICE_KEY);
  }
  return { filter: parsed.filter, sort: parsed.sort };
}

/**
 * The Users view's filter and sort, kept in the hash query. Changes made on the page rewrite the
 * address in place (no history entry per keystroke); links, back/forward and typed addresses
 * arrive through `hashchange` and replace the view.
 */
export function useUsersView(win: Window = window): [UsersViewState, (next: UsersViewState) => void] {
  const [view, setView] = useState<UsersViewState>(() => readView(win));

  useEffect(() => {
    const onHash = () => {
      if (!win.location.hash.toLowerCase().startsWith('#/users')) return;
      setView(readView(win));
    };
    win.addEventListener('hashchange', onHash);
    return () => win.removeEventListener('hashchange', onHash);
  }, [win]);

  const update = useCallback(
    (next: UsersViewState) => {
      const query = formatUsersQuery(next);
      win.history.replaceState(win.history.state, '', query === '' ? '#/users' : `#/users?${query}`);
      useNoticesStore.getState().dismiss(NOTICE_KEY);
      setView(next);
    },
    [win],
  );
  return [view, update];
}
