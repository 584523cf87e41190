import { describe, expect, it } from 'vitest';
import { rolesFromToken } from './roles.ts';

const TENANT = '11111111-1111-4111-8111-111111111111';
const CLIENT = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const registration = { authority: `https://login.microsoftonline.com/${TENANT}`, clientId: CLIENT };
const director = { roles: ['Migration.Director'], tid: TENANT, aud: CLIENT };

describe('roles come only from a token of the configured tenant and application', () => {
  it('accepts the configured tenant and audience (case-insensitively)', () => {
    expect(rolesFromToken({ ...director, tid: TENANT.toUpperCase() }, registration)).toEqual({
      appRoles: ['Migration.Director'],
      refused: null,
    });
  });

  it('refuses roles from another tenant', () => {
    const other = rolesFromToken({ ...director, tid: '22222222-2222-4222-8222-222222222222' }, registration);
    expect(other).toMatchObject({ appRoles: [], refused: expect.stringMatching(/another tenant/) });
    expect(rolesFromToken({ roles: director.roles, aud: CLIENT }, registration).appRoles).toEqual([]);
  });

  it('refuses roles issued for another application', () => {
    const other = rolesFromToken({ ...director, aud: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb' }, registration);
    expect(other).toMatchObject({ appRoles: [], refused: expect.stringMatching(/another application/) });
    expect(rolesFromToken({ roles: director.roles, tid: TENANT }, registration).appRoles).toEqual([]);
  });

  it('grants no roles through a multi-tenant authority', () => {
    for (const tenant of ['common', 'organizations']) {
      const verdict = rolesFromToken(director, {
        authority: `https://login.microsoftonline.com/${tenant}`,
        clientId: CLIENT,
      });
      expect(verdict).toMatchObject({ appRoles: [], refused: expect.stringMatching(/multi-tenant/) });
    }
  });

  it('a token without roles is simply a viewer, with nothing to refuse', () => {
    expect(rolesFromToken({ tid: 'x', aud: 'y' }, registration)).toEqual({ appRoles: [], refused: null });
  });

  it('a tenant given by domain counts as the tenant id it resolves to; unresolved, no roles', () => {
    const byDomain = {
      authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
      clientId: CLIENT,
    };
    expect(rolesFromToken(director, { ...byDomain, tenantId: TENANT.toUpperCase() })).toEqual({
      appRoles: ['Migration.Director'],
      refused: null,
    });
    const other = rolesFromToken(
      { ...director, tid: '22222222-2222-4222-8222-222222222222' },
      { ...byDomain, tenantId: TENANT },
    );
    expect(other).toMatchObject({ appRoles: [], refused: expect.stringMatching(/another tenant/) });
    for (const tenantId of [null, undefined, 'not-a-guid']) {
      const unresolved = rolesFromToken(director, { ...byDomain, tenantId });
      expect(unresolved).toMatchObject({
        appRoles: [],
        refused: expect.stringMatching(/"contoso\.onmicrosoft\.com" .* could not be resolved to a tenant id/),
      });
    }
  });
});
