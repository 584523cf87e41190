import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OrgOverrides } from '../../../shared/contract/mail.ts';
import {
  describeIssue,
  splitPastedTemplate,
  type LintIssue,
  type PastedTemplate,
} from '../../../shared/mail/template.ts';
import { UsageError, type CommandContext } from '../command.ts';

/** Used when a template file has no `Subject:` first line (the platform's own template has none). */
export const DEFAULT_SUBJECT = 'Action needed: reconnect your [UNIVERSITY] calendar sync by [DATE PROVIDED]';

/** Settings → University as the app saved it in the data folder, if there is one (the CLI's core keeps no settings). */
export function savedUniversity(dataDir: string | undefined): string | null {
  if (dataDir === undefined) return null;
  try {
    const file = JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as {
      consoleSettings?: { universityName?: unknown };
    };
    const name = file.consoleSettings?.universityName;
    return typeof name === 'string' && name.trim() !== '' ? name.trim() : null;
  } catch {
    return null;
  }
}

export interface TemplateFile {
  /** The path as given, for messages. */
  path: string;
  /** The file's name, recorded as the announcement's template name. */
  name: string;
  pasted: PastedTemplate;
  template: { subject: string; body: string };
  /** `[UNIVERSITY]` from --university or Settings, `[DATE PROVIDED]` from --cutoff. */
  overrides: OrgOverrides;
}

/**
 * Reads `--template FILE` (plain text in the platform's template style; a first `Subject:` line is
 * the subject) with `--university` and `--cutoff`, as every `mail` command that renders takes them.
 */
export function readTemplateFile(context: CommandContext): TemplateFile {
  const { values } = context;
  const path = values['template'];
  if (typeof path !== 'string' || path === '')
    throw new UsageError('--template FILE is required: name the template text file.');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `--template: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
    );
  }
  const pasted = splitPastedTemplate(text);
  if (pasted.subject === null)
    context.out.log(`The template has no "Subject:" line; using: ${DEFAULT_SUBJECT}`);
  const university =
    typeof values['university'] === 'string'
      ? values['university']
      : savedUniversity(context.globals.dataDir);
  return {
    path,
    name: path.split(/[\\/]/).pop() ?? 'template',
    pasted,
    template: { subject: pasted.subject ?? DEFAULT_SUBJECT, body: pasted.body },
    overrides: {
      ...(university === null ? {} : { university }),
      ...(typeof values['cutoff'] === 'string' ? { cutoffAt: values['cutoff'] } : {}),
    },
  };
}

/**
 * Reports the linter's errors, named by the file's own line and column, as the command's result;
 * true when there were any (the command then exits 1 and renders nothing).
 */
export function reportTemplateErrors(
  context: CommandContext,
  file: TemplateFile,
  issues: readonly { severity: string }[],
): boolean {
  const errors = issues.filter((issue) => issue.severity === 'error') as LintIssue[];
  if (errors.length === 0) return false;
  const described = errors.map(
    (issue) => `${file.path}: ${describeIssue(issue, file.pasted.bodyLineOffset)}`,
  );
  context.out.result(
    { error: { code: 'template_unresolved', message: described[0] }, issues: errors },
    `The template is not ready (${errors.length} issue${errors.length === 1 ? '' : 's'}):\n${described.join('\n')}`,
  );
  // With --json the document is on stdout; say it in words on stderr too.
  if (context.out.json) for (const line of described) context.out.log(line);
  return true;
}
