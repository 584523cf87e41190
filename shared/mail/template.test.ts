import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSendable, lintTemplate, longDate, splitPastedTemplate, type LintIssue } from './template.ts';

const org = { university: 'Example State', cutoffDate: 'December 15, 2026' };
const lint = (body: string, subject = 'Subject') =>
  lintTemplate({ subject, body }, org).map((i) => [i.code, i.part, i.line, i.column]);

describe('lintTemplate', () => {
  it('accepts every known field and placeholder', () => {
    const body =
      'Hi {{FirstName}} {{ LastName }} ({{Email}}), [UNIVERSITY] [date provided]\n[Go]({{MagicLink}}) {{ReauthorizeUrl}} <a href="{{HelpUrl}}">help</a> {{CutoffDate}} {{! a note }} https://ok.example';
    expect(lintTemplate({ subject: 'Reconnect by [DATE PROVIDED], {{FirstName}}', body }, org)).toEqual([]);
  });

  it('names line and column of each unresolved or unsafe thing', () => {
    expect(lint('Hi {{Firstname}},\nsee {{Nope}}')).toEqual([
      ['unknown-field', 'body', 1, 4],
      ['unknown-field', 'body', 2, 5],
    ]);
    expect(lint('ok\n  {{{FirstName}}} and {{&LastName}}')).toEqual([
      ['unescaped-field', 'body', 2, 3],
      ['unescaped-field', 'body', 2, 23],
    ]);
    expect(lint('{{#section}}x{{/section}} {{> partial}}')).toEqual([
      ['unsupported-tag', 'body', 1, 1],
      ['unsupported-tag', 'body', 1, 14],
      ['unsupported-tag', 'body', 1, 27],
    ]);
    expect(lint('Hi {{FirstName\nnext line')).toEqual([['unclosed-tag', 'body', 1, 4]]);
    expect(lint('Hi {FirstName}, and }} here')).toEqual([
      ['single-braces', 'body', 1, 4],
      ['stray-braces', 'body', 1, 21],
    ]);
    expect(lint('Dear [STUDENT NAME], at [UNIVERSITY]')).toEqual([['placeholder', 'body', 1, 6]]);
    expect(
      lint('a http://x.example b\n[c](ftp://y.example) <a href="javascript:alert(1)">d</a> www.z.example'),
    ).toEqual([
      ['insecure-link', 'body', 1, 3],
      ['insecure-link', 'body', 2, 5],
      ['insecure-link', 'body', 2, 31],
      ['insecure-link', 'body', 2, 58],
    ]);
    expect(lint('[x]({{FirstName}})')).toEqual([['field-as-link', 'body', 1, 5]]);
    expect(lint('x', 'Go to {{MagicLink}}')).toEqual([['field-as-link', 'subject', 1, 7]]);
    expect(lint('', '')).toEqual([
      ['empty', 'subject', 1, 1],
      ['empty', 'body', 1, 1],
    ]);
  });

  it('tells what is missing when the university or the cut-off is not known', () => {
    const issues = lintTemplate(
      { subject: 's', body: '[UNIVERSITY] by [DATE PROVIDED]' },
      { university: null, cutoffDate: null },
    );
    expect(issues.map((i) => [i.code, i.column])).toEqual([
      ['missing-value', 1],
      ['missing-value', 17],
    ]);
    expect(issues[0]?.message).toContain('Settings → University');
    expect(isSendable(issues)).toBe(false);
  });

  it('does not take Markdown link text or task boxes for placeholders', () => {
    expect(lint('[HELP](https://x.example) - [ ] todo - [x] done [A]')).toEqual([]);
  });

  it('never throws and keeps positions inside the text, whatever it is given', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('{', '}', '[', ']', 'A', 'x', ' ', '\n', 'http://', '(', ')', '=', '"'),
        }),
        (body) => {
          const issues: LintIssue[] = lintTemplate({ subject: 'S', body }, org);
          const lines = body.split('\n');
          for (const issue of issues) {
            expect(issue.line).toBeGreaterThanOrEqual(1);
            expect(issue.line).toBeLessThanOrEqual(lines.length);
            expect(issue.column).toBeLessThanOrEqual((lines[issue.line - 1]?.length ?? 0) + 1);
          }
        },
      ),
    );
  });
});

describe('splitPastedTemplate', () => {
  it('takes the subject off the first line only', () => {
    expect(
      splitPastedTemplate('\uFEFFSubject:  Hello {{FirstName}} \r\n\r\nBody\r\nSubject: not this'),
    ).toEqual({
      subject: 'Hello {{FirstName}}',
      body: 'Body\nSubject: not this',
      bodyLineOffset: 2,
    });
    expect(splitPastedTemplate('Hi there')).toEqual({ subject: null, body: 'Hi there', bodyLineOffset: 0 });
  });
});

describe('longDate', () => {
  it('writes the cut-off as a long date in the platform’s time zone', () => {
    expect(longDate('2026-12-15T23:59:00-05:00', 'America/New_York')).toBe('December 15, 2026');
    // The same instant is already the 16th in Berlin.
    expect(longDate('2026-12-15T23:59:00-05:00', 'Europe/Berlin')).toBe('December 16, 2026');
    expect(() => longDate('soon', 'UTC')).toThrow(RangeError);
  });
});
