import { tokenizeMustache } from './mustache.ts';

/**
 * The announcement template language: the platform's template style (`{{FirstName}}`,
 * `[UNIVERSITY]`, `[DATE PROVIDED]`) over a Markdown body. Merge fields are mustache escaped
 * interpolations resolved per recipient; organisation placeholders in square brackets are resolved
 * once per announcement. Everything here runs anywhere (renderer, core, CLI).
 */

export const MERGE_FIELDS = [
  'FirstName',
  'LastName',
  'Email',
  'MagicLink',
  'ReauthorizeUrl',
  'HelpUrl',
  'CutoffDate',
] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];

/** Fields whose values are https URLs: the only fields a link may point at. */
export const URL_FIELDS: ReadonlySet<MergeField> = new Set(['MagicLink', 'ReauthorizeUrl', 'HelpUrl']);

export function isMergeField(name: string): name is MergeField {
  return (MERGE_FIELDS as readonly string[]).includes(name);
}

export const ORG_PLACEHOLDERS = ['UNIVERSITY', 'DATE PROVIDED'] as const;
export type OrgPlaceholder = (typeof ORG_PLACEHOLDERS)[number];

/** `[UNIVERSITY]`, `[ DATE  PROVIDED ]`: the key in upper case with single spaces, or null. */
export function orgPlaceholderKey(inner: string): OrgPlaceholder | null {
  const key = inner.trim().replace(/\s+/g, ' ').toUpperCase();
  return (ORG_PLACEHOLDERS as readonly string[]).includes(key) ? (key as OrgPlaceholder) : null;
}

/**
 * Square-bracketed upper-case words, as the platform's template writes placeholders. A bracket
 * followed by `(` or `[` is Markdown link text, not a placeholder.
 */
export const PLACEHOLDER_PATTERN = /\[([A-Z][A-Z0-9 _.-]*[A-Z0-9])\](?![([])/g;

export interface PastedTemplate {
  /** The first line's `Subject: …`, or null when the text has none. */
  subject: string | null;
  body: string;
  /** Lines before the body in the pasted text (the subject line and blank lines after it). */
  bodyLineOffset: number;
}

/** Takes a pasted template apart: a first line `Subject: …` is the subject, the rest the body. */
export function splitPastedTemplate(text: string): PastedTemplate {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const match = /^[ \t]*subject[ \t]*:[ \t]*(.*)(?:\n|$)/i.exec(normalized);
  if (match === null) return { subject: null, body: normalized, bodyLineOffset: 0 };
  const rest = normalized.slice(match[0].length);
  // Blank lines between the subject and the text are separators, not part of the body.
  const blank = /^(?:[ \t]*\n)*/.exec(rest)?.[0] ?? '';
  return {
    subject: (match[1] ?? '').trim(),
    body: rest.slice(blank.length),
    bodyLineOffset: 1 + (blank.match(/\n/g)?.length ?? 0),
  };
}

/** What the organisation placeholders resolve to; null when not known (the linter names it). */
export interface OrgValues {
  university: string | null;
  /** `[DATE PROVIDED]` and `{{CutoffDate}}`: a long date, e.g. "December 15, 2026". */
  cutoffDate: string | null;
}

/** The cut-off as users read it: a long date in the platform's time zone ("December 15, 2026"). */
export function longDate(instant: string, timeZone: string, locale = 'en-US'): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) throw new RangeError(`"${instant}" is not a date and time.`);
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', day: 'numeric', timeZone }).format(
    date,
  );
}

export type LintCode =
  | 'unknown-field'
  | 'unescaped-field'
  | 'unsupported-tag'
  | 'unclosed-tag'
  | 'stray-braces'
  | 'single-braces'
  | 'placeholder'
  | 'missing-value'
  | 'insecure-link'
  | 'field-as-link'
  | 'multiline-subject'
  | 'empty';

export interface LintIssue {
  part: 'subject' | 'body';
  /** 1-based line and column (columns count UTF-16 units, as editors do). */
  line: number;
  column: number;
  code: LintCode;
  severity: 'error' | 'warning';
  message: string;
}

