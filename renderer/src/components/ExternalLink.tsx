import { Link, makeStyles } from '@fluentui/react-components';
import { Open16Regular } from '@fluentui/react-icons';
import type { MouseEvent, ReactNode } from 'react';
import { useClient } from '../app/client-context.ts';
import { useNoticesStore } from '../state/notices-store.ts';
import { openExternal } from './open-external.ts';
import { useVisuallyHiddenStyles } from './visually-hidden.ts';

const useStyles = makeStyles({
  icon: { verticalAlign: 'text-bottom', marginInlineStart: '2px' },
});

export interface ExternalLinkProps {
  href: string;
  children: ReactNode;
}

/** A link to the outside world; a refused link is explained in a notice, never silently dropped. */
export function ExternalLink({ href, children }: ExternalLinkProps) {
  const styles = useStyles();
  const hidden = useVisuallyHiddenStyles();
  const client = useClient();
  const push = useNoticesStore((s) => s.push);
  const onClick = (event: MouseEvent<HTMLAnchorElement>): void => {
    // The real href stays for "copy link address"; the click itself goes through the allowlist.
    event.preventDefault();
    void openExternal(client, href).then((result) => {
      if (!result.opened) {
        push({
          key: `external:${href}`,
          intent: 'warning',
          title: 'Link not opened',
          message: result.message,
        });
      }
    });
  };
  return (
    <Link href={href} onClick={onClick} inline>
      {children}
      <Open16Regular className={styles.icon} aria-hidden="true" />
      <span className={hidden.root}> (opens in your browser)</span>
    </Link>
  );
}
