import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
} from '@fluentui/react-components';
import { useClient } from './client-context.ts';
import { useAppInfoStore } from '../state/app-info-store.ts';
import { usePreferencesStore } from '../state/preferences-store.ts';

/** What went wrong while starting up, each with a retry: the page around it keeps working. */
export function LoadProblems() {
  const client = useClient();
  const infoError = useAppInfoStore((s) => s.error);
  const reloadInfo = useAppInfoStore((s) => s.load);
  const prefsError = usePreferencesStore((s) => s.error);
  const reloadPrefs = usePreferencesStore((s) => s.load);
  return (
    <>
      {infoError !== null && (
        <MessageBar intent="error" layout="multiline" data-testid="app-info-error">
          <MessageBarBody>
            <MessageBarTitle>Could not read the console's status</MessageBarTitle>
            {infoError}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => void reloadInfo(client)}>Try again</Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {prefsError !== null && (
        <MessageBar intent="warning" layout="multiline" data-testid="preferences-error">
          <MessageBarBody>
            <MessageBarTitle>Your preferences could not be loaded</MessageBarTitle>
            {prefsError} The console uses the system theme until they load.
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => void reloadPrefs(client)}>Try again</Button>
          </MessageBarActions>
        </MessageBar>
      )}
    </>
  );
}
