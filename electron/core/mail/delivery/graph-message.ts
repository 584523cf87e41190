import { cleanValue, displayName, type RecipientFields } from '../../../../shared/mail/recipient.ts';
import type { GraphOutgoingMessage } from '../../graph/client.ts';
import type { RenderedMessage } from '../render.ts';

/** The subject prefix of a test send, so nobody mistakes it for the real announcement. */
export const TEST_SUBJECT_PREFIX = '[TEST] ';

/** Graph's subject is one header line: no CR, LF or other control character ever reaches it. */
export function headerSafe(value: string, max: number): string {
  return Array.from(cleanValue(value)).slice(0, max).join('');
}

export interface MessageAddress {
  name: string;
  address: string;
}

/**
 * The JSON Graph's `sendMail` and `POST /me/messages` take for one rendered message: the HTML part
 * as the body (Graph builds the MIME), one To recipient, and `from` only when sending as a shared
 * mailbox. Every value that becomes a header (subject, display names) is one clean line.
 */
export function graphMessage(
  message: RenderedMessage,
  to: MessageAddress,
  from: MessageAddress | null,
): GraphOutgoingMessage {
  const recipient = (a: MessageAddress) => ({
    emailAddress: {
      name: headerSafe(a.name, 200),
      address: a.address.trim(),
    },
  });
  return {
    subject: headerSafe(message.subject, 255),
    body: { contentType: 'HTML', content: message.html },
    toRecipients: [recipient(to)],
    ...(from === null ? {} : { from: recipient(from) }),
  };
}

/** A recipient's To address: the display name as the preview and export write it. */
export function toAddress(recipient: RecipientFields & { email: string }): MessageAddress {
  return { name: displayName(recipient), address: recipient.email.trim() };
}