function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Edit distance, for "did you mean" (names are short; a plain dynamic programme is plenty). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1)
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[b.length] as number;
}

function suggestion(name: string): string {
  const folded = name.toLowerCase().replace(/[^a-z]/g, '');
  // Close to the whole name, or to its start ("Frist" → "First…"): at most two edits away.
  const near = MERGE_FIELDS.map((field) => {
    const lower = field.toLowerCase();
    return { field, d: Math.min(distance(folded, lower), distance(folded, lower.slice(0, folded.length))) };
  })
    .filter(({ d }) => d <= 2 && folded.length >= 3)
    .sort((a, b) => a.d - b.d)[0]?.field;
  return near === undefined
    ? ` Known fields: ${MERGE_FIELDS.map((f) => `{{${f}}}`).join(', ')}.`
    : ` Did you mean {{${near}}}?`;
}

const SAFE_SCHEMES = /^(https:\/\/|mailto:)/i;

/**
 * Everything that would leave a message unresolved or unsafe, with its line and column. Errors block
 * sending and exporting; warnings do not.
 */
export function lintTemplate(template: { subject: string; body: string }, org: OrgValues): LintIssue[] {
  const issues: LintIssue[] = [];
  const parts: Array<['subject' | 'body', string]> = [
    ['subject', template.subject],
    ['body', template.body],
  ];
  for (const [part, text] of parts) {
    const add = (
      offset: number,
      code: LintCode,
      message: string,
      severity: LintIssue['severity'] = 'error',
    ) => {
      const { line, column } = positionOf(text, offset);
      issues.push({ part, line, column, code, severity, message });
    };
    if (text.trim() === '')
      add(0, 'empty', part === 'subject' ? 'The subject is empty.' : 'The message is empty.');
    if (part === 'subject' && /[\r\n]/.test(text))
      add(text.search(/[\r\n]/), 'multiline-subject', 'A subject is one line.');
    const outside: Array<{ text: string; start: number }> = [];
    for (const token of tokenizeMustache(text)) {
      if (token.kind === 'text') {
        outside.push({ text: token.text, start: token.start });
        continue;
      }
      if (token.kind === 'unclosed') {
        add(
          token.start,
          'unclosed-tag',
          `"${token.raw.slice(0, 40)}" opens a merge field that is never closed with }}.`,
        );
        continue;
      }
      switch (token.kind) {
        case 'escaped':
          if (!isMergeField(token.name))
            add(token.start, 'unknown-field', `${token.raw} is not a merge field.${suggestion(token.name)}`);
          else if (part === 'subject' && URL_FIELDS.has(token.name))
            add(token.start, 'field-as-link', `${token.raw} is a link and cannot go in the subject.`);
          break;
        case 'raw':
          add(
            token.start,
            'unescaped-field',
            `${token.raw} would insert the value unescaped; announcements always escape values: write {{${token.name}}}.`,
          );
          break;
        case 'comment':
          break;
        default:
          add(
            token.start,
            'unsupported-tag',
            `${token.raw.slice(0, 40)}: announcements support merge fields only, not mustache ${token.kind} tags.`,
          );
      }
    }
    for (const segment of outside) {
      const stray = /\}\}|\{\{|\{[A-Za-z][A-Za-z ]{0,30}\}|\{[A-Za-z][A-Za-z]{0,30}\}?|\}/g;
      for (const match of segment.text.matchAll(stray)) {
        const raw = match[0];
        const offset = segment.start + (match.index ?? 0);
        if (/^\{[A-Za-z]/.test(raw))
          add(offset, 'single-braces', `${raw} has unbalanced braces: merge fields are written {{Field}}.`);
        else add(offset, 'stray-braces', `"${raw}" is a brace without its pair.`);
      }
      for (const match of segment.text.matchAll(PLACEHOLDER_PATTERN)) {
        const offset = segment.start + (match.index ?? 0);
        const key = orgPlaceholderKey(match[1] as string);
        if (key === 'UNIVERSITY' && (org.university === null || org.university.trim() === ''))
          add(
            offset,
            'missing-value',
            '[UNIVERSITY] has no value: enter the university name in Settings → University, or for this announcement only (the [UNIVERSITY] field on Compose; --university on the command line).',
          );
        else if (key === 'DATE PROVIDED' && org.cutoffDate === null)
          add(
            offset,
            'missing-value',
            '[DATE PROVIDED] has no value: the platform’s cut-off is not known (connect to the platform or give a date).',
          );
        else if (key === null)
          add(
            offset,
            'placeholder',
            `${match[0]} is a placeholder nobody fills in: replace it with your text.`,
          );
      }
      if (part === 'body') lintLinks(segment.text, segment.start, add);
    }
    if (part === 'body') lintLinkTargets(text, add);
  }
  const order = (issue: LintIssue) => (issue.part === 'subject' ? 0 : 1);
  return issues.sort((a, b) => order(a) - order(b) || a.line - b.line || a.column - b.column);
}

