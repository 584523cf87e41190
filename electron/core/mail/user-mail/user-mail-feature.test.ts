import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../../../shared/contract/errors.ts';
import type { AuthStatus } from '../../../../shared/contract/auth.ts';
import type { Connection } from '../../../../shared/domain/platform.ts';
import { startGraphHarness, type GraphHarness } from '../../../sandbox/graph/graph-test-setup.ts';
import { startSandbox, type Sandbox } from '../../../sandbox/index.ts';
import { StaticTokenProvider } from '../../graph/auth.ts';
import { GraphClient } from '../../graph/client.ts';
import { createDispatcher, type CallContext, type Dispatch } from '../../ipc/dispatcher.ts';
import { createMemoryLogger } from '../../log/logger.ts';
import { PlatformClient } from '../../platform/client.ts';
import { applyMailMigrations } from '../mail-migrations.ts';
import { AnnouncementRepository } from '../template-repository.ts';
import { operatorMailbox } from './operator-mailbox.ts';
import { createUserMailFeature, magicLinkMessage, type OperatorMailbox } from './user-mail-feature.ts';

let sandbox: Sandbox;
let graph: GraphHarness;
let platform: PlatformClient;
let db: DatabaseSync;
let logger: ReturnType<typeof createMemoryLogger>;
let mailboxToken: string;
const director: CallContext = { transport: 'test', operator: { id: 'director-1', role: 'director' } };
const support: CallContext = { transport: 'test', operator: { id: 'support-1', role: 'support' } };
const viewer: CallContext = { transport: 'test', operator: { id: 'signed-out', role: 'viewer' } };

function dispatcherWith(mailbox: OperatorMailbox): Dispatch {
  const feature = createUserMailFeature({
    logger,
    db: () => db,
    platform: async () => platform,
    mailbox,
    settings: () => ({ universityName: 'Demo <University>' }),
    timeZone: async () => 'America/New_York',
  });
  return createDispatcher({ handlers: feature.handlers as never, logger, scope: () => 'platform' });
}

const sandboxMailbox = (): OperatorMailbox => ({
  resolve: async () => ({
    graph: new GraphClient({ baseUrl: graph.base, tokens: new StaticTokenProvider(mailboxToken) }),
    address: 'career.director@demo',
  }),
});

async function call<T>(
  d: Dispatch,
  method: string,
  input: unknown,
  context = director,
): Promise<Envelope<T>> {
  return (await d(method, input, context)) as Envelope<T>;
}

async function someUser(): Promise<Connection> {
  for await (const c of platform.listConnections({ status: ['legacy'] })) return c;
  throw new Error('no legacy user in the sandbox');
}

beforeAll(async () => {
  sandbox = await startSandbox({ users: 200, identity: false });
  graph = await startGraphHarness();
  platform = new PlatformClient({ baseUrl: sandbox.platformUrl, apiKey: sandbox.apiKey });
  db = new DatabaseSync(':memory:');
  logger = createMemoryLogger();
  mailboxToken = graph.idp.mintUserToken({ user: 'director' });
});
afterAll(async () => {
  await graph.close();
  await sandbox.close();
});

describe('announcements sent to one user', () => {
  it('lists the announcements whose recipients include the user, newest first, with the total', async () => {
    applyMailMigrations(db);
    const repo = new AnnouncementRepository(db);
    const base = {
      format: null,
      templateId: null,
      templateVersion: null,
      subject: 'Reconnect your calendar',
      audienceSize: 2,
      excluded: 0,
      magicLinks: 0,
      linksExpireAt: null,
      day: '2026-11-20',
      recordedBy: 'director-1',
      audienceFilter: {},
    };
    repo.record(
      {
        ...base,
        kind: 'export',
        format: 'eml',
        templateName: 'First notice',
        recordedAt: '2026-11-20T10:00:00Z',
      },
      ['u_a', 'u_b'],
    );
    repo.record({ ...base, kind: 'send', templateName: 'Reminder', recordedAt: '2026-11-27T10:00:00Z' }, [
      'u_a',
    ]);
    repo.record({ ...base, kind: 'drafts', templateName: 'Other', recordedAt: '2026-11-28T10:00:00Z' }, [
      'u_c',
    ]);
    const d = dispatcherWith(sandboxMailbox());
    const reply = await call<{ announcements: Array<{ kind: string; templateName: string }>; total: number }>(
      d,
      'userMail.announcements',
      { userId: 'u_a' },
      viewer,
    );
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    expect(reply.value.total).toBe(2);
    expect(reply.value.announcements.map((a) => [a.kind, a.templateName])).toEqual([
      ['send', 'Reminder'],
      ['export', 'First notice'],
    ]);
    const one = await call<{ announcements: unknown[]; total: number }>(d, 'userMail.announcements', {
      userId: 'u_a',
      limit: 1,
    });
    expect(one.ok && [one.value.announcements.length, one.value.total]).toEqual([1, 2]);
    const none = await call<{ total: number }>(d, 'userMail.announcements', { userId: 'u_nobody' });
    expect(none.ok && none.value.total).toBe(0);
  });
});

