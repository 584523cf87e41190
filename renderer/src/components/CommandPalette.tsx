import {
  Dialog,
  DialogBody,
  DialogSurface,
  DialogTitle,
  Input,
  makeStyles,
  Text,
  tokens,
} from '@fluentui/react-components';
import { Search20Regular } from '@fluentui/react-icons';
import { useEffect, useId, useRef, useState } from 'react';
import type { MethodOutput } from '../../../shared/contract/index.ts';
import { useClient } from '../app/client-context.ts';
import { errorMessage } from '../format/errors.ts';
import { STATUS_LABEL } from '../pages/users/labels.ts';
import { useUserDetailStore } from '../state/user-detail-store.ts';
import { isPaletteShortcut, paletteQuery } from './palette-search.ts';

type Found = MethodOutput<'support.findUsers'>['items'][number];

const useStyles = makeStyles({
  surface: { maxWidth: '560px', width: 'calc(100vw - 48px)' },
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    maxHeight: '50vh',
    overflowY: 'auto',
    marginTop: tokens.spacingVerticalS,
  },
  option: {
    display: 'flex',
    flexDirection: 'column',
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    borderRadius: tokens.borderRadiusMedium,
    cursor: 'pointer',
  },
  active: {
    backgroundColor: tokens.colorNeutralBackground1Selected,
    outline: `2px solid ${tokens.colorStrokeFocus2}`,
  },
  muted: { color: tokens.colorNeutralForeground2 },
});

const DEBOUNCE_MS = 150;

/**
 * Ctrl+K from anywhere: find a user by name ("Last, First" as the table shows it, or "First
 * Last"), email or id, and open their detail page. A combobox: arrows move, Enter opens, Escape closes.
 */
export function CommandPalette() {
  const styles = useStyles();
  const client = useClient();
  const openUser = useUserDetailStore((s) => s.open);
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [answer, setAnswer] = useState<{ q: string; items: Found[]; error: string | null } | null>(null);
  const [active, setActive] = useState(0);
  const listId = useId();
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isPaletteShortcut(e)) return;
      e.preventDefault();
      setOpen(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const q = paletteQuery(text);
  useEffect(() => {
    if (!open || q === '') return;
    let live = true;
    const timer = setTimeout(() => {
      client.support.findUsers({ q, limit: 10 }).then(
        (reply) => live && (setAnswer({ q, items: reply.items, error: null }), setActive(0)),
        (error: unknown) => live && setAnswer({ q, items: [], error: errorMessage(error) }),
      );
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, open, q]);

  const items = answer !== null && answer.q === q ? answer.items : [];
  const close = () => {
    setOpen(false);
    setText('');
    setAnswer(null);
  };
  const choose = (user: Found | undefined) => {
    if (!user) return;
    close();
    openUser(user.userId);
  };
  const optionId = (i: number) => `${listId}-opt-${i}`;

  // Mounted only while open: a closed Fluent dialog still plants focus-trap sentinels in <body>.
  if (!open) return null;
  return (
    <Dialog open onOpenChange={(_e, data) => !data.open && close()}>
      <DialogSurface className={styles.surface} aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>Find a user</DialogTitle>
          <div>
            <Input
              ref={inputRef}
              autoFocus
              contentBefore={<Search20Regular />}
              value={text}
              placeholder="Name (Last, First), email or user id"
              aria-label="Find a user by name, email or id"
              role="combobox"
              aria-expanded={items.length > 0}
              aria-controls={listId}
              aria-autocomplete="list"
              aria-activedescendant={items.length > 0 ? optionId(active) : undefined}
              data-testid="palette-input"
              onChange={(_e, d) => setText(d.value)}
              onKeyDown={(e) => {
                if (e.key === 'ArrowDown') {
                  e.preventDefault();
                  setActive((a) => Math.min(items.length - 1, a + 1));
                } else if (e.key === 'ArrowUp') {
                  e.preventDefault();
                  setActive((a) => Math.max(0, a - 1));
                } else if (e.key === 'Enter') {
                  e.preventDefault();
                  choose(items[active]);
                }
              }}
            />
            <ul id={listId} role="listbox" aria-label="Matching users" className={styles.list}>
              {items.map((u, i) => (
                <li
                  key={u.userId}
                  id={optionId(i)}
                  role="option"
                  aria-selected={i === active}
                  className={`${styles.option} ${i === active ? styles.active : ''}`}
                  data-testid="palette-option"
                  data-user-id={u.userId}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => choose(u)}
                >
                  <Text weight="semibold">{u.name || u.email}</Text>
                  <Text size={200} className={styles.muted}>
                    {u.email} · {STATUS_LABEL[u.status as keyof typeof STATUS_LABEL] ?? u.status} · {u.userId}
                  </Text>
                </li>
              ))}
            </ul>
            {q !== '' && answer?.q === q && items.length === 0 && (
              <Text className={styles.muted} role="status">
                {answer.error ?? 'No user matches.'}
              </Text>
            )}
          </div>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
