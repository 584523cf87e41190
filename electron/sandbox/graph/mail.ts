import { createHash, randomBytes } from 'node:crypto';

/** The operator's own mailbox as far as the console uses it: drafts and sent items. */

export interface Recipient {
  emailAddress: { name?: string; address: string };
}

export interface StoredMessage {
  resource: Record<string, unknown>;
  createdMs: number;
}

export interface ParsedMessage {
  subject: string;
  body: { contentType: 'text' | 'html'; content: string };
  toRecipients: Recipient[];
  ccRecipients: Recipient[];
  bccRecipients: Recipient[];
  replyTo: Recipient[];
}

const ADDRESS = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;

function recipients(value: unknown, field: string): Recipient[] | string {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return `${field} must be an array.`;
  const out: Recipient[] = [];
  for (const r of value) {
    const email = (r as { emailAddress?: { address?: unknown; name?: unknown } } | null)?.emailAddress;
    if (!email || typeof email.address !== 'string' || !ADDRESS.test(email.address))
      return `Invalid recipient in ${field}.`;
    out.push({
      emailAddress: {
        address: email.address,
        ...(typeof email.name === 'string' ? { name: email.name } : {}),
      },
    });
  }
  return out;
}

/** Reads a Graph message body; a string names what is wrong (Graph answers 400 ErrorInvalidRecipients / RequestBodyRead). */
export function parseMessage(value: unknown): ParsedMessage | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'The message is missing or not an object.';
  const m = value as Record<string, unknown>;
  const body = m.body as { contentType?: unknown; content?: unknown } | undefined;
  const contentType =
    typeof body?.contentType === 'string' && body.contentType.toLowerCase() === 'html' ? 'html' : 'text';
  const lists: Record<'toRecipients' | 'ccRecipients' | 'bccRecipients' | 'replyTo', Recipient[]> = {
    toRecipients: [],
    ccRecipients: [],
    bccRecipients: [],
    replyTo: [],
  };
  for (const field of ['toRecipients', 'ccRecipients', 'bccRecipients', 'replyTo'] as const) {
    const parsed = recipients(m[field], field);
    if (typeof parsed === 'string') return parsed;
    lists[field] = parsed;
  }
  return {
    subject: typeof m.subject === 'string' ? m.subject : '',
    body: { contentType, content: typeof body?.content === 'string' ? body.content : '' },
    ...lists,
  };
}

export function recipientCount(m: ParsedMessage): number {
  return m.toRecipients.length + m.ccRecipients.length + m.bccRecipients.length;
}

function preview(m: ParsedMessage): string {
  const text = m.body.contentType === 'html' ? m.body.content.replace(/<[^>]*>/g, ' ') : m.body.content;
  return text.replace(/\s+/g, ' ').trim().slice(0, 255);
}

export function messageResource(
  m: ParsedMessage,
  opts: { now: Date; isDraft: boolean; from: Recipient },
): Record<string, unknown> {
  const id = `AAMkA${randomBytes(33).toString('base64url')}AAA=`;
  const changeKey = randomBytes(18).toString('base64');
  const iso = opts.now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    '@odata.etag': `W/"${changeKey}"`,
    id,
    createdDateTime: iso,
    lastModifiedDateTime: iso,
    changeKey,
    categories: [],
    receivedDateTime: iso,
    sentDateTime: opts.isDraft ? null : iso,
    hasAttachments: false,
    internetMessageId: `<${createHash('sha256').update(id).digest('hex').slice(0, 24)}@sandbox.local>`,
    subject: m.subject,
    bodyPreview: preview(m),
    importance: 'normal',
    parentFolderId: opts.isDraft ? 'AAMkADrafts' : 'AAMkASentItems',
    conversationId: `AAQkA${randomBytes(12).toString('base64url')}=`,
    conversationIndex: randomBytes(22).toString('base64'),
    isDeliveryReceiptRequested: false,
    isReadReceiptRequested: false,
    isRead: true,
    isDraft: opts.isDraft,
    webLink: `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(id)}&exvsurl=1&viewmodel=ReadMessageItem`,
    inferenceClassification: 'focused',
    body: m.body,
    sender: opts.isDraft ? null : opts.from,
    from: opts.isDraft ? null : opts.from,
    toRecipients: m.toRecipients,
    ccRecipients: m.ccRecipients,
    bccRecipients: m.bccRecipients,
    replyTo: m.replyTo,
  };
}

export class MailStore {
  private readonly byMailbox = new Map<string, StoredMessage[]>();

  add(mailbox: string, message: StoredMessage): void {
    const list = this.byMailbox.get(mailbox) ?? [];
    list.push(message);
    this.byMailbox.set(mailbox, list);
  }

  /** Newest first, as GET /me/messages orders by default (receivedDateTime desc). */
  list(mailbox: string): StoredMessage[] {
    return [...(this.byMailbox.get(mailbox) ?? [])].reverse();
  }
}