describe('email a magic link', () => {
  it("sends one message from the operator's mailbox with the link, and never logs the link", async () => {
    const user = await someUser();
    const d = dispatcherWith(sandboxMailbox());
    const before = graph.stats.snapshot().sideEffects.sendMail.executed;
    const reply = await call<{ to: string; from: string; expiresAt: string }>(d, 'userMail.sendMagicLink', {
      userId: user.userId,
      ttlMinutes: 60,
    });
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    expect(reply.value.to).toBe(user.email);
    expect(reply.value.from).toBe('career.director@demo');
    expect(graph.stats.snapshot().sideEffects.sendMail.executed).toBe(before + 1);
    // The sent copy in the operator's mailbox: addressed to the user, one https link, the university escaped.
    const sent = await graph.call('/me/messages?$top=1', { token: mailboxToken });
    const message = (sent.json.value as Array<Record<string, unknown>>)[0] as {
      subject: string;
      body: { content: string };
      toRecipients: Array<{ emailAddress: { address: string } }>;
    };
    expect(message.subject).toBe('Your link to reconnect calendar sync');
    expect(message.toRecipients[0]?.emailAddress.address).toBe(user.email);
    const links = [...message.body.content.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(links).toHaveLength(1);
    expect(links[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(message.body.content).toContain('Demo &lt;University&gt; career center');
    const logged = logger.lines.join('\n');
    expect(logged).toContain('magic link emailed');
    expect(logged).not.toContain(links[0]!.replace(/&amp;/g, '&'));
    expect(logged).not.toContain(user.email);
  });

  it('refuses a viewer, and says plainly when the operator has no Graph access', async () => {
    const user = await someUser();
    const d = dispatcherWith(sandboxMailbox());
    const refused = await call(d, 'userMail.sendMagicLink', { userId: user.userId }, viewer);
    expect(!refused.ok && refused.error.code).toBe('forbidden');

    const signedOut: AuthStatus = {
      state: 'signed-out',
      account: null,
    } as unknown as AuthStatus;
    const noAccess = dispatcherWith(
      operatorMailbox({
        status: () => signedOut,
        graph: () => Promise.reject(new Error('not called')),
      }),
    );
    const linksBefore = sandbox.stats.snapshot().sideEffects['magic-link'].executed;
    const reply = await call(noAccess, 'userMail.sendMagicLink', { userId: user.userId }, support);
    expect(!reply.ok && reply.error.code).toBe('unauthorized');
    expect(!reply.ok && reply.error.message).toMatch(/sign in with your Microsoft 365 account/);
    // No link was made for a message that could not go.
    expect(sandbox.stats.snapshot().sideEffects['magic-link'].executed).toBe(linksBefore);

    // A token without Mail.Send: Graph's 403 comes back as a clear, typed error.
    const readOnly = graph.idp.mintUserToken({ user: 'support', scopes: ['User.Read'] });
    const noSend = dispatcherWith({
      resolve: async () => ({
        graph: new GraphClient({ baseUrl: graph.base, tokens: new StaticTokenProvider(readOnly) }),
        address: 'career.support@demo',
      }),
    });
    const denied = await call(noSend, 'userMail.sendMagicLink', { userId: user.userId }, support);
    expect(!denied.ok && denied.error.code).toBe('forbidden');
    expect(!denied.ok && denied.error.message).toMatch(/sendMail/);
  });

  it('escapes the name and the link, and refuses a link that is not https', () => {
    const person = {
      email: 'x@y.edu',
      firstName: '<img src=x>',
      lastName: 'L',
      preferredName: null,
    } as Connection;
    const message = magicLinkMessage({
      person,
      url: 'https://platform.example/m/abc?x=1&y=2',
      expiresAt: '2026-12-01T12:00:00Z',
      university: null,
      timeZone: 'America/New_York',
    }) as { body: { content: string } };
    expect(message.body.content).toContain('Hello &lt;img src&#61;x&gt;,');
    expect(message.body.content).toContain('href="https://platform.example/m/abc?x&#61;1&amp;y&#61;2"');
    expect(message.body.content).toContain('December 1, 2026 at 7:00 AM EST');
    expect(() =>
      magicLinkMessage({
        person,
        url: 'javascript:alert(1)',
        expiresAt: '2026-12-01T12:00:00Z',
        university: null,
        timeZone: null,
      }),
    ).toThrow(/not an https address/);
  });
});
