import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodNames, methods, type OperatorRole, type Permission } from '../../shared/contract/index.ts';
import { isAllowed, permissionsOf } from '../../electron/core/auth/access-policy.ts';
import type { Sandbox } from '../../electron/sandbox/index.ts';
import { makeCore, signInWithBrowser, startAuthSandbox, waitForAuth, type TestCore } from './auth-harness.ts';

/**
 * Roles are enforced in the main process: every contract method is called as each role the
 * sandbox identity provider can sign in, and everything the role lacks answers a typed
 * `forbidden` before any handler runs.
 *
 * The signed-out rule: with a real platform configured, signed out (or signed in without a console role)
 * may browse counts and rows and set up sign-in (first run), but not export personal data nor change or
 * delete shared state (saved views, full syncs); the demo (invented people) stays open for those.
 */

const EXPECTED: Record<OperatorRole, Permission[]> = {
  director: [
    'read',
    'export',
    'change-shared',
    'act-one',
    'force-disconnect',
    'bulk',
    'send',
    'compose',
    'settings',
    'sign-in-setup',
  ],
  support: ['read', 'export', 'change-shared', 'act-one', 'compose'],
  viewer: ['read', 'sign-in-setup'],
};
const SIGNED_OUT_ON_DEMO: Permission[] = ['read', 'export', 'change-shared', 'sign-in-setup'];

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startAuthSandbox();
});
afterAll(() => sandbox.close());

async function callEverything(test: TestCore): Promise<Map<string, string | null>> {
  const outcome = new Map<string, string | null>();
  for (const name of methodNames) {
    // auth.signOut would end the session under test; it is checked on its own below.
    if (name === 'auth.signOut' || name === 'auth.signIn') continue;
    const reply = await test.call(name, {});
    outcome.set(name, reply.ok ? null : reply.error.code);
  }
  return outcome;
}

