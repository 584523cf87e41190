import { randomUUID } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { ConsoleError } from '../../../shared/contract/errors.ts';
import type {
  Announcement,
  Template,
  TemplateSummary,
  TemplateVersionInfo,
} from '../../../shared/contract/mail.ts';
import { BUILT_IN_TEMPLATE_PREFIX, BUILT_IN_TEMPLATES, type BuiltInTemplate } from './default-templates.ts';

interface VersionRow {
  template_id: string;
  version: number;
  name: string;
  subject: string;
  body: string;
  saved_at: string;
  saved_by: string;
}

function builtIn(template: BuiltInTemplate, version?: number): Template {
  if (version !== undefined && version !== 1)
    throw new ConsoleError('not_found', `The built-in template has only version 1.`);
  return {
    id: template.id,
    name: template.name,
    builtIn: true,
    version: 1,
    shownVersion: 1,
    updatedAt: null,
    subject: template.subject,
    body: template.body,
    versions: [],
  };
}

/**
 * Announcement templates: the built-in ones (in code, read-only) and the operator's, each save a
 * new version (nothing is overwritten, so an announcement can always name the exact text it used).
 * Works on any `node:sqlite` handle that has run MAIL_MIGRATIONS.
 */
export class TemplateRepository {
  readonly #db: DatabaseSync;
  readonly #now: () => Date;

  constructor(db: DatabaseSync, now: () => Date = () => new Date()) {
    this.#db = db;
    this.#now = now;
  }

  list(): TemplateSummary[] {
    const rows = this.#db
      .prepare(
        `SELECT v.template_id, v.version, v.name, v.saved_at
           FROM mail_templates t
           JOIN mail_template_versions v ON v.template_id = t.id
          WHERE t.deleted_at IS NULL
            AND v.version = (SELECT MAX(version) FROM mail_template_versions WHERE template_id = t.id)
          ORDER BY v.saved_at DESC, v.template_id`,
      )
      .all() as unknown as Array<Pick<VersionRow, 'template_id' | 'version' | 'name' | 'saved_at'>>;
    return [
      ...BUILT_IN_TEMPLATES.map((t) => {
        const { id, name, builtIn: isBuiltIn, version, updatedAt } = builtIn(t);
        return { id, name, builtIn: isBuiltIn, version, updatedAt };
      }),
      ...rows.map((row) => ({
        id: row.template_id,
        name: row.name,
        builtIn: false,
        version: row.version,
        updatedAt: row.saved_at,
      })),
    ];
  }

  get(id: string, version?: number): Template {
    const known = BUILT_IN_TEMPLATES.find((t) => t.id === id);
    if (known !== undefined) return builtIn(known, version);
    const versions = this.#db
      .prepare(
        `SELECT v.* FROM mail_template_versions v JOIN mail_templates t ON t.id = v.template_id
          WHERE v.template_id = ? AND t.deleted_at IS NULL ORDER BY v.version`,
      )
      .all(id) as unknown as VersionRow[];
    const latest = versions.at(-1);
    if (latest === undefined)
      throw new ConsoleError('not_found', 'There is no such template (it may have been removed).');
    const shown = version === undefined ? latest : versions.find((v) => v.version === version);
    if (shown === undefined) throw new ConsoleError('not_found', `The template has no version ${version}.`);
    return {
      id,
      name: latest.name,
      builtIn: false,
      version: latest.version,
      shownVersion: shown.version,
      updatedAt: latest.saved_at,
      subject: shown.subject,
      body: shown.body,
      versions: versions.map((v): TemplateVersionInfo => ({
        version: v.version,
        name: v.name,
        savedAt: v.saved_at,
        savedBy: v.saved_by,
      })),
    };
  }

