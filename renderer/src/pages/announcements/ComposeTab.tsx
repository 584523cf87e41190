import {
  Badge,
  Button,
  Dropdown,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Option,
  Text,
  Textarea,
  tokens,
} from '@fluentui/react-components';
import { useRef, useState } from 'react';
import type { LintIssueDto } from '../../../../shared/contract/index.ts';
import { useClient } from '../../app/client-context.ts';
import { usePermission } from '../../components/auth/auth-store.ts';
import { errorMessage } from '../../format/errors.ts';
import { useAnnouncementStore } from './announcement-store.ts';
import { PermissionNote } from '../settings/PermissionNote.tsx';
import { offsetOf } from './positions.ts';
import { PreviewPane } from './PreviewPane.tsx';

const useStyles = makeStyles({
  grid: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr)',
    gap: tokens.spacingHorizontalXL,
    '@media (min-width: 1280px)': { gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)' },
  },
  column: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'end' },
  body: { fontFamily: tokens.fontFamilyMonospace, minHeight: '260px' },
  issues: {
    margin: 0,
    paddingLeft: tokens.spacingHorizontalL,
    display: 'flex',
    flexDirection: 'column',
    gap: '2px',
  },
  issueButton: {
    textAlign: 'start',
    height: 'auto',
    minHeight: '24px',
    fontWeight: tokens.fontWeightRegular,
  },
});

function issueLabel(issue: LintIssueDto): string {
  return `${issue.part === 'subject' ? 'Subject' : 'Body'} line ${issue.line}, column ${issue.column}: ${issue.message}`;
}

