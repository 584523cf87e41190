import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { RenderedMessage } from './render.ts';

export interface MailAddress {
  name: string;
  address: string;
}

export interface Envelope {
  from: MailAddress | null;
  to: MailAddress;
  date: Date;
  messageId: string;
}

/** `<uuid@domain>`: the sender's domain, or `.invalid` (RFC 2606) when there is no sender. */
export function newMessageId(from: MailAddress | null): string {
  const domain = from?.address.slice(from.address.lastIndexOf('@') + 1) || 'calendar-sync-console.invalid';
  return `<${randomUUID()}@${domain}>`;
}

/**
 * One message as RFC 5322 bytes, built by nodemailer's MailComposer: UTF-8, RFC 2047 encoded words
 * for non-ASCII names and subjects, quoted-printable or base64 bodies as the content needs, a
 * multipart/alternative of the plain-text and HTML parts, Date and Message-ID. Nothing here writes
 * MIME by hand; addresses go in as objects, so a display name is always quoted or encoded.
 */
export async function buildEml(message: RenderedMessage, envelope: Envelope): Promise<Buffer> {
  const composer = new MailComposer({
    ...(envelope.from === null ? {} : { from: envelope.from }),
    to: envelope.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    date: envelope.date,
    messageId: envelope.messageId,
    // Tell clients this is bulk mail about an account, so they do not auto-reply to it.
    headers: { 'Auto-Submitted': 'auto-generated', Precedence: 'bulk' },
  });
  return composer.compile().build();
}

/** The header block of a built message, exactly as written (for the preview's "Headers" view). */
export function headerBlock(eml: Buffer): string {
  const text = eml.toString('utf8');
  const end = text.indexOf('\r\n\r\n');
  return end === -1 ? text : text.slice(0, end);
}
