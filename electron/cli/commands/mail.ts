import { resolve } from 'node:path';
import { DEFAULT_AUDIENCE_FILTER, type MailExportResult } from '../../../shared/contract/mail.ts';
import type { RosterFilter } from '../../../shared/contract/roster-query.ts';
import { FILTER_KEYS } from '../../core/roster/filter-expression.ts';
import { openCliCore } from '../cli-core.ts';
import { readFilterOption } from '../filter-option.ts';
import { UsageError, type Command } from '../command.ts';
import { choiceOption } from '../globals.ts';
import { readTemplateFile, reportTemplateErrors } from './mail-template-file.ts';

function describeExport(result: MailExportResult): string {
  const lines = [
    `Wrote ${result.written.toLocaleString('en-US')} ${result.format === 'csv' ? 'rows' : 'messages'} to ${result.folder}.`,
    `${result.excluded.toLocaleString('en-US')} users held back (duplicate or unusable address, suppressed): see excluded.csv.`,
  ];
  if (result.magicLinks.created > 0)
    lines.push(
      `${result.magicLinks.created.toLocaleString('en-US')} magic links, valid until ${result.magicLinks.expiresAt ?? '?'}: send before then.`,
    );
  if (result.magicLinks.warning !== null) lines.push(`Warning: ${result.magicLinks.warning}`);
  return lines.join('\n');
}

export const mailRenderCommand: Command = {
  name: 'mail render',
  summary: 'Renders an announcement for every recipient: one .eml each, a mail-merge CSV, or HTML files.',
  details:
    '--template takes the platform’s template style: an optional first line "Subject: …", then the text with\n' +
    '{{FirstName}}, {{LastName}}, {{Email}}, {{MagicLink}}, {{ReauthorizeUrl}}, {{HelpUrl}}, {{CutoffDate}},\n' +
    '[UNIVERSITY] and [DATE PROVIDED]. Unresolved fields, leftover placeholders, unbalanced braces and links that\n' +
    'are not https stop the command (exit 1) with their line and column.\n' +
    `--filter defaults to status=${DEFAULT_AUDIENCE_FILTER.status.join(',')}; keys: ${FILTER_KEYS.join(', ')}.\n` +
    'Magic links are created at render time (7 days) unless --no-magic-links; offline they are left out.\n' +
    'A large audience takes minutes: give it a longer --deadline (e.g. --deadline 1800).',
  options: {
    template: { type: 'string', valueName: 'FILE', description: 'The template text file (required).' },
    filter: { type: 'string', valueName: 'EXPR', description: 'Which users (default: not yet migrated).' },
    format: { type: 'string', valueName: 'eml|csv|html', description: 'What to write (default eml).' },
    out: { type: 'string', valueName: 'DIR', description: 'Folder to create the export in (required).' },
    university: { type: 'string', valueName: 'NAME', description: '[UNIVERSITY] (default: Settings).' },
    cutoff: {
      type: 'string',
      valueName: 'ISO',
      description: '[DATE PROVIDED] (default: the platform’s cut-off).',
    },
    from: { type: 'string', valueName: 'ADDRESS', description: 'From address written into each .eml.' },
    'from-name': { type: 'string', valueName: 'NAME', description: 'Display name for --from.' },
    'no-magic-links': {
      type: 'boolean',
      description: 'Leave magic links out ({{MagicLink}} → re-authorize page).',
    },
  },
  async run(context) {
    const { values } = context;
    const out = values['out'];
    if (typeof out !== 'string' || out === '')
      throw new UsageError('--out DIR is required: name the folder to write to.');
    const format = choiceOption(values, 'format', ['eml', 'csv', 'html'] as const) ?? 'eml';
    const option = typeof values['filter'] === 'string' ? readFilterOption(values['filter']) : undefined;
    const file = readTemplateFile(context);
    const { template, overrides } = file;
    const fromAddress = values['from'];
    const from =
      typeof fromAddress === 'string'
        ? { name: typeof values['from-name'] === 'string' ? values['from-name'] : '', address: fromAddress }
        : null;

    const core = await openCliCore(context);
    try {
      const synced = await core.call('roster.sync', { mode: 'incremental', wait: true });
      if (synced.lastError !== null) {
        context.out.result({ error: { code: 'unavailable', message: synced.lastError } }, '');
        context.out.log(synced.lastError);
        return 1;
      }
      const filter: RosterFilter = (await option?.resolve(() => core.call('migration.overview', {}))) ?? {
        status: [...DEFAULT_AUDIENCE_FILTER.status],
      };
      const preview = await core.call('mail.preview', { template, overrides });
      if (reportTemplateErrors(context, file, preview.issues)) return 1;
      const result: MailExportResult = await core.call('mail.export', {
        template: { ...template, name: file.name },
        overrides,
        audience: { filter },
        format,
        outDir: resolve(out),
        from,
        magicLinkTtlMinutes: values['no-magic-links'] === true ? null : 7 * 24 * 60,
      });
      context.out.result(result, describeExport(result));
      if (result.magicLinks.warning !== null) context.out.log(`Warning: ${result.magicLinks.warning}`);
      return 0;
    } finally {
      await core.close();
    }
  },
};
