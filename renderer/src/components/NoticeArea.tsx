import {
  Button,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Portal,
  tokens,
} from '@fluentui/react-components';
import { Dismiss20Regular } from '@fluentui/react-icons';
import { useNoticesStore } from '../state/notices-store.ts';

const useStyles = makeStyles({
  // Floats over the page's bottom corner: a notice never moves the content under the pointer.
  root: {
    position: 'fixed',
    insetInlineEnd: tokens.spacingHorizontalL,
    bottom: '44px',
    zIndex: 100,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    width: 'min(440px, calc(100vw - 32px))',
    maxHeight: '50vh',
    overflowY: 'auto',
    boxShadow: tokens.shadow16,
    borderRadius: tokens.borderRadiusMedium,
  },
});

/** Errors and warnings from anywhere in the console, shown over the page until dismissed. */
export function NoticeArea() {
  const styles = useStyles();
  const notices = useNoticesStore((s) => s.notices);
  const dismiss = useNoticesStore((s) => s.dismiss);
  if (notices.length === 0) return null;
  // In a portal (Fluent's keeps the theme): the page's notice slot stays empty, so nothing shifts.
  return (
    <Portal>
      <div className={styles.root} role="region" aria-label="Notices" data-testid="notice-area">
        {notices.map((notice) => (
          <MessageBar key={notice.key} intent={notice.intent} layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>{notice.title}</MessageBarTitle>
              {notice.message}
            </MessageBarBody>
            <MessageBarActions
              containerAction={
                <Button
                  appearance="transparent"
                  icon={<Dismiss20Regular />}
                  aria-label={`Dismiss: ${notice.title}`}
                  onClick={() => dismiss(notice.key)}
                />
              }
            />
          </MessageBar>
        ))}
      </div>
    </Portal>
  );
}
