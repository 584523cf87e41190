import { z } from 'zod';
import { MAGIC_LINK_TTL_MINUTES, Timestamp } from '../domain/platform.ts';
import { method } from './define.ts';

/**
 * Mail about one user, for the troubleshooter: the announcements that reached them (from the journal's
 * record of announcements) and one magic link emailed from the operator's own mailbox through Graph.
 */

const UserId = z.string().trim().min(1).max(100);

export const UserAnnouncement = z.object({
  id: z.string().max(100),
  kind: z.enum(['export', 'send', 'drafts']),
  /** eml, csv or html for an export; null for a send or a draft batch. */
  format: z.string().max(20).nullable(),
  templateName: z.string().max(1000),
  subject: z.string().max(1000),
  recordedAt: Timestamp,
});
export type UserAnnouncement = z.infer<typeof UserAnnouncement>;

export const userMailMethods = {
  'userMail.announcements': method({
    summary: 'The announcements (sends, draft batches, exports) that reached one user, newest first.',
    permission: 'read',
    input: z.object({ userId: UserId, limit: z.number().int().min(1).max(200).default(50) }).strict(),
    output: z.object({
      announcements: z.array(UserAnnouncement).max(200),
      /** How many reached the user in all (the list may be cut at `limit`). */
      total: z.number().int().nonnegative(),
    }),
  }),
  'userMail.sendMagicLink': method({
    summary:
      "Emails one user a magic link from the signed-in operator's mailbox (Graph sendMail); the link is never logged.",
    permission: 'act-one',
    input: z
      .object({
        userId: UserId,
        ttlMinutes: z
          .number()
          .int()
          .min(MAGIC_LINK_TTL_MINUTES.min)
          .max(MAGIC_LINK_TTL_MINUTES.max)
          .default(1440),
      })
      .strict(),
    output: z.object({
      /** The user's address the message went to. */
      to: z.string().max(400),
      /** The operator's mailbox it was sent from. */
      from: z.string().max(400),
      expiresAt: Timestamp,
      sentAt: Timestamp,
    }),
  }),
} as const;
