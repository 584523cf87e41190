import { beforeEach, describe, expect, it } from 'vitest';
import type { AuthStatus } from '../../../../shared/contract/index.ts';
import { checkPermission, useAuthStore } from './auth-store.ts';

function status(change: Partial<AuthStatus>): AuthStatus {
  return {
    state: 'signed-out',
    account: null,
    role: 'viewer',
    permissions: ['read', 'sign-in-setup'],
    pending: null,
    identity: { kind: 'demo', authorityHost: 'localhost:1', detail: null },
    tokenCache: { persisted: true, explanation: null },
    warning: null,
    lastError: null,
    ...change,
  };
}

const support = status({
  state: 'signed-in',
  role: 'support',
  permissions: ['read', 'act-one', 'compose'],
  account: { name: 'Demo Support', username: 'career.support@x.edu', appRoles: ['Migration.Support'] },
});

describe('permission explanations', () => {
  beforeEach(() => useAuthStore.setState({ status: null, dialogOpen: false, loadError: null }));

  it('explains a missing permission by role instead of leaving a dead button', () => {
    expect(checkPermission(support, 'act-one')).toEqual({ allowed: true, reason: null });
    expect(checkPermission(support, 'force-disconnect').reason).toMatch(/Support.*force-disconnect/);
    expect(checkPermission(status({}), 'settings').reason).toMatch(/^Sign in to change/);
    const noRole = status({ state: 'signed-in', account: { name: 'A', username: 'a@x.edu', appRoles: [] } });
    expect(checkPermission(noRole, 'bulk').reason).toMatch(/no console role.*Migration.Director/);
    expect(checkPermission(null, 'read').allowed).toBe(false);
  });

  it('opens the sign-in dialog when a session expires, and ignores malformed updates', () => {
    expect(useAuthStore.getState().apply(support)).toBe(true);
    expect(useAuthStore.getState().dialogOpen).toBe(false);
    expect(useAuthStore.getState().apply({ ...support, state: 'expired', role: 'viewer' })).toBe(true);
    expect(useAuthStore.getState().dialogOpen).toBe(true);
    expect(useAuthStore.getState().apply({ state: 'signed-in', token: 'x' })).toBe(false);
    expect(useAuthStore.getState().status?.state).toBe('expired');
  });

  it('keeps the device code an event brought when the sign-in call’s older reply lands after it', () => {
    const waiting = status({
      state: 'signing-in',
      pending: { flow: 'deviceCode', authorizeUrl: null, deviceCode: null },
    });
    const code = {
      userCode: 'ABCD-EFGH',
      verificationUri: 'https://localhost:1/devicelogin',
      expiresAt: '2026-12-05T01:20:00.000Z',
      message: 'Enter the code.',
    };
    const store = useAuthStore.getState;
    const before = store().applied;
    // The event with the code overtakes the call's reply (sent before the code existed).
    expect(store().apply(status({ ...waiting, pending: { ...waiting.pending!, deviceCode: code } }))).toBe(
      true,
    );
    expect(store().applyReply(waiting, before)).toBe(false);
    expect(store().status?.pending?.deviceCode?.userCode).toBe('ABCD-EFGH');
    // With no event in between, the reply is the news.
    const now = store().applied;
    expect(store().applyReply(status({}), now)).toBe(true);
    expect(store().status?.state).toBe('signed-out');
  });
});
