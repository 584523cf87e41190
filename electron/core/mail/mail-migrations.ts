import type { DatabaseSync } from 'node:sqlite';
import { applyFeatureMigrations, type FeatureMigration } from '../journal/feature-migrations.ts';

/**
 * The announcement feature's tables. They belong in the durable journal database (an operator's
 * templates and the record of what was announced are not a cache). Each step runs once, in order,
 * recorded in `mail_schema_migrations`, so the feature's schema can live in whichever database the
 * composition root hands it. Never edit a step that has shipped; add one.
 */
export type MailMigration = FeatureMigration;

export const MAIL_MIGRATIONS: readonly MailMigration[] = [
  {
    version: 1,
    name: 'templates with versions, announcements',
    sql: `
      CREATE TABLE mail_templates (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        deleted_at TEXT
      ) STRICT;

      CREATE TABLE mail_template_versions (
        template_id TEXT NOT NULL REFERENCES mail_templates (id),
        version INTEGER NOT NULL CHECK (version >= 1),
        name TEXT NOT NULL,
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        saved_by TEXT NOT NULL,
        PRIMARY KEY (template_id, version)
      ) STRICT;

      CREATE TABLE mail_announcements (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('export', 'send', 'drafts')),
        format TEXT,
        template_id TEXT,
        template_version INTEGER,
        template_name TEXT NOT NULL,
        subject TEXT NOT NULL,
        audience_filter TEXT NOT NULL,
        audience_size INTEGER NOT NULL CHECK (audience_size >= 0),
        excluded INTEGER NOT NULL CHECK (excluded >= 0),
        magic_links INTEGER NOT NULL CHECK (magic_links >= 0),
        links_expire_at TEXT,
        recorded_at TEXT NOT NULL,
        day TEXT NOT NULL,
        recorded_by TEXT NOT NULL
      ) STRICT;
      CREATE INDEX mail_announcements_day ON mail_announcements (day);
    `,
  },
  {
    version: 2,
    name: 'who each announcement reached (for its effect)',
    sql: `
      CREATE TABLE mail_announcement_recipients (
        announcement_id TEXT NOT NULL REFERENCES mail_announcements (id),
        user_id TEXT NOT NULL,
        PRIMARY KEY (announcement_id, user_id)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    name: 'announcements by recipient (the troubleshooter asks per user)',
    sql: `
      CREATE INDEX mail_announcement_recipients_by_user ON mail_announcement_recipients (user_id, announcement_id);
    `,
  },
];

/** Brings a database's announcement tables up to date; safe to call on every start. */
export function applyMailMigrations(db: DatabaseSync): number {
  return applyFeatureMigrations(db, {
    prefix: 'mail',
    tables: 'The announcement tables',
    migrations: MAIL_MIGRATIONS,
  });
}
