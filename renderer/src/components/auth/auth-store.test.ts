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
});
