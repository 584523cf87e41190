import { z } from 'zod';
import { ConnectionStatus, Role, Timestamp } from '../domain/platform.ts';
import { JobSummary } from './jobs.ts';
import { method } from './define.ts';
import { RosterFilter } from './roster-query.ts';

const UserIdText = z.string().min(1).max(100);

/** Who to disconnect: the Users view's filter (minus unticked rows), picked rows, or a pasted/loaded list. */
export const DisconnectSelection = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('filter'),
      filter: RosterFilter,
      exceptIds: z.array(UserIdText).max(5000).default([]),
    })
    .strict(),
  z.object({ kind: z.literal('ids'), userIds: z.array(UserIdText).min(1).max(6000) }).strict(),
  /** Ids and/or emails, one per line (a CSV's first column); a BOM and blank lines are fine. */
  z.object({ kind: z.literal('csv'), text: z.string().max(240_000) }).strict(),
]);
export type DisconnectSelection = z.infer<typeof DisconnectSelection>;

export const ExclusionReason = z.enum([
  'disconnected',
  'not_connected',
  'not_affected',
  'reauth_pending',
  'reauthorized',
  'reauthorized_since_loaded',
  'unknown',
  'duplicate',
]);
export type ExclusionReason = z.infer<typeof ExclusionReason>;

export const PREVIEW_LIST_MAX = 1000;

export const DisconnectPreview = z.object({
  /** Entries or users the selection named. */
  selected: z.number().int().nonnegative(),
  /** Users who will be disconnected (still on the legacy connection now). */
  eligible: z.number().int().nonnegative(),
  eligibleByRole: z.record(Role, z.number().int().nonnegative()),
  /** The whole selection by its fresh status. */
  byStatus: z.record(ConnectionStatus, z.number().int().nonnegative()),
  excluded: z.array(
    z.object({
      reason: ExclusionReason,
      label: z.string().max(200),
      count: z.number().int().nonnegative(),
      /** The users (or list entries) concerned, up to PREVIEW_LIST_MAX. */
      items: z.array(z.string().max(300)).max(PREVIEW_LIST_MAX),
    }),
  ),
  /** When the platform was read: the preview is fresh, not the cache. */
  readAt: Timestamp,
  cutoffAt: Timestamp,
  timezone: z.string().max(100),
  /** Whole days from now to the cut-off (negative after it). */
  daysLeft: z.number().int(),
  beforeCutoff: z.boolean(),
});
export type DisconnectPreview = z.infer<typeof DisconnectPreview>;

const Reason = z.string().trim().min(1).max(500);

export const disconnectMethods = {
  'disconnect.preview': method({
    input: z.object({ selection: DisconnectSelection }).strict(),
    output: DisconnectPreview,
    permission: 'bulk',
    summary: 'Re-read the selection from the platform: who would be disconnected, who is excluded and why.',
  }),
  'disconnect.dryRun': method({
    input: z.object({ selection: DisconnectSelection }).strict(),
    output: z.object({
      preview: DisconnectPreview,
      filename: z.string(),
      rowCount: z.number().int().nonnegative(),
      csv: z.string(),
    }),
    permission: 'bulk',
    summary: 'The exact list a force-disconnect would act on, as CSV, with no side effect.',
  }),
  'disconnect.start': method({
    input: z
      .object({
        selection: DisconnectSelection,
        reason: Reason.default(
          'Legacy Outlook REST v2.0 calendar connection retired at the migration cut-off.',
        ),
        /** The eligible count the operator typed; refused if the fresh count differs. */
        confirmCount: z.number().int().nonnegative(),
        /** Run now (null), at the cut-off instant, or at a given instant. */
        at: z
          .union([z.literal('cutoff'), Timestamp])
          .nullable()
          .default(null),
      })
      .strict(),
    output: JobSummary,
    permission: 'bulk',
    summary: 'Persist a force-disconnect job and run it (or schedule it).',
  }),
} as const;
