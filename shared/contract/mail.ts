import { z } from 'zod';
import { ConnectionStatus, Role, Timestamp } from '../domain/platform.ts';
import { MERGE_FIELDS } from '../mail/template.ts';
import { method } from './define.ts';
import { JobId, JobSummary } from './jobs.ts';
import { RosterFilter } from './roster-query.ts';

/**
 * Announcements: templates (built in and the operator's, versioned), the linter, the preview per
 * recipient, the audience, the offline export, and delivery through Graph (send or drafts) as jobs.
 * Support may draft, test-send to themselves and export (`compose`); sending to the audience needs
 * `send` (directors). Templates and the record of announcements live in the durable database;
 * magic links are never stored in clear or logged.
 */

export const TemplateId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9:_-]+$/, 'A template id is letters, digits, ":", "_" or "-".');

export const TemplateDraft = z.object({
  subject: z.string().max(1000, 'A subject is at most 1,000 characters.'),
  body: z.string().max(100_000, 'A template is at most 100,000 characters.'),
});
export type TemplateDraft = z.infer<typeof TemplateDraft>;

export const TemplateSummary = z.object({
  id: TemplateId,
  name: z.string().max(200),
  builtIn: z.boolean(),
  /** Latest version (built-in templates are version 1 and never change). */
  version: z.number().int().min(1),
  updatedAt: Timestamp.nullable(),
});
export type TemplateSummary = z.infer<typeof TemplateSummary>;

export const TemplateVersionInfo = z.object({
  version: z.number().int().min(1),
  name: z.string().max(200),
  savedAt: Timestamp,
  savedBy: z.string().max(200),
});
export type TemplateVersionInfo = z.infer<typeof TemplateVersionInfo>;

export const Template = TemplateSummary.extend({
  subject: z.string().max(1000),
  body: z.string().max(100_000),
  /** The version shown (the latest unless an older one was asked for). */
  shownVersion: z.number().int().min(1),
  versions: z.array(TemplateVersionInfo).max(1000),
});
export type Template = z.infer<typeof Template>;

export const TemplateName = z.string().trim().min(1, 'Give the template a name.').max(200);

export const LintIssue = z.object({
  part: z.enum(['subject', 'body']),
  line: z.number().int().min(1),
  column: z.number().int().min(1),
  code: z.string().max(40),
  severity: z.enum(['error', 'warning']),
  message: z.string().max(1000),
});
export type LintIssueDto = z.infer<typeof LintIssue>;

/** What the organisation placeholders and fallbacks resolve to, when the operator overrides them. */
export const OrgOverrides = z
  .object({
    /** `[UNIVERSITY]`; by default Settings → University. */
    university: z.string().trim().min(1).max(200).nullable().optional(),
    /** `[DATE PROVIDED]` / `{{CutoffDate}}`: a date (YYYY-MM-DD) or an instant; by default the platform's cutoffAt. */
    cutoffAt: z
      .string()
      .trim()
      .regex(
        /^\d{4}-\d{2}-\d{2}(T.+)?$/,
        'Give the cut-off as a date (2026-12-15) or date and time with offset.',
      )
      .nullable()
      .optional(),
    fallbackFirstName: z.string().trim().min(1).max(60).optional(),
  })
  .strict();
export type OrgOverrides = z.infer<typeof OrgOverrides>;

export const DEFAULT_AUDIENCE_FILTER = {
  status: ['legacy', 'reauth_pending', 'disconnected'],
} as const satisfies RosterFilter;

export const AudienceSpec = z
  .object({
    filter: RosterFilter,
    /** Emails or user ids never to be mailed (case-insensitive). */
    suppressed: z.array(z.string().trim().min(1).max(320)).max(20_000).default([]),
    /** Domains that count as internal; by default those of the users' Office 365 mailboxes. */
    internalDomains: z.array(z.string().trim().min(1).max(253)).max(50).nullable().default(null),
  })
  .strict();
export type AudienceSpec = z.input<typeof AudienceSpec>;

