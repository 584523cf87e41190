import { z } from 'zod';
import { Timestamp } from '../domain/platform.ts';
import { method } from './define.ts';

export const AuditEntry = z.object({
  seq: z.number().int().positive(),
  at: Timestamp,
  /** Operator id (account object id, `cli:user@host`, or `signed-out`). */
  actor: z.string().max(300),
  actorName: z.string().max(300).nullable(),
  transport: z.string().max(20),
  action: z.string().max(100),
  target: z.string().max(300).nullable(),
  outcome: z.string().max(100),
  detail: z.string().max(2000).nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditVerification = z.object({
  ok: z.boolean(),
  checked: z.number().int().nonnegative(),
  /** The first entry whose hash or link does not match, in words. */
  firstBad: z.object({ seq: z.number().int(), reason: z.string().max(500) }).nullable(),
});
export type AuditVerification = z.infer<typeof AuditVerification>;

export const auditMethods = {
  'audit.list': method({
    input: z
      .object({
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
        action: z.string().max(100).optional(),
        outcome: z.string().max(100).optional(),
        q: z.string().max(200).optional(),
      })
      .strict(),
    output: z.object({
      entries: z.array(AuditEntry),
      total: z.number().int().nonnegative(),
      retentionDays: z.number().int().positive().nullable(),
    }),
    permission: 'read',
    summary: 'Audit entries, newest first, filtered by action, outcome or text.',
  }),
  'audit.verify': method({
    input: z.object({}).strict(),
    output: AuditVerification,
    permission: 'read',
    summary: 'Check the hash chain of the whole audit log.',
  }),
  'audit.export': method({
    input: z.object({}).strict(),
    output: z.object({ filename: z.string(), rowCount: z.number().int().nonnegative(), csv: z.string() }),
    permission: 'export',
    summary: 'The audit log as CSV.',
  }),
  'audit.setRetention': method({
    input: z.object({ days: z.number().int().min(30).max(3650).nullable() }).strict(),
    output: z.object({ retentionDays: z.number().int().positive().nullable() }),
    permission: 'settings',
    summary: 'How long audit entries are kept (null: forever).',
  }),
  'audit.purge': method({
    input: z.object({}).strict(),
    output: z.object({ purged: z.number().int().nonnegative(), before: Timestamp.nullable() }),
    permission: 'settings',
    summary: 'Remove entries older than the retention; the purge itself is audited.',
  }),
} as const;
