import { randomBytes } from 'node:crypto';
import { Marked, type Token, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { escapeHtml, tokenizeMustache } from '../../../shared/mail/mustache.ts';
import {
  isMergeField,
  lintTemplate,
  orgPlaceholderKey,
  PLACEHOLDER_PATTERN,
  URL_FIELDS,
  type LintIssue,
  type MergeField,
  type OrgValues,
} from '../../../shared/mail/template.ts';

/**
 * Compiles an announcement template once; each recipient's message is then a concatenation of
 * fixed parts and escaped values, so rendering 100,000 messages never runs Markdown or the
 * sanitizer again, and no value can ever be read as Markdown, HTML or a link.
 *
 * How: every merge field and placeholder is replaced by an opaque ASCII token (random per
 * compilation, so author text cannot forge one), the Markdown is rendered and sanitized with the
 * tokens in place, and the result is split at the tokens. A token inside a tag (an `href`) becomes
 * an attribute value; a token in text becomes escaped text (a link field standing alone becomes a
 * link to itself).
 */

export type FieldContext = 'text' | 'link-text' | 'attribute';

export type Part = string | { field: MergeField; context: FieldContext };

export interface CompiledTemplate {
  subject: Part[];
  html: Part[];
  text: Part[];
  issues: LintIssue[];
  /** Merge fields the template uses (so an export knows whether it needs magic links). */
  fields: ReadonlySet<MergeField>;
}

export interface TemplateInput {
  subject: string;
  body: string;
}

const ALLOWED_TAGS = [
  'p',
  'br',
  'strong',
  'b',
  'em',
  'i',
  'u',
  's',
  'del',
  'a',
  'ul',
  'ol',
  'li',
  'h1',
  'h2',
  'h3',
  'h4',
  'blockquote',
  'code',
  'pre',
  'hr',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'span',
];

interface Slot {
  field: MergeField | null;
  /** For organisation placeholders: the resolved value (plain text). */
  value: string;
}

function substitute(
  text: string,
  org: OrgValues,
  token: (slot: Slot) => string,
): { text: string; fields: Set<MergeField> } {
  const fields = new Set<MergeField>();
  let out = '';
  for (const piece of tokenizeMustache(text)) {
    if (piece.kind === 'text') {
      out += piece.text.replace(PLACEHOLDER_PATTERN, (whole, inner: string) => {
        const key = orgPlaceholderKey(inner);
        const value = key === 'UNIVERSITY' ? org.university : key === 'DATE PROVIDED' ? org.cutoffDate : null;
        return value === null || value === '' ? whole : token({ field: null, value });
      });
    } else if (piece.kind === 'escaped' && isMergeField(piece.name)) {
      fields.add(piece.name);
      out += token({ field: piece.name, value: '' });
    } else if (piece.kind === 'comment') {
      // Mustache comments are the author's notes; they never reach a recipient.
    } else {
      // Anything else stays visible as written; the linter has already said what is wrong with it.
      out += piece.raw;
    }
  }
  return { text: out, fields };
}

export function compileTemplate(template: TemplateInput, org: OrgValues): CompiledTemplate {
  const issues = lintTemplate(template, org);
  const nonce = randomBytes(9).toString('hex');
  const slots: Slot[] = [];
  const tokenOf = (slot: Slot): string => {
    slots.push(slot);
    return `mf${nonce}x${slots.length - 1}z`;
  };
  const tokenPattern = new RegExp(`mf${nonce}x(\\d+)z`, 'g');
  const subject = substitute(template.subject.replace(/[\r\n]+/g, ' '), org, tokenOf);
  const body = substitute(template.body.replace(/\r\n?/g, '\n'), org, tokenOf);

  const marked = new Marked({ gfm: true, breaks: true, async: false });
  const tokens = marked.lexer(body.text);
  const rawHtml = marked.parser(tokens);
  const html = sanitizeHtml(rawHtml, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: { a: ['href', 'title'], ol: ['start'], td: ['align'], th: ['align'] },
    allowedSchemes: ['https', 'mailto'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    transformTags: {
      // Relative links would resolve against nothing in a mail client; only a link field's token may stand alone.
      a: (tagName, attribs) => {
        const href = (attribs['href'] ?? '').trim();
        const tokenMatch = new RegExp(`^mf${nonce}x(\\d+)z$`).exec(href);
        const slot = tokenMatch === null ? undefined : slots[Number(tokenMatch[1])];
        const fieldLink = slot !== undefined && slot.field !== null && URL_FIELDS.has(slot.field);
        const safe = fieldLink || /^(https:\/\/|mailto:)/i.test(href);
        const { href: _drop, ...rest } = attribs;
        return { tagName, attribs: safe ? { ...rest, href } : rest };
      },
    },
  });

  const toParts = (text: string, html: boolean, contextAt: (offset: number) => FieldContext): Part[] => {
    const parts: Part[] = [];
    let last = 0;
    for (const match of text.matchAll(tokenPattern)) {
      const offset = match.index ?? 0;
      if (offset > last) parts.push(text.slice(last, offset));
      const slot = slots[Number(match[1])] as Slot;
      // Organisation values come from Settings and the platform, not from the author: escaped like fields.
      if (slot.field === null) parts.push(html ? escapeHtml(slot.value) : slot.value);
      else parts.push({ field: slot.field, context: contextAt(offset) });
      last = offset + match[0].length;
    }
    if (last < text.length) parts.push(text.slice(last));
    return parts;
  };

  // In the sanitized HTML: inside a tag (between < and >) is an attribute; inside <a>…</a> is link text.
  const htmlParts = toParts(html, true, (offset) => {
    if (html.lastIndexOf('<', offset) > html.lastIndexOf('>', offset)) return 'attribute';
    const before = html.slice(0, offset);
    const opens = before.match(/<a[\s>]/g)?.length ?? 0;
    const closes = before.match(/<\/a>/g)?.length ?? 0;
    return opens > closes ? 'link-text' : 'text';
  });

  return {
    subject: toParts(subject.text, false, () => 'text'),
    html: htmlParts,
    text: toParts(plainText(tokens), false, () => 'text'),
    issues,
    fields: new Set([...subject.fields, ...body.fields]),
  };
}

/** A plain-text rendering of the Markdown: paragraphs, lists with markers, links as "text (url)". */
function plainText(tokens: Token[]): string {
  const out = tokens.map(block).join('');
  return `${out.replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

/** Text of an HTML fragment, through the sanitizer's parser (which decodes entities), then unescaped again. */
function htmlToText(html: string): string {
  return sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

function block(token: Token): string {
  switch (token.type) {
    case 'paragraph':
    case 'heading':
      return `${inline((token as Tokens.Paragraph).tokens)}\n\n`;
    case 'list': {
      const list = token as Tokens.List;
      const start = typeof list.start === 'number' ? list.start : 1;
      const items = list.items.map((item, i) => {
        const marker = list.ordered ? `${start + i}. ` : '- ';
        const content = item.tokens
          .map(block)
          .join('')
          .trim()
          .replace(/\n/g, `\n${' '.repeat(marker.length)}`);
        return `${marker}${content}`;
      });
      return `${items.join('\n')}\n\n`;
    }
    case 'blockquote': {
      const inner = (token as Tokens.Blockquote).tokens.map(block).join('').trim();
      return `${inner
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n')}\n\n`;
    }
    case 'code':
      return `${(token as Tokens.Code).text}\n\n`;
    case 'hr':
      return '----\n\n';
    case 'html':
      return `${htmlToText((token as Tokens.HTML).text).trim()}\n\n`;
    case 'table': {
      const table = token as Tokens.Table;
      const row = (cells: Tokens.TableCell[]) => cells.map((cell) => inline(cell.tokens)).join(' | ');
      return `${[row(table.header), ...table.rows.map(row)].join('\n')}\n\n`;
    }
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens === undefined ? text.text : inline(text.tokens);
    }
    case 'space':
    case 'def':
      return '';
    default:
      return 'raw' in token && typeof token.raw === 'string' ? token.raw : '';
  }
}