export const EdgeCaseKind = z.enum([
  'longest-name',
  'non-latin',
  'right-to-left',
  'missing-first-name',
  'markup-characters',
  'quotes',
  'emoji',
]);
export type EdgeCaseKind = z.infer<typeof EdgeCaseKind>;

const ExcludedUser = z.object({
  userId: z.string().max(200),
  name: z.string().max(1000),
  email: z.string().max(320),
  reason: z.enum(['duplicate-email', 'no-email', 'suppressed']),
});

export const AudienceSummary = z.object({
  total: z.number().int().nonnegative(),
  recipients: z.number().int().nonnegative(),
  internal: z.number().int().nonnegative(),
  external: z.number().int().nonnegative(),
  internalDomains: z.array(z.string().max(253)).max(1000),
  byRole: z.partialRecord(Role, z.number().int().nonnegative()),
  byStatus: z.partialRecord(ConnectionStatus, z.number().int().nonnegative()),
  excluded: z.object({
    duplicateEmail: z.number().int().nonnegative(),
    noEmail: z.number().int().nonnegative(),
    suppressed: z.number().int().nonnegative(),
  }),
  excludedSample: z.array(ExcludedUser).max(200),
  edgeCases: z
    .array(z.object({ kind: EdgeCaseKind, userId: z.string().max(200), name: z.string().max(1000) }))
    .max(20),
  /** False when the roster has not been loaded yet (the counts are then of an empty roster). */
  rosterLoaded: z.boolean(),
});
export type AudienceSummary = z.infer<typeof AudienceSummary>;

export const ResolvedOrg = z.object({
  university: z.string().max(200).nullable(),
  universitySource: z.enum(['override', 'settings', 'none']),
  cutoffDate: z.string().max(100).nullable(),
  cutoffSource: z.enum(['override', 'platform', 'none']),
  timeZone: z.string().max(100).nullable(),
});
export type ResolvedOrg = z.infer<typeof ResolvedOrg>;

export const MailPreview = z.object({
  issues: z.array(LintIssue).max(500),
  sendable: z.boolean(),
  org: ResolvedOrg,
  recipient: z
    .object({ userId: z.string().max(200), name: z.string().max(1000), email: z.string().max(320) })
    .nullable(),
  subject: z.string().max(20_000),
  /** The HTML part as a whole document; shown in a sandboxed frame that runs no script. */
  html: z.string().max(2_000_000),
  text: z.string().max(2_000_000),
  /** The message's header block exactly as the .eml carries it. */
  headers: z.string().max(100_000),
  fields: z.array(z.enum(MERGE_FIELDS)).max(MERGE_FIELDS.length),
  notes: z.array(z.string().max(500)).max(10),
});
export type MailPreview = z.infer<typeof MailPreview>;

export const MailAddress = z.object({
  name: z.string().trim().max(200),
  address: z.email('Enter a sender address such as careers@school.edu.').max(254),
});

export const ExportFormat = z.enum(['eml', 'csv', 'html']);
export type ExportFormat = z.infer<typeof ExportFormat>;

/** A template as an announcement records it: the text, its name, and which saved version it was (if any). */
export const NamedTemplate = TemplateDraft.extend({
  name: z.string().trim().min(1, 'Name the template.').max(200),
  templateId: TemplateId.nullable().default(null),
  templateVersion: z.number().int().min(1).nullable().default(null),
});

/** Minutes magic links stay valid (5..10080); null leaves magic links out. */
export const MagicLinkTtl = z
  .number()
  .int()
  .min(5, 'Magic links live at least 5 minutes.')
  .max(10_080, 'Magic links live at most 7 days (10,080 minutes).')
  .nullable()
  .default(7 * 24 * 60);

export const MailExportInput = z
  .object({
    template: NamedTemplate,
    overrides: OrgOverrides.default({}),
    audience: AudienceSpec,
    format: ExportFormat,
    /** An absolute folder; the export creates its own subfolder there. Default: the data folder's exports/. */
    outDir: z.string().trim().min(1).max(4096).nullable().default(null),
    from: MailAddress.nullable().default(null),
    magicLinkTtlMinutes: MagicLinkTtl,
  })
  .strict();
