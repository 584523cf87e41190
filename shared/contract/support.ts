import { z } from 'zod';
import { Connection, MAGIC_LINK_TTL_MINUTES, Timestamp } from '../domain/platform.ts';
import { method } from './define.ts';
import { Troubleshooting } from './verify.ts';

/**
 * The one-user troubleshooter's methods (the user's detail page, `doctor`). Its shapes live with
 * verification in verify.ts (docs/diagnosis.md documents them).
 */

const UserIdInput = z.object({ userId: z.string().trim().min(1).max(100) }).strict();

export const supportMethods = {
  'support.troubleshoot': method({
    summary: "One user's connection, sync log, timeline, diagnosis and latest verification.",
    permission: 'read',
    input: UserIdInput,
    output: Troubleshooting,
  }),
  'support.resync': method({
    summary: 'Asks the platform to sync this user again.',
    permission: 'act-one',
    input: UserIdInput,
    output: z.object({ requestId: z.string().max(200), expectedBy: Timestamp }),
  }),
  'support.magicLink': method({
    summary: "A magic link to the user's calendar-sync settings (shown once, never logged).",
    permission: 'act-one',
    input: z
      .object({
        userId: z.string().trim().min(1).max(100),
        ttlMinutes: z
          .number()
          .int()
          .min(MAGIC_LINK_TTL_MINUTES.min)
          .max(MAGIC_LINK_TTL_MINUTES.max)
          .default(1440),
      })
      .strict(),
    output: z.object({ url: z.string().max(2048), expiresAt: Timestamp }),
  }),
  'support.forceDisconnect': method({
    summary: 'Force-disconnects one user (director only); the user must re-authorize.',
    permission: 'force-disconnect',
    input: z
      .object({ userId: z.string().trim().min(1).max(100), reason: z.string().trim().min(1).max(500) })
      .strict(),
    output: z.object({ changed: z.boolean(), connection: Connection }),
  }),
  'support.findUsers': method({
    summary: 'Users whose name, email or id matches (accepts "Last, First"), for the command palette.',
    permission: 'read',
    input: z.object({ q: z.string().max(200), limit: z.number().int().min(1).max(50).default(10) }).strict(),
    output: z.object({
      items: z
        .array(
          z.object({
            userId: z.string().max(100),
            name: z.string().max(400),
            email: z.string().max(400),
            status: z.string().max(50),
          }),
        )
        .max(50),
    }),
  }),
} as const;