/** Elements whose content the sanitizer drops with them; the plain text drops it too. */
const DROPPED_ELEMENT = /^<(script|style|textarea|title|iframe|noscript|template|object)\b/i;

function inline(tokens: Token[] | undefined): string {
  if (tokens === undefined) return '';
  let dropping: string | null = null;
  return tokens
    .map((token): string => {
      if (dropping !== null) {
        if (token.type === 'html' && new RegExp(`^</${dropping}\\s*>`, 'i').test((token as Tokens.HTML).text))
          dropping = null;
        return '';
      }
      if (token.type === 'html') {
        const opened = DROPPED_ELEMENT.exec((token as Tokens.HTML).text);
        if (opened !== null) {
          dropping = (opened[1] as string).toLowerCase();
          return '';
        }
      }
      switch (token.type) {
        case 'text': {
          const text = token as Tokens.Text;
          return text.tokens === undefined ? decodeEntities(text.text) : inline(text.tokens);
        }
        case 'escape':
          return (token as Tokens.Escape).text;
        case 'strong':
        case 'em':
        case 'del':
          return inline((token as Tokens.Strong).tokens);
        case 'codespan':
          return decodeEntities((token as Tokens.Codespan).text);
        case 'br':
          return '\n';
        case 'link': {
          const link = token as Tokens.Link;
          const text = inline(link.tokens);
          const href = link.href.replace(/^mailto:/i, '');
          return text.trim() === '' || text === href ? href : `${text} (${href})`;
        }
        case 'image':
          return (token as Tokens.Image).text;
        case 'html':
          return htmlToText((token as Tokens.HTML).text);
        default:
          return 'raw' in token && typeof token.raw === 'string' ? token.raw : '';
      }
    })
    .join('');
}

/** marked keeps `&amp;` etc. as typed in text; the plain-text part shows the character. */
function decodeEntities(text: string): string {
  return /&[#a-z0-9]+;/i.test(text) ? htmlToText(text) : text;
}