export type MailExportInput = z.input<typeof MailExportInput>;

export const MailExportResult = z.object({
  announcementId: z.string().max(100),
  folder: z.string().max(4096),
  format: ExportFormat,
  written: z.number().int().nonnegative(),
  excluded: z.number().int().nonnegative(),
  magicLinks: z.object({
    created: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    expiresAt: Timestamp.nullable(),
    warning: z.string().max(500).nullable(),
  }),
  durationMs: z.number().nonnegative(),
});
export type MailExportResult = z.infer<typeof MailExportResult>;

export const Announcement = z.object({
  id: z.string().max(100),
  kind: z.enum(['export', 'send', 'drafts']),
  format: ExportFormat.nullable(),
  templateName: z.string().max(200),
  templateId: z.string().max(100).nullable(),
  templateVersion: z.number().int().nullable(),
  subject: z.string().max(1000),
  audienceSize: z.number().int().nonnegative(),
  excluded: z.number().int().nonnegative(),
  magicLinks: z.number().int().nonnegative(),
  linksExpireAt: Timestamp.nullable(),
  recordedAt: Timestamp,
  /** The day in the platform's time zone (the dashboard's marker). */
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  recordedBy: z.string().max(200),
});
export type Announcement = z.infer<typeof Announcement>;

const Count = z.number().int().nonnegative();

/**
 * What an announcement did: of its recipients, how many are migrated now with their status changed
 * within 1, 3 and 7 days after it went out (read from the roster as last synced).
 */
export const AnnouncementEffect = z.object({
  id: z.string().max(100),
  recipients: Count,
  /** Recipients still in the roster. */
  known: Count,
  within1d: Count,
  within3d: Count,
  within7d: Count,
  migratedNow: Count,
  asOf: Timestamp,
});
export type AnnouncementEffect = z.infer<typeof AnnouncementEffect>;

/** Send through Graph `sendMail`, or save drafts in the operator's Outlook for review (`POST /me/messages`). */
export const DeliveryMode = z.enum(['send', 'drafts']);
export type DeliveryMode = z.infer<typeof DeliveryMode>;

/** The job kinds deliveries run as (their items are listed by `jobs.items`). */
export const DELIVERY_JOB_KINDS = { send: 'mail.send', drafts: 'mail.drafts' } as const;

/**
 * Per-recipient outcomes of a delivery job (`jobs.items`' `outcome`). `uncertain`: the message was
 * on its way when the console stopped, so it may or may not have gone; it is never resent by
 * itself (sendMail is not idempotent) and "Retry failed" is the operator's explicit choice.
 */
export const DELIVERY_OUTCOMES = [
  'sent',
  'drafted',
  'skipped_migrated',
  'skipped_no_email',
  'skipped_duplicate',
  'skipped_suppressed',
  'failed',
  'uncertain',
] as const;
export const DeliveryOutcome = z.enum(DELIVERY_OUTCOMES);
export type DeliveryOutcome = z.infer<typeof DeliveryOutcome>;

/** What a delivery sends, to whom, from where. */
export const DeliveryInput = z
  .object({
    template: NamedTemplate,
    overrides: OrgOverrides.default({}),
    audience: AudienceSpec,
    mode: DeliveryMode,
    /**
     * A shared mailbox the operator may send as (its address goes in `from`, its quota is the one
     * counted); null: the signed-in operator's own mailbox.
     */
    sharedMailbox: z
      .email('Enter the shared mailbox as an address such as careers@school.edu.')
      .max(254)
      .nullable()
      .default(null),
    magicLinkTtlMinutes: MagicLinkTtl,
  })
  .strict();
export type DeliveryInput = z.input<typeof DeliveryInput>;

const ExcludedRecipient = z.object({
  userId: z.string().max(200),
  name: z.string().max(1000),
  email: z.string().max(320),
  reason: z.enum(['duplicate-email', 'no-email', 'suppressed']),
});

