import { makeStyles, Spinner } from '@fluentui/react-components';
import type { ConsoleClient } from '../api/client.ts';
import { useJobNotices } from '../pages/jobs/use-job-notices.ts';
import { PAGES } from '../pages/registry.ts';
import { usePreferencesStore } from '../state/preferences-store.ts';
import { ThemeRoot } from '../theme/ThemeRoot.tsx';
import { ClientContext } from './client-context.ts';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { Shell } from './Shell.tsx';
import { useConsoleBootstrap } from './use-console-bootstrap.ts';

const useStyles = makeStyles({
  loading: { display: 'grid', placeItems: 'center', height: '100%' },
});

export interface AppProps {
  client: ConsoleClient;
}

export function App({ client }: AppProps) {
  useConsoleBootstrap(client);
  useJobNotices(client);
  const preferences = usePreferencesStore((s) => s.preferences);
  const status = usePreferencesStore((s) => s.status);
  return (
    <ErrorBoundary scope="The console">
      <ClientContext value={client}>
        <ThemeRoot preference={preferences?.theme ?? 'system'}>
          <ErrorBoundary scope="The console">
            {status === 'idle' || status === 'loading' ? <Starting /> : <Shell pages={PAGES} />}
          </ErrorBoundary>
        </ThemeRoot>
      </ClientContext>
    </ErrorBoundary>
  );
}

/**
 * Preferences arrive within a few milliseconds from the local host; waiting for them avoids
 * painting the wrong theme and then flashing to the operator's choice.
 */
function Starting() {
  const styles = useStyles();
  return (
    <div className={styles.loading}>
      <Spinner label="Starting the console…" />
    </div>
  );
}
