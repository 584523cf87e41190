import {
  Button,
  Field,
  Input,
  makeStyles,
  mergeClasses,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { EdgeCaseKind, RosterRow } from '../../../../shared/contract/index.ts';
import { useClient } from '../../app/client-context.ts';
import { errorMessage } from '../../format/errors.ts';
import { useAnnouncementStore, type PreviewView } from './announcement-store.ts';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'end' },
  frameWell: {
    backgroundColor: tokens.colorNeutralBackground3,
    padding: tokens.spacingVerticalS,
    borderRadius: tokens.borderRadiusMedium,
  },
  frame: {
    display: 'block',
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    backgroundColor: '#ffffff',
    height: '420px',
    margin: '0 auto',
  },
  desktop: { width: '100%' },
  mobile: { width: '375px', maxWidth: '100%' },
  pre: {
    margin: 0,
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    maxHeight: '420px',
    overflowY: 'auto',
    padding: tokens.spacingVerticalS,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
  },
  results: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

const EDGE_LABELS: Record<EdgeCaseKind, string> = {
  'longest-name': 'Longest name',
  'non-latin': 'Non-Latin script',
  'right-to-left': 'Right-to-left',
  'missing-first-name': 'No first name',
  'markup-characters': 'Name with < or &',
  quotes: 'Name with quotes',
  emoji: 'Emoji in name',
};

/** The message as one recipient gets it: the HTML in a sandboxed frame (no script runs), the plain text, the headers. */
export function PreviewPane() {
  const styles = useStyles();
  const client = useClient();
  const { preview, previewError, view, audience, previewUserId } = useAnnouncementStore();
  const [search, setSearch] = useState('');
  const [found, setFound] = useState<RosterRow[] | null>(null);
  const [searchError, setSearchError] = useState<string | null>(null);
  const choose = (userId: string | null) => {
    useAnnouncementStore.getState().setPreviewUserId(userId);
    void useAnnouncementStore.getState().refreshPreview(client);
  };
  const edges = audience?.edgeCases ?? [];
  const edgeIndex = edges.findIndex((e) => e.userId === previewUserId);

  const find = async () => {
    try {
      const result = await client.roster.query({
        filter: { q: search.trim() },
        sort: { field: 'lastName', direction: 'asc' },
        offset: 0,
        limit: 8,
        now: new Date().toISOString(),
      });
      setFound(result.rows);
      setSearchError(null);
    } catch (error) {
      setSearchError(errorMessage(error));
    }
  };

  return (
    <section className={styles.root} aria-label="Preview">
      <Text as="h2" size={500} weight="semibold">
        Preview
      </Text>
      <div className={styles.row}>
        <form
          className={styles.row}
          onSubmit={(event) => {
            event.preventDefault();
            if (search.trim() !== '') void find();
          }}
        >
          <Field label="Preview for a user">
            <Input value={search} placeholder="Name or email" onChange={(_, data) => setSearch(data.value)} />
          </Field>
          <Button type="submit">Find</Button>
        </form>
        <Button
          disabled={edges.length === 0}
          onClick={() => choose(edges[(edgeIndex + 1) % edges.length]?.userId ?? null)}
        >
          Next edge case
        </Button>
        <Button onClick={() => choose(null)} disabled={previewUserId === null}>
          Sample person
        </Button>
      </div>
      {searchError !== null && <Text role="alert">{searchError}</Text>}
      {found !== null && (
        <ul className={styles.results} aria-label="Users found">
          {found.length === 0 && <li>Nobody matches.</li>}
          {found.map((row) => (
            <li key={row.userId}>
              <Button appearance="transparent" size="small" onClick={() => choose(row.userId)}>
                {`${row.preferredName ?? row.firstName} ${row.lastName} <${row.email}>`}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {edges.length > 0 && (
        <Text size={200}>
          {edgeIndex >= 0
            ? `Edge case ${edgeIndex + 1} of ${edges.length}: ${EDGE_LABELS[edges[edgeIndex]?.kind ?? 'longest-name']}.`
            : `${edges.length} edge cases found in the audience.`}
        </Text>
      )}
      {previewError !== null && (
        <MessageBar intent="error">
          <MessageBarBody>{previewError}</MessageBarBody>
        </MessageBar>
      )}
      {preview !== null && (
        <>
          <Text>
            <strong>To:</strong>{' '}
            <span data-testid="preview-to">
              {preview.recipient?.name} &lt;{preview.recipient?.email}&gt;
            </span>{' '}
            · <strong>Subject:</strong> <span data-testid="preview-subject">{preview.subject}</span>
          </Text>
          <RadioGroup
            layout="horizontal"
            aria-label="Preview as"
            value={view}
            onChange={(_, data) => useAnnouncementStore.getState().setView(data.value as PreviewView)}
          >
            <Radio value="desktop" label="Desktop" />
            <Radio value="mobile" label="Mobile" />
            <Radio value="text" label="Plain text" />
            <Radio value="headers" label="Headers" />
          </RadioGroup>
          {view === 'desktop' || view === 'mobile' ? (
            <div className={styles.frameWell}>
              <iframe
                sandbox=""
                srcDoc={preview.html}
                title={`Message for ${preview.recipient?.name ?? 'the sample person'}, ${view} width`}
                className={mergeClasses(styles.frame, view === 'mobile' ? styles.mobile : styles.desktop)}
                data-testid="preview-frame"
              />
            </div>
          ) : (
            <pre
              className={styles.pre}
              tabIndex={0}
              data-testid={`preview-${view}`}
              aria-label={view === 'text' ? 'Plain-text part' : 'Headers as sent'}
            >
              {view === 'text' ? preview.text : preview.headers}
            </pre>
          )}
          {preview.notes.map((note) => (
            <Text key={note} size={200}>
              {note}
            </Text>
          ))}
        </>
      )}
    </section>
  );
}