/** Everything the operator confirms before a delivery starts. */
export const DeliveryPlan = z.object({
  mode: DeliveryMode,
  /** The mailbox the messages leave from (null: the operator is not signed in, so it is not known yet). */
  sender: z.object({
    address: z.string().max(320).nullable(),
    kind: z.enum(['operator', 'shared']),
  }),
  /** Users the filter selects, before exclusions. */
  total: Count,
  /** Messages that would go out now (the count `mail.startDelivery` wants confirmed). */
  recipients: Count,
  internal: Count,
  external: Count,
  internalDomains: z.array(z.string().max(253)).max(1000),
  byRole: z.partialRecord(Role, Count),
  excluded: z.object({ duplicateEmail: Count, noEmail: Count, suppressed: Count }),
  /** The first excluded users (the whole list is in the job's items once it starts). */
  excludedSample: z.array(ExcludedRecipient).max(200),
  /** Lint issues of the template; any `error` blocks the start. */
  issues: z.array(LintIssue).max(500),
  sendable: z.boolean(),
  /** Exchange Online's limits for the sending mailbox and what this console has used of them. */
  limits: z.object({
    messagesPerMinute: Count,
    recipientsPerDay: Count,
    recipientsUsedLastDay: Count,
  }),
  /** When the last message could go at those limits if started now; null with nobody to reach. */
  earliestFinishAt: Timestamp.nullable(),
  durationSeconds: z.number().nonnegative(),
  /** How many times the 24-hour recipient quota will pause the job (0: it fits in today's quota). */
  quotaPauses: Count,
  magicLinks: z.object({
    /** The template uses {{MagicLink}} and links will be created as each message goes. */
    used: z.boolean(),
    ttlMinutes: z.number().int().nullable(),
    /** Links made now would expire then; each link lives ttlMinutes from its own message. */
    expireAfterSendMinutes: z.number().int().nullable(),
    warning: z.string().max(500).nullable(),
  }),
  /** Things to know in words ("Drafts are not paced by sending limits", "the roster is still loading"). */
  notes: z.array(z.string().max(500)).max(10),
  rosterLoaded: z.boolean(),
  plannedAt: Timestamp,
});
export type DeliveryPlan = z.infer<typeof DeliveryPlan>;

/** A delivery job as the Send page shows it, beside the job's own summary and items. */
export const DeliveryStatus = z.object({
  job: JobSummary,
  mode: DeliveryMode,
  /** The announcement this delivery is recorded as (its recipients feed `mail.effect`). */
  announcementId: z.string().max(100).nullable(),
  templateName: z.string().max(200),
  subject: z.string().max(1000),
  sender: z.string().max(320).nullable(),
  /** Per outcome, every one of DELIVERY_OUTCOMES present. */
  outcomes: z.record(DeliveryOutcome, Count),
  /** When a quota or throttling pause ends and the job resumes by itself; null when not waiting. */
  resumesAt: Timestamp.nullable(),
});
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

