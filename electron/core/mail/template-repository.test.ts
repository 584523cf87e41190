import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { ConsoleError } from '../../../shared/contract/errors.ts';
import { BUILT_IN_TEMPLATES } from './default-templates.ts';
import { applyMailMigrations, MAIL_MIGRATIONS } from './mail-migrations.ts';
import { AnnouncementRepository, TemplateRepository } from './template-repository.ts';

function open() {
  const db = new DatabaseSync(':memory:');
  applyMailMigrations(db);
  let tick = 0;
  const now = () => new Date(Date.UTC(2026, 10, 20, 12, 0, tick++));
  return { db, templates: new TemplateRepository(db, now), announcements: new AnnouncementRepository(db) };
}

describe('applyMailMigrations', () => {
  it('runs each step once and refuses a newer schema', () => {
    const db = new DatabaseSync(':memory:');
    expect(applyMailMigrations(db)).toBe(MAIL_MIGRATIONS.length);
    expect(applyMailMigrations(db)).toBe(MAIL_MIGRATIONS.length);
    db.prepare('INSERT INTO mail_schema_migrations VALUES (99, ?, ?)').run('future', 'x');
    expect(() => applyMailMigrations(db)).toThrow(/newer than this console knows/);
  });

  it("answers the troubleshooter's per-user question from an index, not a scan", () => {
    const db = new DatabaseSync(':memory:');
    applyMailMigrations(db);
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT COUNT(*) AS n FROM mail_announcement_recipients WHERE user_id = ?')
      .all('u1') as { detail: string }[];
    expect(plan.map((step) => step.detail).join('\n')).toMatch(
      /USING COVERING INDEX mail_announcement_recipients_by_user/,
    );
  });
});

describe('TemplateRepository', () => {
  it('lists the built-in templates first, read-only', () => {
    const { templates } = open();
    expect(templates.list().map((t) => [t.id, t.builtIn])).toEqual(
      BUILT_IN_TEMPLATES.map((t) => [t.id, true]),
    );
    const id = BUILT_IN_TEMPLATES[0]?.id as string;
    expect(() => templates.save({ id, name: 'x', subject: 's', body: 'b' }, 'op')).toThrow(ConsoleError);
    expect(() => templates.delete(id)).toThrow(/cannot be removed/);
  });

  it('keeps every saved version and shows any of them', () => {
    const { templates } = open();
    const first = templates.save({ id: null, name: 'Alumni', subject: 'S1', body: 'B1' }, 'director@x');
    const second = templates.save(
      { id: first.id, name: 'Alumni v2', subject: 'S2', body: 'B2' },
      'support@x',
    );
    expect(second).toMatchObject({
      version: 2,
      shownVersion: 2,
      name: 'Alumni v2',
      subject: 'S2',
      builtIn: false,
    });
    expect(second.versions.map((v) => [v.version, v.name, v.savedBy])).toEqual([
      [1, 'Alumni', 'director@x'],
      [2, 'Alumni v2', 'support@x'],
    ]);
    expect(templates.get(first.id, 1)).toMatchObject({
      version: 2,
      shownVersion: 1,
      subject: 'S1',
      body: 'B1',
    });
    expect(() => templates.get(first.id, 3)).toThrow(/no version 3/);
    expect(templates.list().filter((t) => !t.builtIn)).toEqual([
      { id: first.id, name: 'Alumni v2', builtIn: false, version: 2, updatedAt: second.updatedAt },
    ]);
  });

  it('duplicates built-in and saved templates into new ones', () => {
    const { templates } = open();
    const builtIn = BUILT_IN_TEMPLATES[1];
    const copy = templates.duplicate(builtIn?.id as string, undefined, 'op');
    expect(copy).toMatchObject({
      name: `Copy of ${builtIn?.name}`,
      version: 1,
      subject: builtIn?.subject,
      body: builtIn?.body,
    });
    const copy2 = templates.duplicate(copy.id, 'Mine', 'op');
    expect(copy2.id).not.toBe(copy.id);
    expect(copy2.name).toBe('Mine');
  });

  it('removes a saved template from the list but not its versions', () => {
    const { db, templates } = open();
    const saved = templates.save({ id: null, name: 'Old', subject: 's', body: 'b' }, 'op');
    expect(templates.delete(saved.id)).toBe(true);
    expect(templates.delete(saved.id)).toBe(false);
    expect(templates.list().some((t) => t.id === saved.id)).toBe(false);
    expect(() => templates.get(saved.id)).toThrow(/no such template/);
    expect(() => templates.save({ id: saved.id, name: 'x', subject: 's', body: 'b' }, 'op')).toThrow(
      /no such template/,
    );
    expect(db.prepare('SELECT COUNT(*) AS n FROM mail_template_versions').get()).toEqual({ n: 1 });
  });
});

describe('AnnouncementRepository', () => {
  const base = {
    kind: 'export' as const,
    format: 'eml' as const,
    templateName: 'Reconnect',
    templateId: 'builtin:reauthorize',
    templateVersion: 1,
    subject: 'Reconnect by December 15, 2026',
    audienceSize: 120,
    excluded: 3,
    magicLinks: 120,
    linksExpireAt: '2026-11-27T12:00:00.000Z',
    recordedBy: 'director@x',
    audienceFilter: { status: ['legacy'] },
  };

  it('records announcements and gives their days for the chart', () => {
    const { announcements } = open();
    announcements.record({ ...base, recordedAt: '2026-11-20T12:00:00.000Z', day: '2026-11-20' });
    announcements.record({ ...base, recordedAt: '2026-11-20T15:00:00.000Z', day: '2026-11-20' });
    const last = announcements.record({ ...base, recordedAt: '2026-11-24T09:00:00.000Z', day: '2026-11-24' });
    expect(announcements.days('2026-11-01', '2026-11-30')).toEqual(['2026-11-20', '2026-11-24']);
    expect(announcements.days('2026-11-21', '2026-11-30')).toEqual(['2026-11-24']);
    expect(announcements.list(2).map((a) => a.recordedAt)).toEqual([
      '2026-11-24T09:00:00.000Z',
      '2026-11-20T15:00:00.000Z',
    ]);
    expect(announcements.list(1)[0]).toEqual(last);
    expect(() => announcements.record({ ...base, recordedAt: 'x', day: '20-11-2026' })).toThrow(RangeError);
  });

  it('keeps who each announcement reached, with the announcement or not at all', () => {
    const { db, announcements } = open();
    const recorded = announcements.record(
      { ...base, recordedAt: '2026-11-20T12:00:00.000Z', day: '2026-11-20' },
      ['u_1', 'u_2', 'u_2'],
    );
    expect([...announcements.recipients(recorded.id)].sort()).toEqual(['u_1', 'u_2']);
    expect(announcements.get(recorded.id)).toEqual(recorded);
    expect(announcements.get('missing')).toBeUndefined();
    // A failure half way leaves neither the announcement nor its recipients.
    db.exec(
      "CREATE TRIGGER refuse BEFORE INSERT ON mail_announcement_recipients WHEN NEW.user_id = 'bad' BEGIN SELECT RAISE(ABORT, 'no'); END",
    );
    expect(() =>
      announcements.record({ ...base, recordedAt: '2026-11-21T12:00:00.000Z', day: '2026-11-21' }, [
        'u_3',
        'bad',
      ]),
    ).toThrow();
    expect(announcements.days('2026-11-21', '2026-11-21')).toEqual([]);
  });
});
