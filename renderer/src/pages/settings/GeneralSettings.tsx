import { Button, Field, Input, makeStyles, SpinButton, tokens } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import type { Settings } from '../../../../shared/contract/index.ts';
import { useClient } from '../../app/client-context.ts';
import { usePermission } from '../../components/auth/auth-store.ts';
import { FormStatus } from './FormStatus.tsx';
import { PermissionNote } from './PermissionNote.tsx';
import { useSettingsSave } from './use-settings.ts';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

/** University name, help article override and refresh interval; they apply at once. */
export function GeneralSettings({
  settings,
  accept,
}: {
  settings: Settings;
  accept: (next: Settings) => void;
}) {
  const styles = useStyles();
  const client = useClient();
  const allowed = usePermission('settings').allowed;
  const [name, setName] = useState(settings.universityName ?? '');
  const [help, setHelp] = useState(settings.helpArticleUrl ?? '');
  const [minutes, setMinutes] = useState<number>(settings.refreshIntervalMinutes);
  const { errors, outcome, busy, run } = useSettingsSave(accept, 'university');

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    run(
      () =>
        client.settings.update({
          universityName: name.trim() === '' ? null : name.trim(),
          helpArticleUrl: help.trim() === '' ? null : help.trim(),
          refreshIntervalMinutes: minutes,
        }),
      'Saved.',
    );
  };

  return (
    <form className={styles.form} onSubmit={submit} aria-label="University settings">
      <PermissionNote permission="settings" />
      <Field
        label="University name"
        hint="Replaces [UNIVERSITY] in announcements."
        validationMessage={errors.universityName}
      >
        <Input
          value={name}
          disabled={!allowed}
          onChange={(_, data) => setName(data.value)}
          name="universityName"
        />
      </Field>
      <Field
        label="Help article URL"
        hint="Optional: your own re-authorization guide instead of the platform's."
        validationMessage={errors.helpArticleUrl}
      >
        <Input
          type="url"
          value={help}
          disabled={!allowed}
          onChange={(_, data) => setHelp(data.value)}
          name="helpArticleUrl"
        />
      </Field>
      <Field label="Refresh every (minutes)" validationMessage={errors.refreshIntervalMinutes}>
        <SpinButton
          value={minutes}
          min={1}
          max={1440}
          disabled={!allowed}
          onChange={(_, data) => {
            const value = data.value ?? Number(data.displayValue);
            if (Number.isFinite(value)) setMinutes(Math.round(value));
          }}
          name="refreshIntervalMinutes"
        />
      </Field>
      <FormStatus outcome={outcome} />
      <div>
        <Button type="submit" appearance="primary" disabled={!allowed || busy}>
          Save
        </Button>
      </div>
    </form>
  );
}
