import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import Papa from 'papaparse';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope as ReplyEnvelope } from '../../../shared/contract/errors.ts';
import type { AudienceSummary, MailExportResult, MailPreview } from '../../../shared/contract/mail.ts';
import type { Connection } from '../../../shared/domain/platform.ts';
import { mergeValues } from '../../../shared/mail/recipient.ts';
import { startSandbox, type Sandbox } from '../../sandbox/index.ts';
import { createDispatcher, type CallContext, type Dispatch, type Handlers } from '../ipc/dispatcher.ts';
import { createMemoryLogger } from '../log/logger.ts';
import { PlatformClient } from '../platform/client.ts';
import { RosterQueryEngine } from '../roster/query/roster-query-engine.ts';
import { BUILT_IN_TEMPLATES } from './default-templates.ts';
import { createMailFeature, type MailFeature } from './mail-feature.ts';
import { engineRosterAccess } from './roster-access.ts';

let sandbox: Sandbox;
let client: PlatformClient;
let engine: RosterQueryEngine;
let feature: MailFeature;
let dispatch: Dispatch;
let dir: string;
let online = true;
/** The client asked for magic links; a key without the magic-links scope stands in for a refusing platform. */
let linkClient: () => PlatformClient = () => client;
const director: CallContext = { transport: 'test', operator: { id: 'director-1', role: 'director' } };
const support: CallContext = { transport: 'test', operator: { id: 'support-1', role: 'support' } };
const viewer: CallContext = { transport: 'test', operator: { id: 'signed-out', role: 'viewer' } };

async function call<T>(method: string, input: unknown, context = director): Promise<T> {
  const reply = (await dispatch(method, input, context)) as ReplyEnvelope<unknown>;
  if (!reply.ok) throw new Error(`${method}: ${reply.error.code} ${reply.error.message}`);
  return reply.value as T;
}

/** Extra users the sandbox does not have: a shared address, an unusable one, awkward names. */
function extraRows(template: Connection): Connection[] {
  const row = (over: Partial<Connection>): Connection => ({ ...template, status: 'legacy', ...over });
  return [
    row({ userId: 'u_dup_a', firstName: 'Sam', lastName: 'Shared', email: 'shared@demo-university.edu' }),
    row({ userId: 'u_dup_b', firstName: 'Sasha', lastName: 'Shared', email: 'SHARED@demo-university.edu' }),
    row({ userId: 'u_noaddr', firstName: 'No', lastName: 'Address', email: 'not an address' }),
    row({ userId: 'u_ext', firstName: 'محمد', lastName: 'علي', email: 'alum@gmail.example' }),
    row({
      userId: 'u_markup',
      firstName: '<b>Bo</b> & "Q"',
      lastName: '😀',
      preferredName: null,
      email: 'bo@demo-university.edu',
    }),
    row({
      userId: 'u_nofirst',
      firstName: '',
      lastName: 'Solo',
      preferredName: null,
      email: 'solo@demo-university.edu',
    }),
    row({ userId: 'u_idn', firstName: 'Jõser', lastName: 'Õun', email: 'jõser@demo-university.edu' }),
  ];
}

beforeAll(async () => {
  sandbox = await startSandbox({ users: 400, identity: false, now: new Date('2026-11-24T15:00:00Z') });
  client = new PlatformClient({ baseUrl: sandbox.platformUrl, apiKey: sandbox.apiKey });
  const rows: Connection[] = [];
  for await (const row of client.listConnections({})) rows.push(row);
  engine = RosterQueryEngine.from([...rows, ...extraRows(rows[0] as Connection)]);
  dir = mkdtempSync(join(tmpdir(), 'mail-feature-'));
  feature = createMailFeature({
    logger: createMemoryLogger(),
    db: new DatabaseSync(':memory:'),
    settings: () => ({ universityName: 'Demo University', helpArticleUrl: null }),
    migration: async () => {
      if (!online) throw new Error('offline');
      return client.getMigration();
    },
    platform: async () => {
      if (!online) throw new Error('offline');
      return linkClient();
    },
    roster: () =>
      engineRosterAccess(
        () => engine,
        () => true,
      ),
    dataDir: dir,
    now: () => new Date('2026-11-24T15:00:00Z'),
  });
  dispatch = createDispatcher({
    handlers: feature.handlers as unknown as Handlers,
    logger: createMemoryLogger(),
  });
}, 60_000);

afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

const template = BUILT_IN_TEMPLATES[0] as (typeof BUILT_IN_TEMPLATES)[number];
const audience = { filter: { status: ['legacy', 'reauth_pending', 'disconnected'] } };

describe('mail.audience', () => {
  it('counts recipients, holds back duplicates and unusable addresses, and finds the edge cases', async () => {
    const summary = await call<AudienceSummary>('mail.audience', {
      ...audience,
      suppressed: ['solo@demo-university.edu'],
    });
    expect(summary.excluded).toEqual({ duplicateEmail: 2, noEmail: 1, suppressed: 1 });
    expect(summary.recipients).toBe(summary.total - 4);
    expect(summary.internal + summary.external).toBe(summary.recipients);
    expect(summary.external).toBeGreaterThanOrEqual(1);
    expect(summary.excludedSample.map((u) => [u.userId, u.reason])).toEqual(
      expect.arrayContaining([
        ['u_dup_a', 'duplicate-email'],
        ['u_dup_b', 'duplicate-email'],
        ['u_noaddr', 'no-email'],
        ['u_nofirst', 'suppressed'],
      ]),
    );
    const kinds = Object.fromEntries(summary.edgeCases.map((e) => [e.kind, e.userId]));
    expect(kinds).toMatchObject({
      'right-to-left': 'u_ext',
      'markup-characters': 'u_markup',
      emoji: 'u_markup',
    });
    expect(Object.keys(kinds)).toEqual(expect.arrayContaining(['longest-name', 'non-latin', 'quotes']));
  });
});

describe('mail.preview', () => {
  it('renders for a chosen recipient with the platform’s cut-off in its time zone and the headers as sent', async () => {
    const preview = await call<MailPreview>('mail.preview', { template, userId: 'u_markup' });
    expect(preview.sendable).toBe(true);
    expect(preview.org).toMatchObject({
      university: 'Demo University',
      universitySource: 'settings',
      cutoffSource: 'platform',
    });
    expect(preview.org.cutoffDate).toBe('December 15, 2026');
    // Escaped, and the "/" carries an invisible word joiner so no client reads a link into a name.
    expect(preview.html).toContain('Hi &lt;b&gt;Bo&lt;/\u2060b&gt; &amp; &quot;Q&quot;,');
    expect(preview.headers).toMatch(/^To: =\?UTF-8\?/m);
    expect(preview.headers).toMatch(/^Subject: /m);
    expect(preview.subject).toBe(
      'Action needed by December 15, 2026: reconnect your Demo University calendar sync',
    );
  });

  it('uses overrides for [UNIVERSITY] and [DATE PROVIDED]', async () => {
    const preview = await call<MailPreview>('mail.preview', {
      template,
      overrides: { university: 'Other U', cutoffAt: '2027-01-31' },
    });
    expect(preview.subject).toBe('Action needed by January 31, 2027: reconnect your Other U calendar sync');
    expect(preview.org).toMatchObject({ universitySource: 'override', cutoffSource: 'override' });
  });
});