/** Template choice, subject and Markdown body, the placeholders' values, the linter's findings, and the preview. */
export function ComposeTab() {
  const styles = useStyles();
  const client = useClient();
  const canCompose = usePermission('compose');
  const store = useAnnouncementStore();
  const { draft, templates, overrides, preview } = store;
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const subjectRef = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState<{ intent: 'success' | 'error'; text: string } | null>(null);

  const run = async (work: () => Promise<string>) => {
    try {
      setStatus({ intent: 'success', text: await work() });
      await useAnnouncementStore.getState().loadTemplates(client);
    } catch (error) {
      setStatus({ intent: 'error', text: errorMessage(error) });
    }
  };
  const save = () =>
    run(async () => {
      const saved = await client.mail.saveTemplate({
        id: draft.builtIn ? null : draft.templateId,
        name: draft.name,
        subject: draft.subject,
        body: draft.body,
      });
      await useAnnouncementStore.getState().openTemplate(client, saved.id);
      return `Saved “${saved.name}” as version ${saved.version}.`;
    });
  const duplicate = () =>
    run(async () => {
      if (draft.templateId === null) throw new Error('Save the template first.');
      const copy = await client.mail.duplicateTemplate({ id: draft.templateId });
      await useAnnouncementStore.getState().openTemplate(client, copy.id);
      return `Duplicated as “${copy.name}”.`;
    });
  const remove = () =>
    run(async () => {
      if (draft.templateId === null || draft.builtIn)
        throw new Error('Only a saved template can be removed.');
      if (!window.confirm(`Remove the template “${draft.name}”? Its versions stay in the record.`))
        return 'Kept.';
      await client.mail.deleteTemplate({ id: draft.templateId });
      useAnnouncementStore.setState({
        draft: { ...draft, templateId: null, templateVersion: null, builtIn: false },
      });
      return 'Removed.';
    });

  const goTo = (issue: LintIssueDto) => {
    if (issue.part === 'subject') {
      const input = subjectRef.current;
      input?.focus();
      input?.setSelectionRange(issue.column - 1, issue.column - 1);
      return;
    }
    const area = bodyRef.current;
    if (area === null) return;
    const offset = offsetOf(draft.body, issue.line, issue.column);
    area.focus();
    area.setSelectionRange(offset, offset);
  };

  const issues = preview?.issues ?? [];
  const errors = issues.filter((i) => i.severity === 'error').length;

  return (
    <div className={styles.grid}>
      <section className={styles.column} aria-label="Template">
        <PermissionNote permission="compose" />
        <div className={styles.row}>
          <Field label="Template">
            <Dropdown
              value={draft.templateId === null ? 'Unsaved draft' : draft.name}
              selectedOptions={draft.templateId === null ? [] : [draft.templateId]}
              onOptionSelect={(_, data) => {
                if (data.optionValue !== undefined)
                  void useAnnouncementStore
                    .getState()
                    .openTemplate(client, data.optionValue)
                    .catch((error: unknown) => setStatus({ intent: 'error', text: errorMessage(error) }));
              }}
            >
              {templates.map((t) => (
                <Option key={t.id} value={t.id} text={t.name}>
                  {t.name}
                  {t.builtIn ? ' (built in)' : ` (v${t.version})`}
                </Option>
              ))}
            </Dropdown>
          </Field>
          <Button onClick={() => void save()} appearance="primary" disabled={!canCompose.allowed}>
            {draft.builtIn || draft.templateId === null ? 'Save as new template' : 'Save new version'}
          </Button>
          <Button
            onClick={() => void duplicate()}
            disabled={!canCompose.allowed || draft.templateId === null}
          >
            Duplicate
          </Button>
          <Button
            onClick={() => void remove()}
            disabled={!canCompose.allowed || draft.builtIn || draft.templateId === null}
          >
            Remove
          </Button>
        </div>
        {draft.builtIn && (
          <Text size={200}>Built-in templates are read-only: saving makes your own copy.</Text>
        )}
        {status !== null && (
          <MessageBar intent={status.intent} role="status">
            <MessageBarBody>{status.text}</MessageBarBody>
          </MessageBar>
        )}
        <Field label="Template name">
          <Input value={draft.name} onChange={(_, data) => store.setDraft({ name: data.value })} />
        </Field>
        <Field label="Subject">
          <Input
            ref={subjectRef}
            value={draft.subject}
            onChange={(_, data) => store.setDraft({ subject: data.value })}
          />
        </Field>
        <Field
          label="Message (Markdown)"
          hint="Paste the platform’s template as it is: a first line “Subject: …” becomes the subject. Fields: {{FirstName}}, {{LastName}}, {{Email}}, {{MagicLink}}, {{ReauthorizeUrl}}, {{HelpUrl}}, {{CutoffDate}}, [UNIVERSITY], [DATE PROVIDED]."
        >
          <Textarea
            ref={bodyRef}
            className={styles.body}
            resize="vertical"
            value={draft.body}
            onChange={(_, data) => store.setBody(data.value)}
          />
        </Field>
        <div className={styles.row}>
          <Field
            label="[UNIVERSITY]"
            hint={
              preview?.org.universitySource === 'settings'
                ? `Settings: ${preview.org.university ?? ''}`
                : 'From Settings → University'
            }
          >
            <Input
              value={overrides.university}
              placeholder={preview?.org.university ?? ''}
              onChange={(_, data) => store.setOverrides({ university: data.value })}
            />
          </Field>
          <Field
            label="[DATE PROVIDED]"
            hint={
              preview?.org.cutoffSource === 'platform'
                ? `Platform: ${preview.org.cutoffDate ?? ''}`
                : 'Platform’s cut-off'
            }
          >
            <Input
              type="date"
              value={overrides.cutoffDate}
              onChange={(_, data) => store.setOverrides({ cutoffDate: data.value })}
            />
          </Field>
          <Field label="First name fallback" hint="When someone has no first name">
            <Input
              value={overrides.fallbackFirstName}
              placeholder="there"
              onChange={(_, data) => store.setOverrides({ fallbackFirstName: data.value })}
            />
          </Field>
        </div>
        <section aria-label="Template check">
          {issues.length === 0 ? (
            <Badge appearance="tint" color="success">
              Ready: nothing unresolved
            </Badge>
          ) : (
            <>
              <Badge appearance="tint" color={errors > 0 ? 'danger' : 'warning'}>
                {errors > 0 ? `${errors} issue${errors === 1 ? '' : 's'} block export` : 'Warnings only'}
              </Badge>
              <ul className={styles.issues}>
                {issues.map((issue, i) => (
                  <li key={`${issue.part}-${issue.line}-${issue.column}-${i}`}>
                    <Button
                      appearance="transparent"
                      size="small"
                      className={styles.issueButton}
                      onClick={() => goTo(issue)}
                    >
                      {issueLabel(issue)}
                    </Button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      </section>
      <PreviewPane />
    </div>
  );
}
