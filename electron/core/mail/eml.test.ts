import { readFileSync } from 'node:fs';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { buildEml, headerBlock, newMessageId, type MailAddress } from './eml.ts';

interface MimeCase {
  id: string;
  operation: string;
  input: unknown;
  expected: unknown;
}

const cases = (
  JSON.parse(
    readFileSync(new URL('../../../tests/fixtures/external/mime/cases.json', import.meta.url), 'utf8'),
  ) as { cases: MimeCase[] }
).cases;

const message = (subject: string) => ({ subject, html: '<p>x</p>', text: 'x\n' });
const envelope = (to: MailAddress, from: MailAddress | null = null) => ({
  from,
  to,
  date: new Date('2026-12-01T15:00:00Z'),
  messageId: '<m1@school.example>',
});

describe('buildEml against the RFC 2047 cases of nodemailer’s own suite (mime/cases.json)', () => {
  const subjectCases = cases.filter((c) => c.operation === 'encode-header Subject');
  it.each(subjectCases.map((c) => [c.id, c] as const))(
    '%s: the Subject line is encoded as nodemailer asserts',
    async (_id, c) => {
      const eml = (
        await buildEml(message(c.input as string), envelope({ name: 'A', address: 'a@b.c' }))
      ).toString('utf8');
      const expected = (c.expected as string).replace(/\r\n$/, '');
      expect(`${headerBlock(Buffer.from(eml))}\r\n`).toContain(`${expected}\r\n`);
      // And a maintained parser reads back what went in.
      expect((await PostalMime.parse(eml)).subject).toBe(c.input);
    },
  );

  const addressCases = cases.filter(
    (c) =>
      (c.operation === 'encode-address-list' && Array.isArray(c.input) && c.input.length === 1) ||
      c.operation === 'encode-address (from)',
  );
  it('has the address cases', () => expect(addressCases.length).toBeGreaterThanOrEqual(6));
  it.each(addressCases.map((c) => [c.id, c] as const))(
    '%s: the To header is written as nodemailer asserts',
    async (_id, c) => {
      const to = (Array.isArray(c.input) ? c.input[0] : c.input) as MailAddress;
      const eml = await buildEml(message('Hello'), envelope(to));
      expect(headerBlock(eml).split('\r\n')).toContain(`To: ${c.expected as string}`);
      const parsed = await PostalMime.parse(eml);
      expect(parsed.to?.[0]?.name).toBe(to.name);
    },
  );
});

/**
 * The decoding cases check the parser the tests compare with: every `.eml` assertion below relies on
 * postal-mime reading encoded words as these suites define. Cases the suites themselves call lenient
 * or malformed (SOURCES.md lists them) and non-Subject operations are left out.
 */
const LENIENT = new Set([
  'cpython-rfc2047-missing-whitespace',
  'libmime-decodeWords-invalid-split',
  'libmime-decodeWords-lang-suffix',
  'cpython-ew-lang',
]);
/**
 * postal-mime 4.2 decodes each base64 word on its own, so a multibyte character split across two
 * padded words comes out as two U+FFFD. nodemailer never splits inside a character, so no message we
 * write hits it; the `it.fails` below notices when the parser changes.
 */
const PARSER_DIVERGES = new Set(['libmime-decodeWords-b-split-padded']);
const decodeCases = cases.filter(
  (c) =>
    (c.operation === 'decode-words' ||
      c.operation === 'decode-header Subject' ||
      c.id.startsWith('cpython-rfc2047-section8')) &&
    typeof c.input === 'string' &&
    !LENIENT.has(c.id) &&
    !PARSER_DIVERGES.has(c.id),
);

describe('postal-mime decodes the suites’ encoded-word cases (the parser every written .eml is compared with)', () => {
  it('has the cases', () => expect(decodeCases.length).toBeGreaterThanOrEqual(15));
  it.each(decodeCases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    // An unfolded header line: a folded case's CRLF + whitespace stays a fold.
    const raw = `Subject: ${(c.input as string).replace(/\r?\n(?=[ \t])/g, '\r\n')}\r\nTo: a@b.c\r\n\r\nx\r\n`;
    expect((await PostalMime.parse(raw)).subject).toBe(c.expected);
  });
});

describe('postal-mime’s known divergence', () => {
  const diverging = cases.filter((c) => PARSER_DIVERGES.has(c.id));
  it.fails.each(diverging.map((c) => [c.id, c] as const))('%s (fails today)', async (_id, c) => {
    const raw = `Subject: ${c.input as string}\r\nTo: a@b.c\r\n\r\nx\r\n`;
    expect((await PostalMime.parse(raw)).subject).toBe(c.expected);
  });
});

describe('newMessageId', () => {
  it('is unique, bracketed and on the sender’s domain', () => {
    const a = newMessageId({ name: 'x', address: 'cc@school.example' });
    expect(a).toMatch(/^<[0-9a-f-]{36}@school\.example>$/);
    expect(newMessageId(null)).toMatch(/@calendar-sync-console\.invalid>$/);
    expect(a).not.toBe(newMessageId({ name: 'x', address: 'cc@school.example' }));
  });
});
