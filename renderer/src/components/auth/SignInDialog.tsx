import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { SignInFlow } from '../../../../shared/contract/index.ts';
import { useClient } from '../../app/client-context.ts';
import { errorMessage } from '../../format/errors.ts';
import { formatInstantForOperator, formatTimeOfDay } from '../../../../shared/time/instant-format.ts';
import { browserTimeZone } from '../../pages/dashboard/countdown.ts';
import { useDashboardStore } from '../../state/dashboard-store.ts';
import { errorKey, useAuthStore } from './auth-store.ts';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  code: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeHero700,
    letterSpacing: '0.1em',
  },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  // The whole row, right-aligned: in Fluent's default column three buttons wrapped to three lines each.
  actions: { justifyContent: 'flex-end', flexWrap: 'wrap' },
});

/**
 * Both sign-in flows, the code to type for the device flow, and every failure with its message
 * and a retry. Closing it never cancels a page's unsent work: it only sits over the page.
 */
/** The header's account button (sign in, or the account menu): where focus returns when the dialog closes. */
export const ACCOUNT_CONTROL_ID = 'account-control';

export function SignInDialog() {
  const styles = useStyles();
  const client = useClient();
  const open = useAuthStore((s) => s.dialogOpen);
  const setDialogOpen = useAuthStore((s) => s.setDialogOpen);
  const setOpen = (next: boolean): void => {
    setDialogOpen(next);
    if (!next) {
      setCallError(null);
      setCopied('idle');
      setCancelledHere(false);
    }
    // The button that opened the dialog is replaced once signed in; without a focus target the
    // modal's focus trap would leave the page hidden from assistive technology.
    if (!next) setTimeout(() => document.getElementById(ACCOUNT_CONTROL_ID)?.focus(), 0);
  };
  const status = useAuthStore((s) => s.status);
  const seenError = useAuthStore((s) => s.seenError);
  const [callError, setCallError] = useState<string | null>(null);
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  // Cancel shows at once, before the core's answer arrives.
  const [cancelledHere, setCancelledHere] = useState(false);
  const platformZone = useDashboardStore((s) => s.migration?.timezone ?? null);
  // A device code's expiry is shown in the platform's zone: asked once if no page has loaded it yet
  // (the dialog opens from Settings too, where nothing else needs the migration's facts).
  useEffect(() => {
    if (!open) return;
    const store = useDashboardStore.getState();
    if (store.migration === null && !store.loading) void store.load(client);
  }, [client, open]);

  const start = (flow: SignInFlow): void => {
    setCallError(null);
    setCancelledHere(false);
    setCopied('idle');
    const applied = useAuthStore.getState().applied;
    client.auth.signIn({ flow }).then(
      (next) => useAuthStore.getState().applyReply(next, applied),
      (error: unknown) => setCallError(errorMessage(error)),
    );
  };
  const cancel = (): void => {
    setCallError(null);
    setCancelledHere(true);
    const applied = useAuthStore.getState().applied;
    client.auth.cancel({}).then(
      (next) => useAuthStore.getState().applyReply(next, applied),
      (error: unknown) => setCallError(errorMessage(error)),
    );
  };
  const close = (): void => {
    if (status?.pending) cancel();
    setOpen(false);
  };

  const pending = cancelledHere ? null : (status?.pending ?? null);
  const signedIn = status?.state === 'signed-in';
  const deviceCode = pending?.deviceCode ?? null;
  // Cancelling is not a failure, and a failure from before the dialog was (re)opened is not news.
  const lastError = status?.lastError ?? null;
  const cancelled = cancelledHere || lastError?.code === 'cancelled';
  const failure =
    callError ??
    (lastError !== null && !cancelled && errorKey(status) !== seenError ? lastError.message : null);
  const showCancelled =
    !pending &&
    !signedIn &&
    callError === null &&
    (cancelledHere || (lastError?.code === 'cancelled' && errorKey(status) !== seenError));
  const operatorZone = browserTimeZone();
  const expiry =
    deviceCode === null
      ? null
      : formatInstantForOperator(
          deviceCode.expiresAt,
          platformZone ?? operatorZone ?? 'UTC',
          operatorZone,
          formatTimeOfDay,
        );
  const identityMissing = status?.identity.kind === 'none';

  // Mounted only while open: a closed Fluent modal dialog can still leave its focus trap's
  // aria-hidden on the app root, which hides the whole console from assistive technology.
  if (!open) return null;
  return (
    <Dialog open={open} onOpenChange={(_, data) => (data.open ? setOpen(true) : close())} modalType="modal">
      <DialogSurface aria-describedby="sign-in-intro">
        <DialogBody>
          <DialogTitle>
            {status?.state === 'expired' ? 'Your session has ended' : 'Sign in to the console'}
          </DialogTitle>
          <DialogContent className={styles.content}>
            <Text id="sign-in-intro">
              {status?.state === 'expired'
                ? 'Sign in again to carry on: the page behind this dialog and anything you have not sent stay as they are.'
                : status?.identity.kind === 'demo'
                  ? 'The demo identity provider stands in for Microsoft Entra ID: choose Demo director or Demo support on its page.'
                  : 'Sign in with your Microsoft 365 work account. Your role in the console comes from the app roles your administrator assigned.'}
            </Text>
            {identityMissing && (
              <MessageBar intent="warning" layout="multiline">
                <MessageBarBody>{status?.identity.detail}</MessageBarBody>
              </MessageBar>
            )}
            {failure !== null && !pending && (
              <MessageBar intent="error" layout="multiline" data-testid="sign-in-error">
                <MessageBarBody>
                  <MessageBarTitle>Sign-in did not finish</MessageBarTitle>
                  {failure}
                </MessageBarBody>
              </MessageBar>
            )}
            {showCancelled && (
              <Text role="status" data-testid="sign-in-cancelled">
                Sign-in cancelled. Nothing changed; sign in whenever you are ready.
              </Text>
            )}
            {signedIn && status.account && (
              <MessageBar intent="success" layout="multiline">
                <MessageBarBody>
                  Signed in as {status.account.name} ({status.account.username}).
                </MessageBarBody>
              </MessageBar>
            )}
            {pending?.flow === 'browser' && (
              <div className={styles.content} role="status">
                <Spinner size="tiny" label="Waiting for you to finish in the browser…" />
                {pending.authorizeUrl !== null && (
                  <div className={styles.row}>
                    <Text>If no sign-in page opened:</Text>
                    <Button
                      appearance="secondary"
                      data-testid="open-sign-in-page"
                      onClick={() =>
                        void window.open(pending.authorizeUrl ?? '', '_blank', 'noopener,noreferrer')
                      }
                    >
                      Open the sign-in page
                    </Button>
                  </div>
                )}
              </div>
            )}
            {pending?.flow === 'deviceCode' && (
              <div className={styles.content} role="status">
                {deviceCode === null ? (
                  <Spinner size="tiny" label="Asking for a sign-in code…" />
                ) : (
                  <>
                    <Text>
                      On any device, open <strong>{deviceCode.verificationUri}</strong> and enter this code:
                    </Text>
                    <div className={styles.row}>
                      <span className={styles.code} data-testid="device-code">
                        {deviceCode.userCode}
                      </span>
                      <Button
                        onClick={() =>
                          void navigator.clipboard.writeText(deviceCode.userCode).then(
                            () => setCopied('copied'),
                            () => setCopied('failed'),
                          )
                        }
                      >
                        {copied === 'copied' ? 'Copied' : 'Copy code'}
                      </Button>
                    </div>
                    {copied === 'failed' && (
                      <Text role="status" size={200}>
                        The clipboard is not available here: select the code and press Ctrl+C (⌘C on a Mac).
                      </Text>
                    )}
                    <Text size={200} data-testid="device-code-expiry">
                      The code works until {expiry}.
                    </Text>
                  </>
                )}
              </div>
            )}
          </DialogContent>
          <DialogActions fluid className={styles.actions}>
            {pending ? (
              <Button onClick={cancel} data-testid="cancel-sign-in">
                Cancel sign-in
              </Button>
            ) : signedIn ? (
              <Button appearance="primary" onClick={() => setOpen(false)}>
                Done
              </Button>
            ) : (
              <>
                <Button
                  appearance="primary"
                  disabled={identityMissing}
                  onClick={() => start('browser')}
                  data-testid="sign-in-browser"
                >
                  {failure ? 'Try again in the browser' : 'Sign in with the browser'}
                </Button>
                <Button
                  disabled={identityMissing}
                  onClick={() => start('deviceCode')}
                  data-testid="sign-in-code"
                >
                  Sign in with a code
                </Button>
                <Button appearance="subtle" onClick={() => setOpen(false)}>
                  Close
                </Button>
              </>
            )}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
