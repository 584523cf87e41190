/**
 * Mustache tags as the spec defines them (https://github.com/mustache/spec): `{{name}}` (HTML
 * escaped), `{{{name}}}` and `{{&name}}` (raw), sections, inverted sections, comments, partials and
 * delimiter changes. The announcement templates use only escaped interpolation; the rest is
 * tokenized so the linter can name it precisely, and `renderMustache` implements interpolation and
 * simple sections so the spec's interpolation tests run against this code.
 */

export type MustacheTagKind =
  'escaped' | 'raw' | 'section' | 'inverted' | 'close' | 'comment' | 'partial' | 'delimiter';

export interface TextToken {
  kind: 'text';
  text: string;
  /** Offset in the template. */
  start: number;
}

export interface TagToken {
  kind: MustacheTagKind;
  /** The trimmed name (for comments: the comment text). */
  name: string;
  /** The whole tag as written, braces included. */
  raw: string;
  start: number;
  end: number;
}

export interface UnclosedToken {
  kind: 'unclosed';
  raw: string;
  start: number;
}

export type MustacheToken = TextToken | TagToken | UnclosedToken;

const SIGILS: Record<string, MustacheTagKind> = {
  '#': 'section',
  '^': 'inverted',
  '/': 'close',
  '!': 'comment',
  '>': 'partial',
  '=': 'delimiter',
  '&': 'raw',
};

/** Splits a template into text and tags with the default `{{ }}` delimiters. Never throws. */
export function tokenizeMustache(template: string): MustacheToken[] {
  const tokens: MustacheToken[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{{', i);
    if (open === -1) {
      tokens.push({ kind: 'text', text: template.slice(i), start: i });
      break;
    }
    if (open > i) tokens.push({ kind: 'text', text: template.slice(i, open), start: i });
    const triple = template.startsWith('{{{', open);
    const closer = triple ? '}}}' : '}}';
    const close = template.indexOf(closer, open + closer.length);
    // A tag never spans a line break in an announcement; treating one as unclosed keeps the linter's
    // position on the line the author has to fix.
    const newline = template.indexOf('\n', open);
    if (close === -1 || (newline !== -1 && newline < close)) {
      const stop = newline === -1 ? template.length : newline;
      tokens.push({ kind: 'unclosed', raw: template.slice(open, stop), start: open });
      i = stop;
      continue;
    }
    const inner = template.slice(open + closer.length, close);
    const end = close + closer.length;
    const raw = template.slice(open, end);
    if (triple) {
      tokens.push({ kind: 'raw', name: inner.trim(), raw, start: open, end });
    } else {
      const trimmed = inner.trim();
      const kind = SIGILS[trimmed.charAt(0)];
      if (kind === undefined) tokens.push({ kind: 'escaped', name: trimmed, raw, start: open, end });
      else if (kind === 'delimiter')
        tokens.push({ kind, name: trimmed.replace(/^=|=$/g, '').trim(), raw, start: open, end });
      else tokens.push({ kind, name: trimmed.slice(1).trim(), raw, start: open, end });
    }
    i = end;
  }
  return tokens;
}

/** The HTML escaping of `{{name}}`: the characters that can open markup or leave an attribute value. */
export function escapeHtml(value: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    let entity: string | null = null;
    if (code === 38) entity = '&amp;';
    else if (code === 60) entity = '&lt;';
    else if (code === 62) entity = '&gt;';
    else if (code === 34) entity = '&quot;';
    else if (code === 39) entity = '&#39;';
    else if (code === 96) entity = '&#96;';
    else if (code === 61) entity = '&#61;';
    if (entity !== null) {
      out += value.slice(last, i) + entity;
      last = i + 1;
    }
  }
  return last === 0 ? value : out + value.slice(last);
}

type Context = unknown;

function lookup(stack: readonly Context[], name: string): unknown {
  if (name === '.') return stack[stack.length - 1];
  const [first, ...rest] = name.split('.');
  let value: unknown = undefined;
  // The first part resolves up the context stack; the rest only inside what it found (no masking).
  for (let depth = stack.length - 1; depth >= 0; depth -= 1) {
    const context = stack[depth];
    if (context !== null && typeof context === 'object' && Object.hasOwn(context, first as string)) {
      value = (context as Record<string, unknown>)[first as string];
      break;
    }
  }
  for (const part of rest) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function interpolate(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

function isFalsy(value: unknown): boolean {
  return (
    value === null || value === undefined || value === false || (Array.isArray(value) && value.length === 0)
  );
}

/**
 * Renders a template against a view with mustache semantics for interpolation (escaping, dotted
 * names, the implicit iterator, context misses as empty) and for plain sections and inverted
 * sections. Lambdas, partials, delimiter changes and standalone-line trimming are not supported:
 * announcements use none of them, and the linter refuses them there.
 */
export function renderMustache(
  template: string,
  view: unknown,
  escape: (value: string) => string = mustacheSpecEscape,
): string {
  const tokens = tokenizeMustache(template);
  let position = 0;
  const render = (stack: Context[], stopAt: string | null): string => {
    let out = '';
    while (position < tokens.length) {
      const token = tokens[position] as MustacheToken;
      position += 1;
      switch (token.kind) {
        case 'text':
          out += token.text;
          break;
        case 'unclosed':
          out += token.raw;
          break;
        case 'escaped':
          out += escape(interpolate(lookup(stack, token.name)));
          break;
        case 'raw':
          out += interpolate(lookup(stack, token.name));
          break;
        case 'comment':
        case 'partial':
        case 'delimiter':
          break;
        case 'close':
          if (token.name === stopAt) return out;
          break;
        case 'section':
        case 'inverted': {
          const value = lookup(stack, token.name);
          const start = position;
          if (token.kind === 'inverted') {
            const body = render(stack, token.name);
            if (isFalsy(value)) out += body;
            break;
          }
          if (isFalsy(value)) {
            render(stack, token.name);
            break;
          }
          const items = Array.isArray(value) ? value : [value];
          for (const item of items) {
            position = start;
            out += render(value === true ? stack : [...stack, item], token.name);
          }
          if (items.length === 0) render(stack, token.name);
          break;
        }
      }
    }
    return out;
  };
  return render([view], null);
}

/** The spec's escaping: exactly `&`, `"`, `<` and `>`. The mail renderer escapes more (escapeHtml). */
export function mustacheSpecEscape(value: string): string {
  return value.replace(/[&"<>]/g, (ch) =>
    ch === '&' ? '&amp;' : ch === '"' ? '&quot;' : ch === '<' ? '&lt;' : '&gt;',
  );
}