  /** A new template (id null) or a new version of a saved one. */
  save(input: { id: string | null; name: string; subject: string; body: string }, savedBy: string): Template {
    if (input.id !== null && input.id.startsWith(BUILT_IN_TEMPLATE_PREFIX))
      throw new ConsoleError(
        'conflict',
        'A built-in template cannot be changed: duplicate it and edit the copy.',
      );
    const at = this.#now().toISOString();
    const id = input.id ?? randomUUID();
    this.#transaction(() => {
      if (input.id === null) {
        this.#db
          .prepare('INSERT INTO mail_templates (id, name, created_at) VALUES (?, ?, ?)')
          .run(id, input.name, at);
      } else {
        const exists = this.#db
          .prepare('SELECT 1 AS x FROM mail_templates WHERE id = ? AND deleted_at IS NULL')
          .get(id);
        if (exists === undefined)
          throw new ConsoleError('not_found', 'There is no such template (it may have been removed).');
        this.#db.prepare('UPDATE mail_templates SET name = ? WHERE id = ?').run(input.name, id);
      }
      const { next } = this.#db
        .prepare(
          'SELECT COALESCE(MAX(version), 0) + 1 AS next FROM mail_template_versions WHERE template_id = ?',
        )
        .get(id) as { next: number };
      this.#db
        .prepare(
          `INSERT INTO mail_template_versions (template_id, version, name, subject, body, saved_at, saved_by)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, next, input.name, input.subject, input.body, at, savedBy);
    });
    return this.get(id);
  }

  duplicate(id: string, name: string | undefined, savedBy: string): Template {
    const source = this.get(id);
    return this.save(
      {
        id: null,
        name: name ?? `Copy of ${source.name}`.slice(0, 200),
        subject: source.subject,
        body: source.body,
      },
      savedBy,
    );
  }

  /** Hides a saved template; its versions stay (announcements refer to them). */
  delete(id: string): boolean {
    if (id.startsWith(BUILT_IN_TEMPLATE_PREFIX))
      throw new ConsoleError('conflict', 'A built-in template cannot be removed.');
    const result = this.#db
      .prepare('UPDATE mail_templates SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL')
      .run(this.#now().toISOString(), id);
    return Number(result.changes) > 0;
  }

  #transaction(work: () => void): void {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      work();
      this.#db.exec('COMMIT');
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw error;
    }
  }
}

interface AnnouncementRow {
  id: string;
  kind: Announcement['kind'];
  format: Announcement['format'];
  template_id: string | null;
  template_version: number | null;
  template_name: string;
  subject: string;
  audience_filter: string;
  audience_size: number;
  excluded: number;
  magic_links: number;
  links_expire_at: string | null;
  recorded_at: string;
  day: string;
  recorded_by: string;
}

export interface NewAnnouncement extends Omit<Announcement, 'id'> {
  /** The audience's filter as JSON (what was asked for, for the record). */
  audienceFilter: unknown;
}

/** Every export, send and draft batch, recorded once it is done; the dashboard draws their days. */
export class AnnouncementRepository {
  readonly #db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** Records an announcement and who it reached, in one transaction. */
  record(
    announcement: NewAnnouncement,
    recipients: readonly string[] = [],
    /** A delivery job names its announcement when it is created and records it when it first runs. */
    id: string = randomUUID(),
  ): Announcement {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(announcement.day))
      throw new RangeError(`An announcement day is YYYY-MM-DD, not "${announcement.day}".`);
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      this.#insert(id, announcement);
      const add = this.#db.prepare(
        'INSERT OR IGNORE INTO mail_announcement_recipients (announcement_id, user_id) VALUES (?, ?)',
      );
      for (const userId of recipients) add.run(id, userId);
      this.#db.exec('COMMIT');
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw error;
    }
    const { audienceFilter: _filter, ...rest } = announcement;
    return { id, ...rest };
  }

  /** One more user the announcement reached (a delivery job records each message as it goes). */
  addRecipient(id: string, userId: string): void {
    this.#db
      .prepare('INSERT OR IGNORE INTO mail_announcement_recipients (announcement_id, user_id) VALUES (?, ?)')
      .run(id, userId);
  }

  /** A delivery's figures once its audience is known (a scheduled run decides it when it starts). */
  updateAudience(id: string, figures: { audienceSize: number; excluded: number }): void {
    this.#db
      .prepare('UPDATE mail_announcements SET audience_size = ?, excluded = ? WHERE id = ?')
      .run(figures.audienceSize, figures.excluded, id);
  }

  /** Magic links created so far by a delivery, and when the latest expires. */
  countMagicLink(id: string, expiresAt: string): void {
    this.#db
      .prepare(
        'UPDATE mail_announcements SET magic_links = magic_links + 1, links_expire_at = MAX(COALESCE(links_expire_at, ?), ?) WHERE id = ?',
      )
      .run(expiresAt, expiresAt, id);
  }

  /** The user ids an announcement reached (streamed: an export may have reached 100,000). */
  *recipients(id: string): Generator<string> {
    for (const row of this.#db
      .prepare('SELECT user_id FROM mail_announcement_recipients WHERE announcement_id = ?')
      .iterate(id) as Iterable<{ user_id: string }>)
      yield row.user_id;
  }

  get(id: string): Announcement | undefined {
    const row = this.#db.prepare('SELECT * FROM mail_announcements WHERE id = ?').get(id) as unknown as
      AnnouncementRow | undefined;
    return row === undefined ? undefined : announcementOf(row);
  }

  #insert(id: string, announcement: NewAnnouncement): void {
    this.#db
      .prepare(
        `INSERT INTO mail_announcements (id, kind, format, template_id, template_version, template_name, subject,
           audience_filter, audience_size, excluded, magic_links, links_expire_at, recorded_at, day, recorded_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        announcement.kind,
        announcement.format,
        announcement.templateId,
        announcement.templateVersion,
        announcement.templateName,
        announcement.subject,
        JSON.stringify(announcement.audienceFilter),
        announcement.audienceSize,
        announcement.excluded,
        announcement.magicLinks,
        announcement.linksExpireAt,
        announcement.recordedAt,
        announcement.day,
        announcement.recordedBy,
      );
  }

  list(limit: number): Announcement[] {
    const rows = this.#db
      .prepare('SELECT * FROM mail_announcements ORDER BY recorded_at DESC, id LIMIT ?')
      .all(limit) as unknown as AnnouncementRow[];
    return rows.map(announcementOf);
  }

  /** Distinct days with an announcement, from `from` to `to` inclusive, oldest first (chart markers). */
  days(from: string, to: string): string[] {
    return (
      this.#db
        .prepare('SELECT DISTINCT day FROM mail_announcements WHERE day >= ? AND day <= ? ORDER BY day')
        .all(from, to) as Array<{ day: string }>
    ).map((row) => row.day);
  }
}

function announcementOf(row: AnnouncementRow): Announcement {
  return {
    id: row.id,
    kind: row.kind,
    format: row.format,
    templateName: row.template_name,
    templateId: row.template_id,
    templateVersion: row.template_version,
    subject: row.subject,
    audienceSize: row.audience_size,
    excluded: row.excluded,
    magicLinks: row.magic_links,
    linksExpireAt: row.links_expire_at,
    recordedAt: row.recorded_at,
    day: row.day,
    recordedBy: row.recorded_by,
  };
}