describe('mail.export', () => {
  let result: MailExportResult;

  beforeAll(async () => {
    result = await call<MailExportResult>(
      'mail.export',
      {
        template: { ...template, name: template.name, templateId: template.id, templateVersion: 1 },
        audience: { ...audience, filter: { ...audience.filter, role: ['career_center'] } },
        format: 'eml',
        from: { name: 'Career Center, Demo University', address: 'careers@demo-university.edu' },
      },
      support,
    );
  }, 60_000);

  it('writes one .eml per recipient, each parsed back to what was intended, with a magic link of its own', async () => {
    const files = readdirSync(result.folder).filter((f) => f.endsWith('.eml'));
    expect(files.length).toBe(result.written);
    expect(result.written).toBeGreaterThan(0);
    expect(result.magicLinks).toMatchObject({ created: result.written, failed: 0, warning: null });
    expect(result.magicLinks.expiresAt).not.toBeNull();
    const links = new Set<string>();
    for (const file of files) {
      expect(statSync(join(result.folder, file)).mode & 0o077).toBe(0);
      const userId = file.replace(/^\d+-/, '').replace(/\.eml$/, '');
      const row = engine.get(userId) as Connection;
      const parsed = await PostalMime.parse(readFileSync(join(result.folder, file)));
      expect(parsed.to?.[0]?.address).toBe(row.email);
      expect(parsed.from).toEqual({
        name: 'Career Center, Demo University',
        address: 'careers@demo-university.edu',
      });
      expect(parsed.subject).toBe(
        'Action needed by December 15, 2026: reconnect your Demo University calendar sync',
      );
      expect(parsed.messageId).toMatch(/@demo-university\.edu>$/);
      const link = /href="([^"]*\/magic\/[^"]*)"/.exec(parsed.html ?? '')?.[1];
      expect(link).toBeDefined();
      links.add(link as string);
      const first = mergeValues(
        row,
        { fallbackFirstName: 'there', reauthorizeUrl: null, helpUrl: null, cutoffDate: null },
        null,
      );
      expect(parsed.text).toContain(`Hi ${first.FirstName},`);
    }
    expect(links.size).toBe(files.length);
  });

  it('previews the headers exactly as the export wrote them (but Date and Message-ID)', async () => {
    const file = readdirSync(result.folder).find((f) => f.endsWith('.eml')) as string;
    const userId = file.replace(/^\d+-/, '').replace(/\.eml$/, '');
    const preview = await call<MailPreview>('mail.preview', {
      template,
      userId,
      from: { name: 'Career Center, Demo University', address: 'careers@demo-university.edu' },
    });
    const fields = (block: string) =>
      Object.fromEntries(
        block
          .replace(/\r\n[ \t]+/g, ' ')
          .split('\r\n')
          .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()])
          .filter(([name]) => !['Date', 'Message-ID', 'Content-Type'].includes(name as string)),
      );
    const written = readFileSync(join(result.folder, file), 'utf8');
    expect(fields(preview.headers)).toEqual(fields(written.slice(0, written.indexOf('\r\n\r\n'))));
    expect(preview.headers).toMatch(
      /^From: "Career Center, Demo University" <careers@demo-university\.edu>$/m,
    );
  });

  it('records the announcement for the dashboard (support may export)', async () => {
    const { announcements } = await call<{ announcements: Array<Record<string, unknown>> }>(
      'mail.announcements',
      {},
    );
    expect(announcements[0]).toMatchObject({
      id: result.announcementId,
      kind: 'export',
      format: 'eml',
      audienceSize: result.written,
      day: '2026-11-24',
      recordedBy: 'support-1',
      templateId: template.id,
    });
    expect(feature.announcements.days('2026-11-01', '2026-12-31')).toEqual(['2026-11-24']);
  });

  it('measures the effect: recipients who re-authorized within 1, 3 and 7 days', async () => {
    const before = await call<Record<string, number>>('mail.effect', { id: result.announcementId });
    expect(before).toMatchObject({ recipients: result.written, known: result.written, within7d: 0 });
    const file = readdirSync(result.folder).find((f) => f.endsWith('.eml')) as string;
    const userId = file.replace(/^\d+-/, '').replace(/\.eml$/, '');
    const row = engine.get(userId) as Connection;
    // Two days after the export this recipient re-authorized (as the next sync would show).
    engine.upsert([
      { ...row, status: 'migrated', api: 'graph', statusChangedAt: '2026-11-26T15:00:00.000Z' },
    ]);
    const after = await call<Record<string, number>>('mail.effect', { id: result.announcementId });
    expect(after).toMatchObject({ within1d: 0, within3d: 1, within7d: 1, migratedNow: 1 });
    await expect(call('mail.effect', { id: 'nope' })).rejects.toThrow(/not_found/);
  });

  it('writes a mail-merge CSV with the excluded users listed apart', async () => {
    const csv = await call<MailExportResult>('mail.export', {
      template: { ...template, name: 'x' },
      audience,
      format: 'csv',
      outDir: dir,
    });
    const parsed = Papa.parse<Record<string, string>>(
      readFileSync(join(csv.folder, 'recipients.csv'), 'utf8').replace(/^\uFEFF/, ''),
      {
        header: true,
        skipEmptyLines: true,
      },
    );
    expect(parsed.data.length).toBe(csv.written);
    expect(parsed.data.find((r) => r['userId'] === 'u_markup')).toMatchObject({
      FirstName: '<b>Bo</\u2060b> & "Q"',
      email: 'bo@demo-university.edu',
    });
    const excluded = Papa.parse<Record<string, string>>(
      readFileSync(join(csv.folder, 'excluded.csv'), 'utf8').replace(/^\uFEFF/, ''),
      {
        header: true,
        skipEmptyLines: true,
      },
    );
    expect(excluded.data.map((r) => r['userId']).sort()).toEqual(['u_dup_a', 'u_dup_b', 'u_noaddr']);
  });

  it('offline: exports without magic links and says so', async () => {
    online = false;
    try {
      const offline = await call<MailExportResult>('mail.export', {
        template: { ...template, name: 'x' },
        audience: { filter: { status: ['legacy'], role: ['career_center'] } },
        format: 'html',
      });
      expect(offline.magicLinks.created).toBe(0);
      expect(offline.magicLinks.warning).toMatch(/offline: magic links were left out/);
      const file = readdirSync(offline.folder).find((f) => f.endsWith('.html')) as string;
      expect(readFileSync(join(offline.folder, file), 'utf8')).toContain(
        '/account-settings/calendar-sync">Open your calendar sync settings</a>',
      );
    } finally {
      online = true;
    }
  });

  it('when the platform refuses magic links mid-export, writes every message with the re-authorize page and says how many', async () => {
    linkClient = () =>
      new PlatformClient({ baseUrl: sandbox.platformUrl, apiKey: sandbox.keys.noMagicLinks });
    try {
      const refused = await call<MailExportResult>('mail.export', {
        template: { ...template, name: 'x' },
        audience: { filter: { status: ['legacy'], role: ['career_center'] } },
        format: 'eml',
      });
      expect(refused.written).toBeGreaterThan(0);
      expect(refused.magicLinks).toMatchObject({ created: 0, failed: refused.written, expiresAt: null });
      expect(refused.magicLinks.warning).toBe(
        `${refused.written.toLocaleString('en-US')} magic link(s) could not be created; those messages point at the re-authorize page.`,
      );
      for (const file of readdirSync(refused.folder).filter((f) => f.endsWith('.eml'))) {
        const parsed = await PostalMime.parse(readFileSync(join(refused.folder, file)));
        expect(parsed.html).toContain(
          '/account-settings/calendar-sync">Open your calendar sync settings</a>',
        );
      }
    } finally {
      linkClient = () => client;
    }
  });

  it('stopped half way, says how far it got and records nothing', async () => {
    const controller = new AbortController();
    const before = feature.announcements.list(500).length;
    const pending = dispatch(
      'mail.export',
      { template: { ...template, name: 'x' }, audience, format: 'eml', magicLinkTtlMinutes: null },
      { ...director, signal: controller.signal },
    );
    setTimeout(() => controller.abort(new Error('deadline')), 5);
    const reply = (await pending) as ReplyEnvelope<unknown>;
    expect(reply).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    if (!reply.ok)
      expect(reply.error.message).toMatch(
        /^The export stopped after [\d,]+ messages .* holds what was written/,
      );
    expect(feature.announcements.list(500)).toHaveLength(before);
  });

  it('refuses a template with unresolved issues, naming line and column', async () => {
    await expect(
      call('mail.export', {
        template: { subject: 's', body: 'Hi {{Frist}}', name: 'x' },
        audience,
        format: 'eml',
      }),
    ).rejects.toThrow(/bad_input .*body line 1, column 4: \{\{Frist\}\} is not a merge field/);
  });

  it('lets a signed-out viewer look but not export or save', async () => {
    const reply = await dispatch(
      'mail.export',
      { template: { ...template, name: 'x' }, audience, format: 'eml' },
      viewer,
    );
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await dispatch('mail.saveTemplate', { name: 'x', subject: 's', body: 'b' }, viewer)).toMatchObject(
      { ok: false },
    );
    expect(await dispatch('mail.templates', {}, viewer)).toMatchObject({ ok: true });
  });
});