describe('role-based access', () => {
  it('grants each role exactly the documented permissions', () => {
    for (const role of Object.keys(EXPECTED) as OperatorRole[]) {
      expect(permissionsOf(role), role).toEqual(EXPECTED[role]);
      expect(permissionsOf(role, 'platform'), role).toEqual(EXPECTED[role]);
    }
    expect(permissionsOf('viewer', 'demo')).toEqual(SIGNED_OUT_ON_DEMO);
    expect(permissionsOf('director', 'demo')).toEqual(EXPECTED.director);
    expect(permissionsOf('support', 'demo')).toEqual(EXPECTED.support);
    expect(isAllowed('support', 'force-disconnect')).toBe(false);
    expect(isAllowed('support', 'act-one')).toBe(true);
  });

  it('refuses every privileged channel to Support with a typed forbidden, and allows the rest', async () => {
    const test = await makeCore(sandbox);
    try {
      const status = await signInWithBrowser(sandbox, test, 'support');
      expect(status).toMatchObject({ role: 'support', permissions: EXPECTED.support });
      const outcome = await callEverything(test);
      const privileged = methodNames.filter((name) => !EXPECTED.support.includes(methods[name].permission));
      expect(privileged).toEqual(
        expect.arrayContaining([
          'settings.update',
          'settings.setSignIn',
          'settings.setPlatformKey',
          'settings.clearCache',
        ]),
      );
      for (const name of privileged) expect(outcome.get(name), name).toBe('forbidden');
      for (const [name, code] of outcome) {
        if (!privileged.includes(name as never)) expect(code, name).not.toBe('forbidden');
      }
      const refused = await test.call('settings.setPlatformKey', {
        platformUrl: sandbox.platformUrl,
        apiKey: sandbox.apiKey,
      });
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'forbidden', message: expect.stringMatching(/support.*"settings"/) },
      });
      // Support drafts announcements but never sends them to the audience (`send` is for directors).
      const delivery = (mode: string) => ({
        template: { name: 'x', subject: 'Hi', body: 'Hello {{Frist}}' },
        audience: { filter: {} },
        mode,
      });
      expect(await test.call('mail.startDelivery', delivery('send'))).toMatchObject({
        ok: false,
        error: { code: 'forbidden', message: expect.stringContaining('"send"') },
      });
      expect(await test.call('mail.startDelivery', delivery('drafts'))).toMatchObject({
        ok: false,
        error: { code: 'bad_input', message: expect.stringMatching(/unresolved/) },
      });
      expect(await test.call('auth.signOut')).toMatchObject({ ok: true, value: { role: 'viewer' } });
    } finally {
      await test.core.dispose();
    }
  });

  it('is read-only while signed out (demo browsing still works), and lets a director do everything', async () => {
    const test = await makeCore(sandbox);
    try {
      await waitForAuth(test, (s) => s.identity.kind === 'demo');
      const outcome = await callEverything(test);
      for (const [name, code] of outcome) {
        const allowed = SIGNED_OUT_ON_DEMO.includes(methods[name as keyof typeof methods].permission);
        if (allowed) expect(code, name).not.toBe('forbidden');
        else expect(code, name).toBe('forbidden');
      }
      expect(await test.call('migration.overview')).toMatchObject({ ok: true });
      // The demo's people are invented: signed out may still export them and keep views.
      expect(await test.call('roster.export', EXPORT_ALL)).toMatchObject({ ok: true });
      expect(await test.call('views.save', VIEW)).toMatchObject({ ok: true });
      expect(await test.call('settings.update', { universityName: 'Demo' })).toMatchObject({
        ok: false,
        error: { code: 'forbidden', message: expect.stringMatching(/Sign in/) },
      });

      await signInWithBrowser(sandbox, test, 'director');
      expect(await test.call('settings.update', { universityName: 'Demo University' })).toMatchObject({
        ok: true,
        value: { universityName: 'Demo University' },
      });
      expect(await test.call('settings.clearCache')).toMatchObject({ ok: true });
    } finally {
      await test.core.dispose();
    }
  });

  it('signed out on a real platform: browse counts and rows, but no export and no change to shared state', async () => {
    const test = await makeCore(sandbox, {
      capabilities: { platformConfig: () => ({ baseUrl: sandbox.platformUrl, apiKey: sandbox.apiKey }) },
    });
    try {
      const status = await test.status();
      expect(status).toMatchObject({ role: 'viewer', permissions: EXPECTED.viewer });
      const outcome = await callEverything(test);
      for (const [name, code] of outcome) {
        const allowed = EXPECTED.viewer.includes(methods[name as keyof typeof methods].permission);
        if (allowed) expect(code, name).not.toBe('forbidden');
        else expect(code, name).toBe('forbidden');
      }
      for (const name of ['roster.export', 'roster.exportFile', 'views.save', 'views.delete'] as const) {
        expect(outcome.get(name), name).toBe('forbidden');
      }
      expect(await test.call('migration.overview')).toMatchObject({ ok: true });
      expect(await test.call('roster.query', QUERY)).toMatchObject({ ok: true });
      const forbidden = {
        ok: false,
        error: { code: 'forbidden', message: expect.stringMatching(/Sign in/) },
      };
      expect(await test.call('roster.export', EXPORT_ALL)).toMatchObject(forbidden);
      expect(await test.call('views.save', VIEW)).toMatchObject(forbidden);
      expect(await test.call('views.delete', { id: 'someone-elses-view' })).toMatchObject(forbidden);
      expect(await test.call('roster.sync', { mode: 'full' })).toMatchObject({
        ok: false,
        error: { code: 'forbidden', message: expect.stringContaining('"change-shared"') },
      });
      expect(await test.call('roster.sync', { mode: 'incremental' })).toMatchObject({ ok: true });
    } finally {
      await test.core.dispose();
    }
  });
});

const EXPORT_ALL = { filter: {}, sort: { field: 'userId', direction: 'asc' } };
const QUERY = { ...EXPORT_ALL, offset: 0, limit: 10, now: new Date().toISOString() };
const VIEW = { name: 'Mine', filter: {}, sort: { field: 'userId', direction: 'asc' } };
