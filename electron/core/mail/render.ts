import { escapeHtml } from '../../../shared/mail/mustache.ts';
import { cleanValue } from '../../../shared/mail/recipient.ts';
import { URL_FIELDS, type MergeField } from '../../../shared/mail/template.ts';
import type { CompiledTemplate, Part } from './compile.ts';

export interface RenderedMessage {
  /** One line, no control characters. */
  subject: string;
  /** A whole HTML document (what the preview frame shows and the HTML part carries). */
  html: string;
  text: string;
}

function renderHtmlParts(parts: readonly Part[], values: Record<MergeField, string>): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const value = escapeHtml(values[part.field]);
    // A link field in running text becomes a link to itself; elsewhere (an href, a link's text) it is the escaped value.
    out +=
      part.context === 'text' && URL_FIELDS.has(part.field) && value !== ''
        ? `<a href="${value}">${value}</a>`
        : value;
  }
  return out;
}

function renderTextParts(parts: readonly Part[], values: Record<MergeField, string>): string {
  let out = '';
  for (const part of parts) out += typeof part === 'string' ? part : values[part.field];
  return out;
}

/** One recipient's message from a compiled template and that recipient's merge values. */
export function renderMessage(
  template: CompiledTemplate,
  values: Record<MergeField, string>,
): RenderedMessage {
  const subject = cleanValue(renderTextParts(template.subject, values));
  const body = renderHtmlParts(template.html, values);
  const html =
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<title>${escapeHtml(subject)}</title>\n</head>\n<body>\n${body}</body>\n</html>\n`;
  return { subject, html, text: renderTextParts(template.text, values) };
}
