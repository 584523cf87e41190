import {
  Button,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import type { Settings } from '../../../../shared/contract/index.ts';
import { useClient } from '../../app/client-context.ts';
import { usePermission } from '../../components/auth/auth-store.ts';
import { useAppInfoStore } from '../../state/app-info-store.ts';
import { FormStatus } from './FormStatus.tsx';
import { PermissionNote } from './PermissionNote.tsx';
import { useSettingsSave } from './use-settings.ts';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

function hostOf(url: string | null): string | null {
  if (url === null) return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/**
 * The career platform's URL and API key. The key is checked with the platform before it is kept,
 * sealed, and never shown again: only its last four characters come back.
 */
export function PlatformSettings({
  settings,
  accept,
}: {
  settings: Settings;
  accept: (next: Settings) => void;
}) {
  const styles = useStyles();
  const client = useClient();
  const allowed = usePermission('settings').allowed;
  const [url, setUrl] = useState(settings.platform.url ?? '');
  const [apiKey, setApiKey] = useState('');
  const { errors, outcome, busy, run } = useSettingsSave(accept, 'platform');
  // The console can be started on another platform for one run (the browser host's --platform-url):
  // then what this form shows is not what the console reads from, and it says so.
  const dataSource = useAppInfoStore((state) => state.dataSource);
  const inUse = dataSource?.kind === 'platform' ? dataSource.label : null;
  const elsewhere = inUse !== null && inUse !== hostOf(settings.platform.url);

  const save = (change: { platformUrl: string | null; apiKey: string | null }, done: string): void =>
    run(
      () => client.settings.setPlatformKey(change),
      done,
      () => setApiKey(''),
    );
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    save(
      { platformUrl: url.trim(), apiKey: apiKey.trim() },
      'The platform accepted the key. The console now reads from it.',
    );
  };

  const key = settings.platform.key;
  return (
    <form className={styles.form} onSubmit={submit} aria-label="Career platform connection">
      <PermissionNote permission="settings" />
      {elsewhere && (
        <MessageBar intent="info" data-testid="platform-in-use">
          <MessageBarBody>
            This run reads from {inUse}, the platform given when the console was started. What is saved here
            applies when it starts without one.
          </MessageBarBody>
        </MessageBar>
      )}
      <Text data-testid="platform-key-state">
        {key.configured
          ? `API key: configured, ends in …${key.endsWith ?? ''}`
          : 'No platform configured: the console shows the demo university.'}
      </Text>
      <Field
        label="Platform API URL"
        hint="Ends in /api/calendar-sync/v1."
        validationMessage={errors.platformUrl}
      >
        <Input
          type="url"
          value={url}
          disabled={!allowed}
          onChange={(_, data) => setUrl(data.value)}
          name="platformUrl"
        />
      </Field>
      <Field
        label={key.configured ? 'New API key' : 'API key'}
        hint="Checked with the platform before it is saved; kept sealed and never shown again."
        validationMessage={errors.apiKey}
      >
        <Input
          type="password"
          autoComplete="off"
          value={apiKey}
          disabled={!allowed}
          onChange={(_, data) => setApiKey(data.value)}
          name="apiKey"
        />
      </Field>
      <FormStatus outcome={outcome} />
      <div className={styles.actions}>
        <Button type="submit" appearance="primary" disabled={!allowed || busy}>
          {busy ? 'Checking…' : 'Check and save'}
        </Button>
        {key.configured && (
          <Button
            disabled={!allowed || busy}
            onClick={() =>
              save({ platformUrl: null, apiKey: null }, 'Disconnected from the platform; the demo is back.')
            }
          >
            Disconnect and use the demo
          </Button>
        )}
      </div>
    </form>
  );
}
