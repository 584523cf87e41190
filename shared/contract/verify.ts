import { z } from 'zod';
import { Connection, SyncLogEntry, Timestamp } from '../domain/platform.ts';
import { method } from './define.ts';
import { JobId, JobSummary } from './jobs.ts';
import { RosterFilter } from './roster-query.ts';

/**
 * Sync verification and the one-user troubleshooter. The JSON shapes here are also the CLI's
 * (`verify --json`, `doctor --json`) and are documented in docs/verification.md and
 * docs/diagnosis.md: add fields, never rename them.
 */

/**
 * What one synced item turned out to be. The six classes of the issue, plus `unverified` for an
 * item Graph could not be asked about (throttled past the budget, a reply that could not be read):
 * such an item is never given a verdict it was not checked for.
 */
export const ItemClass = z.enum([
  'ok',
  'missing',
  'id_changed',
  'mismatch',
  'duplicate',
  'legacy_id',
  'unverified',
]);
export type ItemClass = z.infer<typeof ItemClass>;
export const ANOMALY_CLASSES = ['missing', 'id_changed', 'mismatch', 'duplicate', 'legacy_id'] as const;

export const ItemResult = z.object({
  userId: z.string().max(100),
  itemId: z.string().max(200),
  externalEventId: z.string().max(2000),
  class: ItemClass,
  /** Plain words: what differs and by how much, which id it was found under, why it was not checked. */
  detail: z.string().max(1000),
  /** id_changed: the event's id now; legacy_id: the translated id. */
  newId: z.string().max(2000).optional(),
});
export type ItemResult = z.infer<typeof ItemResult>;

/**
 * - ok: every item checked and ok; anomalies: at least one item is not ok;
 * - incomplete: no anomaly found, but some items could not be checked;
 * - no_mailbox: Graph has no (active) mailbox for the user, so nothing on the calendar could be checked;
 * - platform_only: no Graph access configured: only the platform's facts were checked;
 * - no_items: the platform placed nothing on this calendar; failed: the check itself could not run.
 */
export const Verdict = z.enum([
  'ok',
  'anomalies',
  'incomplete',
  'no_mailbox',
  'platform_only',
  'no_items',
  'failed',
]);
export type Verdict = z.infer<typeof Verdict>;

export const ItemCounts = z.record(ItemClass, z.number().int().nonnegative());
export type ItemCounts = z.infer<typeof ItemCounts>;

export const UserVerification = z.object({
  userId: z.string().max(100),
  verdict: Verdict,
  counts: ItemCounts,
  checkedAt: Timestamp,
  /** Whether Microsoft Graph was read (false: platform-only or no mailbox). */
  graphChecked: z.boolean(),
  /** Plain sentences: what this verification could not check, and why. */
  notChecked: z.array(z.string().max(500)).max(20),
  /** The platform's facts at the time (status, counts, last error), for the platform-only check. */
  platform: z.object({
    status: z.string().max(50),
    syncedItemCount: z.number().int().nonnegative(),
    itemsRead: z.number().int().nonnegative(),
    lastSyncAt: Timestamp.nullable(),
    lastSyncOutcome: z.string().max(20).nullable(),
    lastErrorCode: z.string().max(100).nullable(),
    /** Failed sync-log runs among the newest entries, per direction. */
    failedRuns: z.object({ toCalendar: z.number().int(), fromCalendar: z.number().int() }),
  }),
  /** Every item (all of them: the CLI and reports need the ok ones too). */
  items: z.array(ItemResult).max(50_000),
  /** Set when verdict is `failed`. */
  error: z.string().max(2000).nullable(),
  durationMs: z.number().nonnegative(),
});
export type UserVerification = z.infer<typeof UserVerification>;

/** A user's verification without the items: what lists and the Users view filter on. */
export const VerificationSummary = UserVerification.omit({ items: true }).extend({
  /** The verification job that made it; null for "verify now" on one user. */
  jobId: z.string().max(100).nullable().optional(),
});
export type VerificationSummary = z.infer<typeof VerificationSummary>;

export const Severity = z.enum(['ok', 'info', 'warning', 'error']);
export type Severity = z.infer<typeof Severity>;

/** One finding of the troubleshooter; the rules and codes are the table in docs/diagnosis.md. */
export const Diagnosis = z.object({
  code: z.string().max(60),
  severity: Severity,
  explanation: z.string().max(1000),
  nextStep: z.string().max(1000),
  /** For "check again at …": when to look again. */
  checkAgainAt: Timestamp.nullable(),
});
export type Diagnosis = z.infer<typeof Diagnosis>;

