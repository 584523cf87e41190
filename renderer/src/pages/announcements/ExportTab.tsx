import {
  Button,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  SpinButton,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { ExportFormat } from '../../../../shared/contract/index.ts';
import { useClient } from '../../app/client-context.ts';
import { usePermission } from '../../components/auth/auth-store.ts';
import { errorMessage } from '../../format/errors.ts';
import { PermissionNote } from '../settings/PermissionNote.tsx';
import { composedMessage, useAnnouncementStore } from './announcement-store.ts';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '720px' },
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'end' },
});

/** Offline export: one .eml per recipient, a mail-merge CSV, or HTML files, with magic links made now. */
export function ExportTab() {
  const styles = useStyles();
  const client = useClient();
  const allowed = usePermission('compose').allowed;
  const { preview, lastExport, from } = useAnnouncementStore();
  const [format, setFormat] = useState<ExportFormat>('eml');
  const [folder, setFolder] = useState('');
  const [days, setDays] = useState(7);
  const [links, setLinks] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const blocked = preview === null || !preview.sendable;

  const start = async () => {
    const message = composedMessage(useAnnouncementStore.getState());
    setBusy(true);
    setError(null);
    try {
      const result = await client.mail.export({
        ...message,
        format,
        outDir: folder.trim() === '' ? null : folder.trim(),
        from: from.address.trim() === '' ? null : { name: from.name.trim(), address: from.address.trim() },
        magicLinkTtlMinutes: links ? days * 24 * 60 : null,
      });
      useAnnouncementStore.getState().setLastExport(result);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={styles.root}>
      <PermissionNote permission="compose" />
      {blocked && (
        <MessageBar intent="warning">
          <MessageBarBody>
            {preview === null
              ? 'The template has not been checked yet.'
              : 'Export is blocked until the template has no unresolved issues (see Compose).'}
          </MessageBarBody>
        </MessageBar>
      )}
      <RadioGroup
        aria-label="Format"
        value={format}
        onChange={(_, data) => setFormat(data.value as ExportFormat)}
      >
        <Radio value="eml" label="One .eml file per recipient (open, forward or import into any mail tool)" />
        <Radio value="csv" label="A CSV for mail-merge tools (one row per recipient with every field)" />
        <Radio value="html" label="One HTML file per recipient" />
      </RadioGroup>
      <Field
        label="Folder"
        hint="An absolute path; the export creates its own subfolder there. Empty: the console’s data folder."
      >
        <Input value={folder} onChange={(_, data) => setFolder(data.value)} />
      </Field>
      <div className={styles.row}>
        <Field label="From name">
          <Input
            value={from.name}
            onChange={(_, data) => useAnnouncementStore.getState().setFrom({ name: data.value })}
          />
        </Field>
        <Field label="From address">
          <Input
            type="email"
            value={from.address}
            onChange={(_, data) => useAnnouncementStore.getState().setFrom({ address: data.value })}
          />
        </Field>
      </div>
      <div className={styles.row}>
        <Field
          label="Magic links valid for (days)"
          hint="Links are made by the platform at export time; send before they expire."
        >
          <SpinButton
            value={days}
            min={1}
            max={7}
            disabled={!links}
            onChange={(_, data) => {
              const value = data.value ?? Number(data.displayValue);
              if (Number.isFinite(value)) setDays(Math.min(7, Math.max(1, Math.round(value))));
            }}
          />
        </Field>
        <Button onClick={() => setLinks(!links)} aria-pressed={!links}>
          {links ? 'Leave magic links out' : 'Include magic links'}
        </Button>
      </div>
      <div>
        <Button appearance="primary" disabled={!allowed || blocked || busy} onClick={() => void start()}>
          Export
        </Button>
      </div>
      {busy && <Spinner size="small" label="Writing the messages…" />}
      {error !== null && (
        <MessageBar intent="error">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      {lastExport !== null && (
        <MessageBar
          intent={lastExport.magicLinks.warning === null ? 'success' : 'warning'}
          layout="multiline"
          role="status"
        >
          <MessageBarBody>
            <MessageBarTitle>
              Exported {lastExport.written.toLocaleString('en-US')}{' '}
              {lastExport.format === 'csv' ? 'rows' : 'messages'}
            </MessageBarTitle>
            <Text block>
              Folder: <span data-testid="export-folder">{lastExport.folder}</span>
            </Text>
            <Text block>
              {lastExport.excluded.toLocaleString('en-US')} users held back are listed in excluded.csv there.
            </Text>
            {lastExport.magicLinks.expiresAt !== null && (
              <Text block>
                Magic links expire {new Date(lastExport.magicLinks.expiresAt).toLocaleString()}: send before
                then.
              </Text>
            )}
            {lastExport.magicLinks.warning !== null && <Text block>{lastExport.magicLinks.warning}</Text>}
          </MessageBarBody>
        </MessageBar>
      )}
    </div>
  );
}
