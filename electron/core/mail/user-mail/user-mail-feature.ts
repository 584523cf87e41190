import type { DatabaseSync } from 'node:sqlite';
import { ConsoleError, type MethodName, type UserAnnouncement } from '../../../../shared/contract/index.ts';
import { escapeHtml } from '../../../../shared/mail/mustache.ts';
import { displayName, isDeliverableAddress, mergeValues } from '../../../../shared/mail/recipient.ts';
import type { Connection } from '../../../../shared/domain/platform.ts';
import type { Feature } from '../../feature.ts';
import type { GraphClient, GraphOutgoingMessage } from '../../graph/client.ts';
import type { Handlers } from '../../ipc/dispatcher.ts';
import type { Logger } from '../../log/logger.ts';
import type { PlatformClient } from '../../platform/client.ts';
import { PlatformError } from '../../platform/errors.ts';
import { applyMailMigrations } from '../mail-migrations.ts';

export type UserMailMethod = Extract<MethodName, `userMail.${string}`>;

/** The signed-in operator's own mailbox through Graph (delegated Mail.Send), or a ConsoleError saying why not. */
export interface OperatorMailbox {
  resolve(): Promise<{ graph: GraphClient; address: string }>;
}

export interface UserMailFeatureOptions {
  logger: Logger;
  /** The current data source's journal, where the `mail_*` tables live. */
  db: () => DatabaseSync;
  platform: () => Promise<PlatformClient>;
  mailbox: OperatorMailbox;
  settings: () => { universityName: string | null };
  /** The platform's time zone for the expiry wording; null: UTC. */
  timeZone: () => Promise<string | null>;
  now?: () => Date;
}

interface AnnouncementRow {
  id: string;
  kind: UserAnnouncement['kind'];
  format: string | null;
  template_name: string;
  subject: string;
  recorded_at: string;
}

/** The announcements that reached one user, newest first, and how many in all. */
export function announcementsForUser(
  db: DatabaseSync,
  userId: string,
  limit: number,
): { announcements: UserAnnouncement[]; total: number } {
  const rows = db
    .prepare(
      `SELECT a.id, a.kind, a.format, a.template_name, a.subject, a.recorded_at
         FROM mail_announcement_recipients r JOIN mail_announcements a ON a.id = r.announcement_id
        WHERE r.user_id = ? ORDER BY a.recorded_at DESC, a.id LIMIT ?`,
    )
    .all(userId, limit) as unknown as AnnouncementRow[];
  const total = db
    .prepare('SELECT COUNT(*) AS n FROM mail_announcement_recipients WHERE user_id = ?')
    .get(userId) as { n: number };
  return {
    announcements: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      format: r.format,
      templateName: r.template_name.slice(0, 1000),
      subject: r.subject.slice(0, 1000),
      recordedAt: r.recorded_at,
    })),
    total: total.n,
  };
}

function expiryWords(iso: string, timeZone: string | null): string {
  try {
    return new Intl.DateTimeFormat('en-US', {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZone: timeZone ?? 'UTC',
      timeZoneName: 'short',
    }).format(new Date(iso));
  } catch {
    return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
  }
}

/**
 * The one message: the user's name and the university are escaped values (a name can never add markup
 * or a link), and the only link is the platform's magic link, checked to be https first.
 */
export function magicLinkMessage(input: {
  person: Connection;
  url: string;
  expiresAt: string;
  university: string | null;
  timeZone: string | null;
}): GraphOutgoingMessage {
  const values = mergeValues(
    input.person,
    { fallbackFirstName: 'there', reauthorizeUrl: null, helpUrl: null, cutoffDate: null },
    input.url,
  );
  if (values.MagicLink === '')
    throw new ConsoleError('bad_reply', 'The platform answered a magic link that is not an https address.');
  const sender = input.university === null ? 'Your career center' : `${input.university} career center`;
  const expires = expiryWords(input.expiresAt, input.timeZone);
  const html = [
    `<p>Hello ${escapeHtml(values.FirstName)},</p>`,
    '<p>Here is your personal link to reconnect your Office 365 calendar to the career platform. It signs you in to your calendar-sync settings, where you choose <strong>Disconnect</strong> and then connect again.</p>',
    `<p><a href="${escapeHtml(values.MagicLink)}">Open my calendar-sync settings</a></p>`,
    `<p>The link works until ${escapeHtml(expires)}, and only for you: please do not forward this message.</p>`,
    `<p>${escapeHtml(sender)}</p>`,
  ].join('\n');
  return {
    subject: 'Your link to reconnect calendar sync',
    body: { contentType: 'HTML', content: html },
    toRecipients: [{ emailAddress: { address: input.person.email.trim(), name: displayName(input.person) } }],
  };
}

/**
 * Mail about one user for the troubleshooter (`userMail.*`): the announcements that reached them and
 * "Email magic link". The dispatcher audits the send (permission `act-one`); the link itself is never logged.
 */
export function createUserMailFeature(options: UserMailFeatureOptions): Feature<UserMailMethod> {
  const { logger } = options;
  const now = options.now ?? (() => new Date());
  const migrated = new WeakSet<DatabaseSync>();
  const db = (): DatabaseSync => {
    const handle = options.db();
    if (!migrated.has(handle)) {
      applyMailMigrations(handle);
      migrated.add(handle);
    }
    return handle;
  };
  const platformFailure = (error: unknown): never => {
    if (error instanceof PlatformError) throw error.toConsoleError();
    throw error;
  };

  const handlers: Pick<Handlers, UserMailMethod> = {
    'userMail.announcements': ({ userId, limit }) => announcementsForUser(db(), userId, limit),

    'userMail.sendMagicLink': async ({ userId, ttlMinutes }, context) => {
      // Graph access first: without it no link is made (a link nobody receives is still a credential).
      const mailbox = await options.mailbox.resolve();
      const platform = await options.platform();
      const person = await platform.getConnection(userId, { signal: context.signal }).catch(platformFailure);
      if (!isDeliverableAddress(person.email.trim()))
        throw new ConsoleError(
          'bad_input',
          'This user has no usable email address on the platform: create a link and give it to them another way.',
        );
      const link = await platform
        .createMagicLink({ userId, target: 'calendar-sync-settings', ttlMinutes }, { signal: context.signal })
        .catch(platformFailure);
      const message = magicLinkMessage({
        person,
        url: link.value.url,
        expiresAt: link.value.expiresAt,
        university: options.settings().universityName,
        timeZone: await options.timeZone().catch(() => null),
      });
      await mailbox.graph.sendMail(message, {
        sender: mailbox.address,
        saveToSentItems: true,
        ...(context.signal === undefined ? {} : { signal: context.signal }),
      });
      // Never the link, nor the address: who sent it is in the audit log.
      logger.info('magic link emailed', { operator: context.operator.id, ttlMinutes });
      return {
        to: person.email.trim(),
        from: mailbox.address,
        expiresAt: link.value.expiresAt,
        sentAt: now().toISOString(),
      };
    },
  };
  return { name: 'user-mail', handlers };
}
