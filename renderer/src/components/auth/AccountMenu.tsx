import {
  Button,
  makeStyles,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Text,
  tokens,
} from '@fluentui/react-components';
import { Person20Regular, SignOut20Regular } from '@fluentui/react-icons';
import { useClient } from '../../app/client-context.ts';
import { errorMessage } from '../../format/errors.ts';
import { useNoticesStore } from '../../state/notices-store.ts';
import { ROLE_LABEL, useAuthStore } from './auth-store.ts';
import { ACCOUNT_CONTROL_ID, SignInDialog } from './SignInDialog.tsx';
import { useAuthEvents } from './use-auth-events.ts';

const useStyles = makeStyles({
  who: { display: 'flex', flexDirection: 'column', lineHeight: tokens.lineHeightBase200, textAlign: 'start' },
  role: { color: tokens.colorNeutralForeground3 },
});

/** The header's account control: sign in, who is signed in with which role, sign out. */
export function AccountMenu() {
  const styles = useStyles();
  const client = useClient();
  useAuthEvents(client);
  const status = useAuthStore((s) => s.status);
  const setDialogOpen = useAuthStore((s) => s.setDialogOpen);
  const push = useNoticesStore((s) => s.push);

  const signOut = (): void => {
    client.auth.signOut({}).then(
      (next) => useAuthStore.getState().apply(next),
      (error: unknown) =>
        push({ key: 'sign-out', intent: 'error', title: 'Sign-out failed', message: errorMessage(error) }),
    );
  };

  const signedIn = status?.state === 'signed-in' && status.account !== null;
  return (
    <>
      {signedIn ? (
        <Menu>
          <MenuTrigger disableButtonEnhancement>
            <Button
              id={ACCOUNT_CONTROL_ID}
              appearance="subtle"
              icon={<Person20Regular />}
              data-testid="account-menu"
            >
              <span className={styles.who}>
                <Text size={200}>{status.account?.name}</Text>
                <Text size={100} className={styles.role}>
                  {ROLE_LABEL[status.role]}
                </Text>
              </span>
            </Button>
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              <MenuItem disabled>
                Signed in as {status.account?.username} ({ROLE_LABEL[status.role]})
              </MenuItem>
              <MenuItem icon={<SignOut20Regular />} onClick={signOut} data-testid="sign-out">
                Sign out
              </MenuItem>
            </MenuList>
          </MenuPopover>
        </Menu>
      ) : (
        <Button
          appearance={status?.state === 'expired' ? 'primary' : 'secondary'}
          icon={<Person20Regular />}
          onClick={() => setDialogOpen(true)}
          id={ACCOUNT_CONTROL_ID}
          data-testid="sign-in"
        >
          {status?.state === 'expired' ? 'Session ended: sign in again' : 'Sign in'}
        </Button>
      )}
      <SignInDialog />
    </>
  );
}