export const mailMethods = {
  'mail.planDelivery': method({
    input: DeliveryInput,
    output: DeliveryPlan,
    permission: 'read',
    summary:
      'The plan of a send or drafts delivery: recipients, exclusions, internal vs external, earliest finish at Exchange limits.',
  }),
  'mail.testSend': method({
    input: z
      .object({
        template: TemplateDraft,
        overrides: OrgOverrides.default({}),
        /** Whose message to render (their name, links); by default a sample person. It goes to the operator. */
        userId: z.string().min(1).max(200).nullable().default(null),
        sharedMailbox: DeliveryInput.shape.sharedMailbox,
      })
      .strict(),
    output: z.object({
      /** The operator's own address the test went to. */
      sentTo: z.string().max(320),
      subject: z.string().max(20_000),
      renderedFor: z.object({ userId: z.string().max(200), name: z.string().max(1000) }),
      sentAt: Timestamp,
    }),
    permission: 'compose',
    summary:
      'Sends one message, rendered for a chosen recipient, to the operator’s own address; the subject says it is a test.',
  }),
  'mail.startDelivery': method({
    input: DeliveryInput.extend({
      /**
       * The recipient count the operator confirmed from the plan; refused when the audience now
       * differs. Null: no check (a scheduled reminder, whose audience is decided when it runs).
       */
      confirmCount: Count.nullable().default(null),
      /** Run now (null) or at this instant (a reminder): its audience is re-evaluated then. */
      scheduledAt: Timestamp.nullable().default(null),
    }).strict(),
    output: JobSummary,
    // Drafts are `compose`; sending to the audience needs `send` (see permissionFor).
    permission: 'compose',
    permissionFor: (input) => (input.mode === 'send' ? 'send' : null),
    summary:
      'Creates a send or drafts job (one item per recipient) and runs it, or schedules it; returns the job.',
  }),
  'mail.delivery': method({
    input: z.object({ id: JobId }).strict(),
    output: DeliveryStatus,
    permission: 'read',
    summary: 'A delivery job with its announcement, sender, per-outcome counts and when a quota pause ends.',
  }),
  'mail.templates': method({
    input: z.object({}).strict(),
    output: z.object({ templates: z.array(TemplateSummary).max(1000) }),
    permission: 'read',
    summary: 'The built-in announcement templates and the operator’s saved ones.',
  }),
  'mail.template': method({
    input: z.object({ id: TemplateId, version: z.number().int().min(1).optional() }).strict(),
    output: Template,
    permission: 'read',
    summary: 'One template (its latest version, or the one asked for) with its version history.',
  }),
  'mail.saveTemplate': method({
    input: z
      .object({ id: TemplateId.nullable().default(null), name: TemplateName })
      .extend(TemplateDraft.shape)
      .strict(),
    output: Template,
    permission: 'compose',
    summary: 'Saves a template as a new version (or a new template without id). Built-in ones cannot change.',
  }),
  'mail.duplicateTemplate': method({
    input: z.object({ id: TemplateId, name: TemplateName.optional() }).strict(),
    output: Template,
    permission: 'compose',
    summary: 'Copies a template (built-in or saved) into a new saved template.',
  }),
  'mail.deleteTemplate': method({
    input: z.object({ id: TemplateId }).strict(),
    output: z.object({ deleted: z.boolean() }),
    permission: 'compose',
    summary: 'Removes a saved template from the list (its versions stay in the journal).',
  }),
  'mail.preview': method({
    input: z
      .object({
        template: TemplateDraft,
        overrides: OrgOverrides.default({}),
        /** The recipient to preview; by default a sample person. */
        userId: z.string().min(1).max(200).nullable().default(null),
        /** The sender the export will write, so the preview's headers are the ones that go out. */
        from: MailAddress.nullable().default(null),
      })
      .strict(),
    output: MailPreview,
    permission: 'read',
    summary: 'Lints a template and renders it for one recipient: subject, HTML, plain text and headers.',
  }),
  'mail.audience': method({
    input: AudienceSpec,
    output: AudienceSummary,
    permission: 'read',
    summary: 'Who an announcement would reach: counts, internal vs external, exclusions and edge cases.',
  }),
  'mail.export': method({
    input: MailExportInput,
    output: MailExportResult,
    permission: 'compose',
    summary:
      'Writes one .eml per recipient (or a mail-merge CSV, or HTML files) and records the announcement.',
  }),
  'mail.effect': method({
    input: z.object({ id: z.string().min(1).max(100) }).strict(),
    output: AnnouncementEffect,
    permission: 'read',
    summary:
      'How many of an announcement’s recipients re-authorized within 1, 3 and 7 days (from the roster).',
  }),
  'mail.announcements': method({
    input: z.object({ limit: z.number().int().min(1).max(500).default(100) }).strict(),
    output: z.object({ announcements: z.array(Announcement).max(500) }),
    permission: 'read',
    summary: 'Announcements recorded so far (exports, sends and drafts), newest first.',
  }),
} as const;
