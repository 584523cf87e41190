import { mkdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { ConsoleError } from '../../../shared/contract/errors.ts';
import {
  AudienceSpec,
  type AudienceSummary,
  type TemplateDraft,
  type MailPreview,
  type OrgOverrides,
  type ResolvedOrg,
} from '../../../shared/contract/mail.ts';
import type { RosterFilter } from '../../../shared/contract/roster-query.ts';
import { isMagicLinkFailure, type Connection, type Migration } from '../../../shared/domain/platform.ts';
import {
  DEFAULT_FALLBACK_FIRST_NAME,
  displayName,
  mergeValues,
  type MessageContext,
} from '../../../shared/mail/recipient.ts';
import { isSendable, longDate, type LintIssue, type OrgValues } from '../../../shared/mail/template.ts';
import { dateInZone } from '../dashboard/calendar-dates.ts';
import type { Feature } from '../feature.ts';
import type { Handlers } from '../ipc/dispatcher.ts';
import type { Logger } from '../log/logger.ts';
import type { PlatformClient } from '../platform/client.ts';
import { Audience, type AudienceOptions } from './audience.ts';
import { compileTemplate, type CompiledTemplate } from './compile.ts';
import type { DeliveryMethod } from './delivery/delivery-feature.ts';
import { buildEml, headerBlock, newMessageId } from './eml.ts';
import { writeExport, type MagicLinkSource } from './export.ts';
import { applyMailMigrations } from './mail-migrations.ts';
import { renderMessage } from './render.ts';
import { AnnouncementRepository, TemplateRepository } from './template-repository.ts';

/** What the announcement feature reads of the roster: the users a filter selects, and one user. */
export interface RosterAccess {
  /** User ids matching the filter, in a stable order (a snapshot: the roster may change meanwhile). */
  ids(filter: RosterFilter): string[];
  get(userId: string): Connection | undefined;
  loaded(): boolean;
}

export interface MailFeatureOptions {
  logger: Logger;
  /**
   * The durable database the templates and announcements live in (their tables are created there), or
   * a getter for the current one (the journal opens per data source).
   */
  db: DatabaseSync | (() => DatabaseSync);
  settings: () => { universityName: string | null; helpArticleUrl: string | null };
  migration: () => Promise<Migration>;
  platform: () => Promise<PlatformClient>;
  roster: () => RosterAccess;
  /** Exports go to `<dataDir>/exports` unless the operator names a folder. */
  dataDir: string | null;
  now?: () => Date;
}

/** The announcement methods this feature answers; delivery (send, drafts) is its own feature (`delivery/`). */
export type MailMethod = Exclude<Extract<keyof Handlers, `mail.${string}`>, DeliveryMethod>;

/** A template made ready for one delivery or export: compiled against the org values, with its blocking issues. */
export interface PreparedTemplate {
  compiled: CompiledTemplate;
  context: MessageContext;
  /** The linter's issues plus link fields nobody can fill; any `error` blocks sending. */
  issues: LintIssue[];
  migration: Migration | null;
  /** The platform answered just now. */
  online: boolean;
  /** The subject with the merge fields left as `{{FirstName}}` (what an announcement records). */
  recordSubject: string;
}

/** What delivery (send, drafts) uses of the composer, so both render exactly as the preview and export do. */
export interface MailComposer {
  prepare(template: TemplateDraft, overrides: OrgOverrides): Promise<PreparedTemplate>;
  /** The filter's users from the roster (status re-checked as they are read) and the audience rules. */
  audience(spec: ParsedAudienceSpec): {
    rows: () => Iterable<Connection>;
    options: AudienceOptions;
    roster: RosterAccess;
  };
  /** One user as the roster holds them now (no filter query: a delivery reads one per message). */
  rosterRow(userId: string): Connection | undefined;
  /** Who a preview or test message is rendered for when no user is named. */
  readonly sampleRecipient: Connection;
  /** The platform's time zone as last known (the announcement's day), or UTC. */
  timeZone(): string;
}

export interface MailFeature extends Feature<MailMethod> {
  readonly templates: TemplateRepository;
  readonly announcements: AnnouncementRepository;
  readonly composer: MailComposer;
}

type ParsedAudienceSpec = ReturnType<typeof AudienceSpec.parse>;

/** A person to preview with when the roster has nobody (a fresh console, or an empty filter). */
const SAMPLE_RECIPIENT: Connection = {
  userId: 'u_sample',
  firstName: 'Alex',
  lastName: 'Example',
  preferredName: null,
  email: 'alex.example@example.edu',
  role: 'student',
  provider: 'office365',
  api: 'outlook_rest_v2',
  status: 'legacy',
  statusChangedAt: '2026-01-01T00:00:00Z',
  connectedAt: null,
  lastSyncAt: null,
  lastSyncOutcome: null,
  lastError: null,
  syncedItemCount: 0,
  calendarMailbox: null,
  updatedAt: '2026-01-01T00:00:00Z',
  etag: 'sample',
};

/** A YYYY-MM-DD date as a long date, read as that calendar day (no zone can move it). */
function longCivilDate(date: string): string {
  return longDate(`${date}T12:00:00Z`, 'UTC');
}

export function createMailFeature(options: MailFeatureOptions): MailFeature {
  const { logger } = options;
  const now = options.now ?? (() => new Date());
  // The database may change under the feature (the journal opens per data source): repositories are
  // made, and the tables migrated, once per handle.
  const repositories = new WeakMap<
    DatabaseSync,
    { templates: TemplateRepository; announcements: AnnouncementRepository }
  >();
  const current = () => {
    const db = typeof options.db === 'function' ? options.db() : options.db;
    let found = repositories.get(db);
    if (found === undefined) {
      applyMailMigrations(db);
      found = { templates: new TemplateRepository(db, now), announcements: new AnnouncementRepository(db) };
      repositories.set(db, found);
    }
    return found;
  };
  // The platform's facts outlive a dropped connection for this session: an offline export still knows the cut-off.
  let lastMigration: Migration | null = null;

  /** The platform's migration facts, and whether the platform answered just now. */
  const migration = async (): Promise<{ known: Migration | null; online: boolean }> => {
    try {
      lastMigration = await options.migration();
      return { known: lastMigration, online: true };
    } catch (error) {
      logger.info('platform not reachable for announcements; using what is known', {
        error: error instanceof Error ? error.message : String(error),
      });
      return { known: lastMigration, online: false };
    }
  };

  const resolveOrg = async (
    overrides: OrgOverrides,
  ): Promise<{
    org: OrgValues;
    resolved: ResolvedOrg;
    context: MessageContext;
    migration: Migration | null;
    online: boolean;
  }> => {
    const settings = options.settings();
    const { known, online } = await migration();
    const university = overrides.university ?? settings.universityName;
    let cutoffDate: string | null = null;
    let cutoffSource: ResolvedOrg['cutoffSource'] = 'none';
    if (overrides.cutoffAt !== undefined && overrides.cutoffAt !== null) {
      try {
        cutoffDate =
          overrides.cutoffAt.length === 10
            ? longCivilDate(overrides.cutoffAt)
            : known === null
              ? longCivilDate(overrides.cutoffAt.slice(0, 10))
              : longDate(overrides.cutoffAt, known.timezone);
      } catch {
        throw new ConsoleError('bad_input', `The cut-off "${overrides.cutoffAt}" is not a date.`);
      }
      cutoffSource = 'override';
    } else if (known !== null) {
      cutoffDate = longDate(known.cutoffAt, known.timezone);
      cutoffSource = 'platform';
    }
    return {
      org: { university, cutoffDate },
      resolved: {
        university,
        universitySource:
          overrides.university !== undefined && overrides.university !== null
            ? 'override'
            : settings.universityName !== null
              ? 'settings'
              : 'none',
        cutoffDate,
        cutoffSource,
        timeZone: known?.timezone ?? null,
      },
      context: {
        fallbackFirstName: overrides.fallbackFirstName ?? DEFAULT_FALLBACK_FIRST_NAME,
        reauthorizeUrl: known?.reauthorizeUrl ?? null,
        helpUrl: settings.helpArticleUrl ?? known?.helpArticleUrl ?? null,
        cutoffDate,
      },
      migration: known,
      online,
    };
  };

  /** Link fields the template uses but nobody can fill (offline, no help article): blocking issues. */
  const missingLinks = (compiled: CompiledTemplate, context: MessageContext): LintIssue[] => {
    const issues: LintIssue[] = [];
    const used = (field: string) => [...compiled.fields].some((f) => f === field);
    if ((used('ReauthorizeUrl') || used('MagicLink')) && context.reauthorizeUrl === null)
      issues.push({
        part: 'body',
        line: 1,
        column: 1,
        code: 'missing-value',
        severity: 'error',
        message:
          'The platform’s re-authorize address is not known (the platform has not answered since the console started), so {{ReauthorizeUrl}} and an offline {{MagicLink}} would be empty. Connect to the platform and try again.',
      });
    if (used('HelpUrl') && context.helpUrl === null)
      issues.push({
        part: 'body',
        line: 1,
        column: 1,
        code: 'missing-value',
        severity: 'error',
        message: '{{HelpUrl}} has no value: set a help article in Settings or connect to the platform.',
      });
    return issues;
  };

  const rowsOf = (roster: RosterAccess, filter: RosterFilter): (() => Iterable<Connection>) => {
    const ids = roster.ids(filter);
    const statuses = filter.status === undefined ? null : new Set<string>(filter.status);
    return function* rows() {
      for (const id of ids) {
        const row = roster.get(id);
        // Re-checked as each message is written: someone who re-authorized meanwhile is not nagged.
        if (row === undefined || (statuses !== null && !statuses.has(row.status))) continue;
        yield row;
      }
    };
  };

  const audienceOptions = (spec: ReturnType<typeof AudienceSpec.parse>): AudienceOptions => ({
    suppressed: new Set(spec.suppressed.map((s) => s.trim().toLowerCase())),
    internalDomains: spec.internalDomains,
  });

  const magicLinkSource = (client: PlatformClient, ttlMinutes: number): MagicLinkSource => {
    return async (userIds) => {
      const result = await client.createMagicLinkBatch({
        userIds,
        target: 'calendar-sync-settings',
        ttlMinutes,
      });
      const links = new Map<string, { url: string; expiresAt: string }>();
      let failed = 0;
      for (const item of result.value.items) {
        if (isMagicLinkFailure(item)) failed += 1;
        else links.set(item.userId, { url: item.url, expiresAt: item.expiresAt });
      }
      return { links, failed: failed + (userIds.length - result.value.items.length) };
    };
  };

  const handlers: Pick<Handlers, MailMethod> = {
    'mail.templates': () => ({ templates: current().templates.list() }),
    'mail.template': ({ id, version }) => current().templates.get(id, version),
    'mail.saveTemplate': ({ id, name, subject, body }, context) =>
      current().templates.save({ id, name, subject, body }, context.operator.id),
    'mail.duplicateTemplate': ({ id, name }, context) =>
      current().templates.duplicate(id, name, context.operator.id),
    'mail.deleteTemplate': ({ id }) => ({ deleted: current().templates.delete(id) }),

    'mail.preview': async ({ template, overrides, userId, from }) => {
      const { org, resolved, context } = await resolveOrg(overrides);
      const compiled = compileTemplate(template, org);
      const issues = [...compiled.issues, ...missingLinks(compiled, context)];
      const roster = options.roster();
      let recipient: Connection | undefined;
      if (userId !== null) {
        recipient = roster.get(userId);
        if (recipient === undefined) throw new ConsoleError('not_found', 'That user is not in the roster.');
      }
      const person = recipient ?? SAMPLE_RECIPIENT;
      const notes: string[] = [];
      if (recipient === undefined)
        notes.push('Previewing with a sample person: pick a recipient to see their message.');
      if (compiled.fields.has('MagicLink'))
        notes.push(
          'Magic links are created when the messages are exported; the preview links to the re-authorize page instead.',
        );
      const message = renderMessage(compiled, mergeValues(person, context, null));
      const eml = await buildEml(message, {
        from,
        to: { name: displayName(person), address: person.email.trim() },
        date: now(),
        messageId: newMessageId(from),
      });
      return {
        issues: issues.slice(0, 500),
        sendable: isSendable(issues),
        org: resolved,
        recipient: { userId: person.userId, name: displayName(person), email: person.email },
        subject: message.subject,
        html: message.html,
        text: message.text,
        headers: headerBlock(eml),
        fields: [...compiled.fields],
        notes,
      } satisfies MailPreview;
    },

    'mail.audience': (input) => {
      const spec = AudienceSpec.parse(input);
      const roster = options.roster();
      const rows = rowsOf(roster, spec.filter);
      const analysis = Audience.analyze(rows, audienceOptions(spec));
      return {
        ...analysis,
        edgeCases: analysis.edgeCases.map((edge) => {
          const row = roster.get(edge.userId);
          return { ...edge, name: row === undefined ? edge.userId : displayName(row).slice(0, 1000) };
        }),
        rosterLoaded: roster.loaded(),
      } satisfies AudienceSummary;
    },

    'mail.export': async (input, call) => {
      const started = performance.now();
      const { org, context, migration: known, online } = await resolveOrg(input.overrides);
      const compiled = compileTemplate(input.template, org);
      const issues = [...compiled.issues, ...missingLinks(compiled, context)];
      if (!isSendable(issues)) {
        const first = issues.find((i) => i.severity === 'error') as LintIssue;
        throw new ConsoleError(
          'bad_input',
          `The template has ${issues.filter((i) => i.severity === 'error').length} unresolved issue(s); the first: ${first.part} line ${first.line}, column ${first.column}: ${first.message}`,
          {
            issues: issues
              .filter((i) => i.severity === 'error')
              .slice(0, 20)
              .map((i) => ({ path: `${i.part}:${i.line}:${i.column}`, message: i.message })),
          },
        );
      }
      const spec = AudienceSpec.parse(input.audience);
      const roster = options.roster();
      if (!roster.loaded())
        throw new ConsoleError(
          'unavailable',
          'The roster has not loaded yet: wait for the first sync, then export.',
          {
            retryable: true,
          },
        );
      const rows = rowsOf(roster, spec.filter);
      const audience = new Audience(audienceOptions(spec));
      for (const row of rows()) audience.observe(row);

      let warning: string | null = null;
      let links: MagicLinkSource | null = null;
      if (compiled.fields.has('MagicLink')) {
        if (input.magicLinkTtlMinutes === null)
          warning =
            'Magic links were left out on request: {{MagicLink}} points at the re-authorize page (sign-in needed).';
        else if (!online)
          warning =
            'The platform is offline: magic links were left out and {{MagicLink}} points at the re-authorize page (sign-in needed).';
        else {
          try {
            links = magicLinkSource(await options.platform(), input.magicLinkTtlMinutes);
          } catch {
            warning =
              'The platform is offline: magic links were left out and {{MagicLink}} points at the re-authorize page (sign-in needed).';
          }
        }
      }
      const base = input.outDir ?? (options.dataDir === null ? null : join(options.dataDir, 'exports'));
      if (base === null)
        throw new ConsoleError('bad_input', 'Name a folder to export to (this console has no data folder).');
      if (!isAbsolute(base))
        throw new ConsoleError('bad_input', 'The export folder must be an absolute path.');
      const stamp = now().toISOString().replace(/[:.]/g, '-');
      let folder = '';
      try {
        mkdirSync(resolve(base), { recursive: true, mode: 0o700 });
        // A new folder per export, never an existing one (two exports in one millisecond get -2, -3, …).
        for (let attempt = 1; folder === ''; attempt += 1) {
          const candidate = join(
            resolve(base),
            `announcement-${stamp}-${input.format}${attempt === 1 ? '' : `-${attempt}`}`,
          );
          try {
            mkdirSync(candidate, { mode: 0o700 });
            folder = candidate;
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 100) throw error;
          }
        }
      } catch (error) {
        throw new ConsoleError(
          'bad_input',
          `Cannot create the export folder: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      let failedLinks = 0;
      const wrapped: MagicLinkSource | null =
        links === null
          ? null
          : async (userIds) => {
              try {
                return await links(userIds);
              } catch (error) {
                // A platform outage mid-export: the rest of the batch falls back to the re-authorize page.
                failedLinks += userIds.length;
                logger.warn('magic links failed for a batch; those messages link the re-authorize page', {
                  users: userIds.length,
                  error: error instanceof ConsoleError || error instanceof Error ? error.message : 'unknown',
                });
                return { links: new Map(), failed: 0 };
              }
            };
      const reached: string[] = [];
      let outcome;
      try {
        outcome = await writeExport({
          template: compiled,
          context,
          format: input.format,
          folder,
          from: input.from,
          rows: rows(),
          audience,
          magicLinks: wrapped,
          now,
          onWritten: (userIds) => {
            for (const id of userIds) reached.push(id);
          },
          ...(call.signal === undefined ? {} : { signal: call.signal }),
        });
      } catch (error) {
        if (call.signal?.aborted !== true) throw error;
        // Stopped (a deadline, Ctrl+C, the window closing): say what is on disk; nothing is recorded.
        throw new ConsoleError(
          'cancelled',
          `The export stopped after ${reached.length.toLocaleString('en-US')} messages (stopped or out of time). ${folder} holds what was written; nothing was recorded as an announcement. Run it again (from the command line with a longer --deadline).`,
        );
      }
      const failed = outcome.linksFailed + failedLinks;
      if (failed > 0 && warning === null)
        warning = `${failed.toLocaleString('en-US')} magic link(s) could not be created; those messages point at the re-authorize page.`;
      const recordedAt = now();
      const day = dateInZone(recordedAt, known?.timezone ?? 'UTC');
      const subject = renderMessage(
        compiled,
        mergeValues(
          { ...SAMPLE_RECIPIENT, firstName: '{{FirstName}}', lastName: '{{LastName}}' },
          context,
          null,
        ),
      ).subject;
      const announcement = current().announcements.record(
        {
          kind: 'export',
          format: input.format,
          templateName: input.template.name,
          templateId: input.template.templateId,
          templateVersion: input.template.templateVersion,
          subject: subject.slice(0, 1000),
          audienceSize: outcome.written,
          excluded: outcome.excluded,
          magicLinks: outcome.linksCreated,
          linksExpireAt: outcome.linksExpireAt,
          recordedAt: recordedAt.toISOString(),
          day,
          recordedBy: call.operator.id,
          audienceFilter: spec.filter,
        },
        reached,
      );
      logger.info('announcement exported', {
        announcementId: announcement.id,
        format: input.format,
        written: outcome.written,
        excluded: outcome.excluded,
        magicLinks: outcome.linksCreated,
      });
      return {
        announcementId: announcement.id,
        folder,
        format: input.format,
        written: outcome.written,
        excluded: outcome.excluded,
        magicLinks: {
          created: outcome.linksCreated,
          failed,
          expiresAt: outcome.linksExpireAt,
          warning,
        },
        durationMs: Math.round(performance.now() - started),
      };
    },

    'mail.announcements': ({ limit }) => ({ announcements: current().announcements.list(limit) }),

    'mail.effect': ({ id }) => {
      const repository = current().announcements;
      const announcement = repository.get(id);
      if (announcement === undefined) throw new ConsoleError('not_found', 'There is no such announcement.');
      const roster = options.roster();
      const sent = Date.parse(announcement.recordedAt);
      const DAY = 86_400_000;
      const effect = { recipients: 0, known: 0, within1d: 0, within3d: 0, within7d: 0, migratedNow: 0 };
      for (const userId of repository.recipients(id)) {
        effect.recipients += 1;
        const row = roster.get(userId);
        if (row === undefined) continue;
        effect.known += 1;
        if (row.status !== 'migrated') continue;
        effect.migratedNow += 1;
        const after = Date.parse(row.statusChangedAt) - sent;
        if (after < 0) continue;
        if (after <= DAY) effect.within1d += 1;
        if (after <= 3 * DAY) effect.within3d += 1;
        if (after <= 7 * DAY) effect.within7d += 1;
      }
      return { id, ...effect, asOf: now().toISOString() };
    },
  };
  const composer: MailComposer = {
    async prepare(template, overrides) {
      const { org, context, migration: known, online } = await resolveOrg(overrides);
      const compiled = compileTemplate(template, org);
      const recordSubject = renderMessage(
        compiled,
        mergeValues(
          { ...SAMPLE_RECIPIENT, firstName: '{{FirstName}}', lastName: '{{LastName}}' },
          context,
          null,
        ),
      ).subject.slice(0, 1000);
      return {
        compiled,
        context,
        issues: [...compiled.issues, ...missingLinks(compiled, context)],
        migration: known,
        online,
        recordSubject,
      };
    },
    audience(spec) {
      const roster = options.roster();
      return { rows: rowsOf(roster, spec.filter), options: audienceOptions(spec), roster };
    },
    rosterRow: (userId) => options.roster().get(userId),
    sampleRecipient: SAMPLE_RECIPIENT,
    timeZone: () => lastMigration?.timezone ?? 'UTC',
  };
  return {
    name: 'mail',
    handlers,
    composer,
    get templates() {
      return current().templates;
    },
    get announcements() {
      return current().announcements;
    },
  };
}
