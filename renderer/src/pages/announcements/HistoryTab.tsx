import {
  Button,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { Announcement, AnnouncementEffect } from '../../../../shared/contract/index.ts';
import { useClient } from '../../app/client-context.ts';
import { errorMessage } from '../../format/errors.ts';

/** Every recorded announcement (the dashboard's chart marks their days). */
export function HistoryTab() {
  const client = useClient();
  const [rows, setRows] = useState<Announcement[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [effects, setEffects] = useState<Record<string, AnnouncementEffect | 'failed'>>({});
  const load = () =>
    client.mail
      .announcements({})
      .then(({ announcements }) => {
        setRows(announcements);
        setError(null);
      })
      .catch((caught: unknown) => setError(errorMessage(caught)));
  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client]);
  // The effect of the latest announcements, read from the roster as last synced.
  useEffect(() => {
    if (rows === null) return;
    let live = true;
    for (const row of rows.slice(0, 20))
      client.mail
        .effect({ id: row.id })
        .then((effect) => live && setEffects((all) => ({ ...all, [row.id]: effect })))
        .catch(() => live && setEffects((all) => ({ ...all, [row.id]: 'failed' })));
    return () => {
      live = false;
    };
  }, [client, rows]);
  const effectText = (id: string): string => {
    const effect = effects[id];
    if (effect === undefined) return '…';
    if (effect === 'failed') return 'not available';
    const share = (n: number) =>
      effect.recipients === 0
        ? '0'
        : `${n.toLocaleString('en-US')} (${Math.round((100 * n) / effect.recipients)}%)`;
    return `${share(effect.within1d)} / ${share(effect.within3d)} / ${share(effect.within7d)}`;
  };

  if (error !== null)
    return (
      <Text role="alert">
        {error} <Button onClick={() => void load()}>Retry</Button>
      </Text>
    );
  if (rows === null) return <Text>Loading…</Text>;
  if (rows.length === 0) return <Text>No announcement has been exported or sent yet.</Text>;
  return (
    <Table size="small" aria-label="Announcements">
      <TableHeader>
        <TableRow>
          <TableHeaderCell>When</TableHeaderCell>
          <TableHeaderCell>How</TableHeaderCell>
          <TableHeaderCell>Template</TableHeaderCell>
          <TableHeaderCell>Recipients</TableHeaderCell>
          <TableHeaderCell>Held back</TableHeaderCell>
          <TableHeaderCell>Re-authorized within 1 / 3 / 7 days</TableHeaderCell>
          <TableHeaderCell>By</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.id}>
            <TableCell>{new Date(row.recordedAt).toLocaleString()}</TableCell>
            <TableCell>{row.kind === 'export' ? `Export (${row.format ?? ''})` : row.kind}</TableCell>
            <TableCell>
              {row.templateName}
              {row.templateVersion !== null ? ` v${row.templateVersion}` : ''}
            </TableCell>
            <TableCell>{row.audienceSize.toLocaleString('en-US')}</TableCell>
            <TableCell>{row.excluded.toLocaleString('en-US')}</TableCell>
            <TableCell>{effectText(row.id)}</TableCell>
            <TableCell>{row.recordedBy}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
