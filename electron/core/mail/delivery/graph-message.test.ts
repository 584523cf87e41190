import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeValues } from '../../../../shared/mail/recipient.ts';
import { compileTemplate } from '../compile.ts';
import { renderMessage } from '../render.ts';
import { draftsDuration, sendingDuration } from './delivery-plan.ts';
import { graphMessage, headerSafe, toAddress } from './graph-message.ts';

// Anything that could end a header line or smuggle one in, anywhere Graph turns a value into a header.
// eslint-disable-next-line no-control-regex
const HEADER_BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('Ada\r\nBcc: evil@example.com', 'x\u2028y', '\u0085', 'a\rb', '\n'),
);

describe('the message Graph receives', () => {
  const template = compileTemplate(
    {
      subject: 'Hello {{FirstName}} {{LastName}}: reconnect by {{CutoffDate}}',
      body: 'Dear {{FirstName}},\n\nbye',
    },
    { university: 'Demo University', cutoffDate: 'December 15, 2026' },
  );
  const context = {
    fallbackFirstName: 'there',
    reauthorizeUrl: 'https://careers.example.edu/reauthorize',
    helpUrl: null,
    cutoffDate: 'December 15, 2026',
  };

  it('never carries CR, LF or another control character in the subject or a display name (arbitrary Unicode names)', () => {
    fc.assert(
      fc.property(anyText, anyText, anyText, anyText, (first, last, preferred, fromName) => {
        const person = {
          userId: 'u_1',
          firstName: first,
          lastName: last,
          preferredName: preferred,
          email: 'ada@demo-university.edu',
        };
        const rendered = renderMessage(template, mergeValues(person, context, null));
        const message = graphMessage(rendered, toAddress(person), {
          name: fromName,
          address: 'careers@demo-university.edu',
        });
        const subject = message['subject'] as string;
        const to = (message['toRecipients'] as Array<{ emailAddress: { name: string; address: string } }>)[0];
        const from = (message['from'] as { emailAddress: { name: string } }).emailAddress.name;
        expect(subject).not.toMatch(HEADER_BREAKING);
        expect(subject.length).toBeLessThanOrEqual(255);
        expect(to?.emailAddress.name).not.toMatch(HEADER_BREAKING);
        expect(to?.emailAddress.address).toBe('ada@demo-university.edu');
        expect(from).not.toMatch(HEADER_BREAKING);
        expect(Array.from(to?.emailAddress.name ?? '').length).toBeLessThanOrEqual(200);
      }),
      { numRuns: 300 },
    );
  });

  it('cuts a 50 KB name to one short line', () => {
    const name = `${'é'.repeat(50_000)}\r\nBcc: x@y.z`;
    expect(headerSafe(name, 200)).toHaveLength(200);
    expect(headerSafe(name, 200)).not.toMatch(HEADER_BREAKING);
  });

  it('names no sender (own mailbox) unless a shared mailbox is given', () => {
    const rendered = renderMessage(
      template,
      mergeValues(
        { userId: 'u_2', firstName: 'A', lastName: 'B', preferredName: null, email: 'a@b.edu' },
        context,
        null,
      ),
    );
    expect(graphMessage(rendered, { name: 'A B', address: 'a@b.edu' }, null)).not.toHaveProperty('from');
    expect(graphMessage(rendered, { name: 'A B', address: 'a@b.edu' }, null)['body']).toEqual({
      contentType: 'HTML',
      content: rendered.html,
    });
  });
});

describe('the plan at Exchange limits', () => {
  it('sends 30 a minute and waits for the 24-hour window when the day is used up', () => {
    expect(sendingDuration(0, 0)).toEqual({ ms: 0, quotaPauses: 0 });
    expect(sendingDuration(1, 0)).toEqual({ ms: 0, quotaPauses: 0 });
    expect(sendingDuration(31, 0).ms).toBe(60_000);
    // 28,431 recipients: two full days of 10,000, then 8,431 at 30 a minute.
    const big = sendingDuration(28_431, 0);
    expect(big.quotaPauses).toBe(2);
    expect(big.ms).toBe(2 * 86_400_000 + 8_431 * 2_000);
    // With 9,990 already used today, the 11th message waits for the window.
    expect(sendingDuration(20, 9_990).quotaPauses).toBe(1);
    expect(draftsDuration(1_001)).toBe(60_000);
  });
});