type Add = (offset: number, code: LintCode, message: string) => void;

/** Links written as text: bare http://, www., angle autolinks, href/src attributes with a non-https value. */
function lintLinks(text: string, base: number, add: Add): void {
  for (const match of text.matchAll(/\b(?:https?|ftp|file):\/\/[^\s<>"')\]]*/gi)) {
    const url = match[0];
    if (/^https:\/\//i.test(url)) continue;
    // Inside a Markdown link target the link-target pass reports it, once.
    const before = text.slice(0, match.index ?? 0);
    if (/\]\(\s*<?$/.test(before)) continue;
    add(
      base + (match.index ?? 0),
      'insecure-link',
      `The link ${url.slice(0, 60)} is not https: every link in an announcement must start with https://.`,
    );
  }
  for (const match of text.matchAll(/(?<![/\w@.])www\.[^\s<>"')\]]+/gi)) {
    add(
      base + (match.index ?? 0),
      'insecure-link',
      `${match[0].slice(0, 60)} becomes an http:// link: write it as https://${match[0].slice(0, 40)}.`,
    );
  }
}

/** Markdown link targets `](…)` and HTML href/src values: https, mailto: or a link field only. */
function lintLinkTargets(text: string, add: Add): void {
  const targets: Array<{ value: string; offset: number }> = [];
  for (const match of text.matchAll(/\]\(\s*<?([^\s)>]*)/g))
    targets.push({
      value: match[1] ?? '',
      offset: (match.index ?? 0) + match[0].length - (match[1] ?? '').length,
    });
  for (const match of text.matchAll(/\b(?:href|src|action|formaction|background)\s*=\s*(["']?)([^"'\s>]*)/gi))
    targets.push({
      value: match[2] ?? '',
      offset: (match.index ?? 0) + match[0].length - (match[2] ?? '').length,
    });
  for (const { value, offset } of targets) {
    const field = /^\{\{\s*([A-Za-z]+)\s*\}\}$/.exec(value);
    if (field !== null) {
      const name = field[1] as string;
      if (isMergeField(name) && !URL_FIELDS.has(name))
        add(
          offset,
          'field-as-link',
          `{{${name}}} is not a link: only {{MagicLink}}, {{ReauthorizeUrl}} and {{HelpUrl}} may be link targets.`,
        );
      continue;
    }
    if (value === '') {
      add(offset, 'insecure-link', 'A link without a target: give it an https:// address.');
      continue;
    }
    if (!SAFE_SCHEMES.test(value))
      add(
        offset,
        'insecure-link',
        `The link ${value.slice(0, 60)} is not https: every link in an announcement must start with https://.`,
      );
  }
}

/** True when nothing blocks sending or exporting. */
export function isSendable(issues: readonly LintIssue[]): boolean {
  return issues.every((issue) => issue.severity !== 'error');
}

/** "body line 3, column 14: …" for CLI output and logs. */
export function describeIssue(issue: LintIssue, bodyLineOffset = 0): string {
  const line = issue.part === 'body' ? issue.line + bodyLineOffset : issue.line;
  return `${issue.part} line ${line}, column ${issue.column}: ${issue.message}`;
}