export const TimelineEntry = z.object({
  at: Timestamp,
  kind: z.enum(['status', 'connected', 'error', 'sync', 'first_graph_sync', 'verification']),
  text: z.string().max(500),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** Everything the user's detail page shows for a ticket. */
export const Troubleshooting = z.object({
  connection: Connection,
  fromCache: z.boolean(),
  syncLog: z.array(SyncLogEntry).max(200),
  /** Null when the sync log could not be read (the reason is in syncLogError). */
  syncLogError: z.string().max(1000).nullable(),
  diagnoses: z.array(Diagnosis).min(1).max(20),
  /** Facts that look contradictory side by side, each with what it means. */
  notes: z.array(z.object({ field: z.string().max(60), text: z.string().max(500) })).max(20),
  timeline: z.array(TimelineEntry).max(300),
  latestVerification: VerificationSummary.nullable(),
  /** Plain text for a ticket: facts, diagnosis, recent sync log; never a secret or a magic link. */
  supportSummary: z.string().max(20_000),
  checkedAt: Timestamp,
});
export type Troubleshooting = z.infer<typeof Troubleshooting>;

export const VerificationAccessState = z.object({
  /** configured: the university's app; demo: the sandbox's verifier app; token: a ready token (CLI); none. */
  kind: z.enum(['configured', 'demo', 'token', 'none']),
  authority: z.string().max(500).nullable(),
  clientId: z.string().max(100).nullable(),
  credential: z.enum(['secret', 'certificate']).nullable(),
  /** The secret or the certificate's key: whether one is kept, never the value. */
  secret: z.object({ configured: z.boolean(), endsWith: z.string().max(4).nullable() }),
  certificateThumbprint: z.string().max(64).nullable(),
  detail: z.string().max(1000),
});
export type VerificationAccessState = z.infer<typeof VerificationAccessState>;

const Guid = z
  .string()
  .trim()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'A client id is a GUID.');

export const VerificationAccessChange = z.union([
  z.object({ clear: z.literal(true) }).strict(),
  z
    .object({
      tenant: z.string().trim().min(1).max(500),
      clientId: Guid,
      clientSecret: z.string().min(8, 'A client secret is at least 8 characters.').max(1000),
    })
    .strict(),
  z
    .object({
      tenant: z.string().trim().min(1).max(500),
      clientId: Guid,
      /** PEM private key and the certificate's SHA-1 thumbprint (hex), as the app registration shows it. */
      certificatePrivateKey: z.string().min(100).max(20_000).includes('PRIVATE KEY'),
      certificateThumbprint: z
        .string()
        .trim()
        .regex(
          /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i,
          'The thumbprint is 40 (SHA-1) or 64 (SHA-256) hexadecimal characters.',
        ),
    })
    .strict(),
]);
export type VerificationAccessChange = z.infer<typeof VerificationAccessChange>;

const UserIdText = z.string().trim().min(1).max(100);

/** Who a verification job covers: the Users view's filter (minus unticked rows), or picked ids. */
export const VerifySelection = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('filter'),
      filter: RosterFilter,
      exceptIds: z.array(UserIdText).max(5000).default([]),
    })
    .strict(),
  z.object({ kind: z.literal('ids'), userIds: z.array(UserIdText).min(1).max(100_000) }).strict(),
]);
export type VerifySelection = z.infer<typeof VerifySelection>;

/** A verification job's report: one document, CSV (one row per item) or JSON (docs/verification.md). */
export const VerifyReportFormat = z.enum(['csv', 'json']);
export type VerifyReportFormat = z.infer<typeof VerifyReportFormat>;

const UserIdInput = z.object({ userId: z.string().trim().min(1).max(100) }).strict();

export const verifyMethods = {
  'verify.user': method({
    summary:
      "Verifies one user's synced items against their calendar through Microsoft Graph (or platform-only).",
    permission: 'act-one',
    input: UserIdInput,
    output: UserVerification,
  }),
  'verify.latest': method({
    summary: "The user's latest verification, or null.",
    permission: 'read',
    input: UserIdInput,
    output: UserVerification.nullable(),
  }),
  'verify.list': method({
    summary: 'Latest verifications, optionally only those with given verdicts (newest first).',
    permission: 'read',
    input: z
      .object({
        verdicts: z.array(Verdict).max(7).optional(),
        offset: z.number().int().nonnegative().default(0),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    output: z.object({
      total: z.number().int().nonnegative(),
      items: z.array(VerificationSummary).max(1000),
    }),
  }),
  'verify.start': method({
    summary:
      'Starts a verification job over a selection of users (one item per user; resumable, paced by Graph’s limits).',
    permission: 'bulk',
    input: z
      .object({
        selection: VerifySelection,
        /** At most this many users (the first by user id). */
        limit: z.number().int().min(1).max(1_000_000).optional(),
      })
      .strict(),
    output: JobSummary,
  }),
  'verify.report': method({
    summary:
      "A verification job's report as CSV (one row per item) or JSON: each user's latest verification.",
    permission: 'export',
    heavy: true,
    input: z.object({ id: JobId, format: VerifyReportFormat }).strict(),
    output: z.object({
      filename: z.string().max(200),
      /** Users in the report. */
      rowCount: z.number().int().nonnegative(),
      content: z.string(),
    }),
  }),
  'verify.reportFile': method({
    summary:
      "The desktop app and the CLI: asks where to save (or takes the CLI's --out), then writes a verification job's report there a page of users at a time.",
    permission: 'export',
    heavy: true,
    input: z.object({ id: JobId, format: VerifyReportFormat }).strict(),
    output: z.object({
      /** False when the operator closed the save dialog: nothing was written. */
      saved: z.boolean(),
      filename: z.string().max(260),
      rowCount: z.number().int().nonnegative(),
    }),
  }),
  'verify.access': method({
    summary: 'How the console reaches Graph for verification (never the secret).',
    permission: 'read',
    input: z.object({}).strict(),
    output: VerificationAccessState,
  }),
  'verify.setAccess': method({
    summary: 'Sets (or clears) the verification app: tenant, client id, and a sealed secret or certificate.',
    permission: 'settings',
    input: VerificationAccessChange,
    output: VerificationAccessState,
  }),
} as const;
