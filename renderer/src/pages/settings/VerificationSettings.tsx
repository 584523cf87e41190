import {
  Button,
  Field,
  Input,
  makeStyles,
  Radio,
  RadioGroup,
  Text,
  Textarea,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState, type FormEvent } from 'react';
import type { VerificationAccessState } from '../../../../shared/contract/index.ts';
import { useClient } from '../../app/client-context.ts';
import { usePermission } from '../../components/auth/auth-store.ts';
import { errorMessage } from '../../format/errors.ts';
import { FormStatus, type FormOutcome } from './FormStatus.tsx';
import { PermissionNote } from './PermissionNote.tsx';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

/**
 * Settings → Verification: the app registration verification reads calendars with (application
 * permission Calendars.Read): tenant, client id, and a client secret or a certificate. The secret
 * or key is sealed like the platform key and never shown again.
 */
export function VerificationSettings() {
  const styles = useStyles();
  const client = useClient();
  const allowed = usePermission('settings').allowed;
  const [state, setState] = useState<VerificationAccessState | null>(null);
  const [tenant, setTenant] = useState('');
  const [clientId, setClientId] = useState('');
  const [kind, setKind] = useState<'secret' | 'certificate'>('secret');
  const [secret, setSecret] = useState('');
  const [privateKey, setPrivateKey] = useState('');
  const [thumbprint, setThumbprint] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<FormOutcome>(null);

  useEffect(() => {
    client.verify.access({}).then(
      (s) => {
        setState(s);
        if (s.kind === 'configured') {
          setTenant(s.authority ?? '');
          setClientId(s.clientId ?? '');
          setKind(s.credential ?? 'secret');
        }
      },
      (error: unknown) => setOutcome({ kind: 'failed', message: errorMessage(error) }),
    );
  }, [client]);

  const save = (change: Parameters<typeof client.verify.setAccess>[0], done: string) => {
    setBusy(true);
    client.verify
      .setAccess(change)
      .then(
        (s) => {
          setState(s);
          setSecret('');
          setPrivateKey('');
          setOutcome({ kind: 'saved', message: done });
        },
        (error: unknown) => setOutcome({ kind: 'failed', message: errorMessage(error) }),
      )
      .finally(() => setBusy(false));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save(
      kind === 'secret'
        ? { tenant: tenant.trim(), clientId: clientId.trim(), clientSecret: secret }
        : {
            tenant: tenant.trim(),
            clientId: clientId.trim(),
            certificatePrivateKey: privateKey,
            certificateThumbprint: thumbprint.trim(),
          },
      'Saved. Verification reads calendars with this app from now on.',
    );
  };

  return (
    <form className={styles.form} onSubmit={submit} aria-label="Verification app">
      <PermissionNote permission="settings" />
      <Text data-testid="verification-access">{state?.detail ?? 'Loading…'}</Text>
      {state?.kind === 'configured' && (
        <Text>
          {state.credential === 'certificate'
            ? `Certificate ${state.certificateThumbprint ?? ''}: ${state.secret.configured ? 'key configured' : 'key missing'}.`
            : `Client secret: ${state.secret.configured ? `configured, ends in …${state.secret.endsWith ?? ''}` : 'missing'}.`}
        </Text>
      )}
      <Field
        label="Tenant"
        hint="Directory (tenant) id, a domain such as contoso.onmicrosoft.com, or an authority URL."
      >
        <Input
          value={tenant}
          disabled={!allowed}
          onChange={(_e, d) => setTenant(d.value)}
          name="verifyTenant"
        />
      </Field>
      <Field
        label="Application (client) id"
        hint="The app registration with the Calendars.Read application permission."
      >
        <Input
          value={clientId}
          disabled={!allowed}
          onChange={(_e, d) => setClientId(d.value)}
          name="verifyClientId"
        />
      </Field>
      <Field label="Credential">
        <RadioGroup
          layout="horizontal"
          value={kind}
          disabled={!allowed}
          onChange={(_e, d) => setKind(d.value === 'certificate' ? 'certificate' : 'secret')}
        >
          <Radio value="secret" label="Client secret" />
          <Radio value="certificate" label="Certificate" />
        </RadioGroup>
      </Field>
      {kind === 'secret' ? (
        <Field label="Client secret" hint="Kept sealed; never shown again.">
          <Input
            type="password"
            autoComplete="off"
            value={secret}
            disabled={!allowed}
            onChange={(_e, d) => setSecret(d.value)}
            name="verifySecret"
          />
        </Field>
      ) : (
        <>
          <Field label="Certificate private key (PEM)" hint="Kept sealed; never shown again.">
            <Textarea
              value={privateKey}
              disabled={!allowed}
              onChange={(_e, d) => setPrivateKey(d.value)}
              resize="vertical"
            />
          </Field>
          <Field
            label="Certificate thumbprint"
            hint="As the app registration shows it (SHA-1 or SHA-256, hexadecimal)."
          >
            <Input value={thumbprint} disabled={!allowed} onChange={(_e, d) => setThumbprint(d.value)} />
          </Field>
        </>
      )}
      <FormStatus outcome={outcome} />
      <div className={styles.actions}>
        <Button type="submit" appearance="primary" disabled={!allowed || busy}>
          {busy ? 'Saving…' : 'Save'}
        </Button>
        {state?.kind === 'configured' && (
          <Button
            disabled={!allowed || busy}
            onClick={() =>
              save({ clear: true }, 'Removed. Verification uses the demo app or checks the platform only.')
            }
          >
            Remove
          </Button>
        )}
      </div>
    </form>
  );
}
