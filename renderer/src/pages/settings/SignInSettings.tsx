import { Button, Field, Input, makeStyles, tokens } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import type { Settings } from '../../../../shared/contract/index.ts';
import { useClient } from '../../app/client-context.ts';
import { usePermission } from '../../components/auth/auth-store.ts';
import { AppRegistrationSteps } from './AppRegistrationSteps.tsx';
import { FormStatus } from './FormStatus.tsx';
import { PermissionNote } from './PermissionNote.tsx';
import { useSettingsSave } from './use-settings.ts';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

/** Tenant, client id and scopes. Saving signs the operator out: old tokens belong to the old app. */
export function SignInSettings({
  settings,
  accept,
}: {
  settings: Settings;
  accept: (next: Settings) => void;
}) {
  const styles = useStyles();
  const client = useClient();
  const allowed = usePermission('sign-in-setup').allowed;
  const [authority, setAuthority] = useState(settings.signIn.authority ?? '');
  const [clientId, setClientId] = useState(settings.signIn.clientId ?? '');
  const [scopes, setScopes] = useState(settings.signIn.scopes.join(' '));
  const { errors, outcome, busy, run } = useSettingsSave(accept, 'sign-in');

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    run(
      () =>
        client.settings.setSignIn({
          authority: authority.trim() === '' ? null : authority.trim(),
          clientId: clientId.trim() === '' ? null : clientId.trim(),
          scopes: scopes.split(/[\s,]+/).filter((scope) => scope !== ''),
        }),
      'Saved. Sign in again to use the new configuration.',
    );
  };

  return (
    <form className={styles.form} onSubmit={submit} aria-label="Sign-in settings">
      <PermissionNote permission="sign-in-setup" />
      <Field
        label="Microsoft tenant"
        hint="Directory (tenant) id, a domain such as university.onmicrosoft.com, or an authority URL. Empty: the demo identity provider while the demo runs."
        validationMessage={errors.authority}
      >
        <Input
          value={authority}
          disabled={!allowed}
          onChange={(_, data) => setAuthority(data.value)}
          name="authority"
        />
      </Field>
      <Field
        label="Application (client) id"
        hint="From the console’s app registration in Microsoft Entra ID: see the steps below the form."
        validationMessage={errors.clientId}
      >
        <Input
          value={clientId}
          disabled={!allowed}
          onChange={(_, data) => setClientId(data.value)}
          name="clientId"
        />
      </Field>
      <Field
        label="Scopes"
        hint="Separated by spaces. Sending announcements needs Mail.Send."
        validationMessage={errors.scopes}
      >
        <Input
          value={scopes}
          disabled={!allowed}
          onChange={(_, data) => setScopes(data.value)}
          name="scopes"
        />
      </Field>
      <FormStatus outcome={outcome} />
      <div>
        <Button type="submit" appearance="primary" disabled={!allowed || busy}>
          {busy ? 'Saving…' : 'Save sign-in settings'}
        </Button>
      </div>
      <AppRegistrationSteps />
    </form>
  );
}
