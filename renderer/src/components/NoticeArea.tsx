import {
  Button,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  tokens,
} from '@fluentui/react-components';
import { Dismiss20Regular } from '@fluentui/react-icons';
import { useNoticesStore } from '../state/notices-store.ts';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

/** Errors and warnings from anywhere in the console, shown until dismissed. */
export function NoticeArea() {
  const styles = useStyles();
  const notices = useNoticesStore((s) => s.notices);
  const dismiss = useNoticesStore((s) => s.dismiss);
  if (notices.length === 0) return null;
  return (
    <div className={styles.root}>
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
  );
}
