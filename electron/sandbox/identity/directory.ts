import { randomBytes } from 'node:crypto';

/**
 * The demo tenant: who can sign in and which apps are registered. Ids are fixed so a demo
 * configuration can name them; client secrets are fresh random values on every start.
 */

export const DEFAULT_TENANT_ID = '5f8c2d1e-7a43-4b6e-9d2f-0c1b3a4e5d6f';

/** The delegated Graph scopes the console asks for. */
// Mail.ReadWrite is what POST /me/messages (drafts) needs; sendMail alone needs only Mail.Send.
export const CONSOLE_DELEGATED_SCOPES = ['User.Read', 'Mail.Send', 'Mail.ReadWrite'] as const;
export const OIDC_SCOPES = ['openid', 'profile', 'offline_access', 'email'] as const;

export type DemoUserKey = 'director' | 'support';

export interface DemoUser {
  key: DemoUserKey;
  oid: string;
  displayName: string;
  givenName: string;
  surname: string;
  userPrincipalName: string;
  /** App role value put in the console's id token (Entra app roles). */
  appRole: 'Migration.Director' | 'Migration.Support';
  jobTitle: string;
}

export interface DemoApp {
  clientId: string;
  displayName: string;
  /** Public clients (desktop, device code) have no secret; confidential ones authenticate with one. */
  kind: 'public' | 'confidential';
  clientSecret: string | null;
  /** Service principal object id: the `oid` of app-only tokens. */
  servicePrincipalId: string;
  /** Application permissions an administrator granted (app-only `roles`). */
  applicationPermissions: string[];
  /** Delegated Graph scopes the app may request. */
  delegatedScopes: string[];
  /** Registered redirect URIs; `http://localhost` matches any loopback port, as Entra does for desktop apps. */
  redirectUris: string[];
}

export interface DemoDirectory {
  tenantId: string;
  domain: string;
  users: Record<DemoUserKey, DemoUser>;
  apps: { console: DemoApp; verifier: DemoApp };
  findApp(clientId: string): DemoApp | undefined;
  findUserByOid(oid: string): DemoUser | undefined;
  findUserByHint(hint: string): DemoUser | undefined;
}

function secret(): string {
  // Entra secrets are ~40 printable characters; this is as strong and needs no escaping in forms.
  return randomBytes(30).toString('base64url');
}

export function createDemoDirectory(options: { tenantId?: string; domain?: string } = {}): DemoDirectory {
  const tenantId = options.tenantId ?? DEFAULT_TENANT_ID;
  const domain = options.domain ?? 'demo-university.edu';
  const users: Record<DemoUserKey, DemoUser> = {
    director: {
      key: 'director',
      oid: '0d1e2f3a-4b5c-4d6e-8f70-81a2b3c4d5e6',
      displayName: 'Demo Director',
      givenName: 'Demo',
      surname: 'Director',
      userPrincipalName: `career.director@${domain}`,
      appRole: 'Migration.Director',
      jobTitle: 'Director of Career Services',
    },
    support: {
      key: 'support',
      oid: '1e2f3a4b-5c6d-4e7f-9081-92b3c4d5e6f7',
      displayName: 'Demo Support',
      givenName: 'Demo',
      surname: 'Support',
      userPrincipalName: `career.support@${domain}`,
      appRole: 'Migration.Support',
      jobTitle: 'Career Center Support Specialist',
    },
  };
  const apps = {
    console: {
      clientId: '7c3e9a10-2b4d-4f6a-8c1e-3d5f7a9b1c2d',
      displayName: 'Calendar Sync Migration Console',
      kind: 'public',
      clientSecret: null,
      servicePrincipalId: '8d4f0b21-3c5e-4a7b-9d2f-4e6a8b0c2d3e',
      applicationPermissions: [],
      delegatedScopes: [...CONSOLE_DELEGATED_SCOPES],
      redirectUris: ['http://localhost'],
    },
    verifier: {
      clientId: '9e5a1c32-4d6f-4b8c-ae30-5f7b9c1d3e4f',
      displayName: 'Calendar Sync Verifier (app-only)',
      kind: 'confidential',
      clientSecret: secret(),
      servicePrincipalId: 'af6b2d43-5e7a-4c9d-bf41-6a8c0d2e4f5a',
      applicationPermissions: ['Calendars.Read'],
      delegatedScopes: [],
      redirectUris: [],
    },
  } satisfies Record<string, DemoApp>;
  const appList: DemoApp[] = [apps.console, apps.verifier];
  const userList = Object.values(users);
  return {
    tenantId,
    domain,
    users,
    apps,
    findApp: (clientId) => appList.find((app) => app.clientId === clientId),
    findUserByOid: (oid) => userList.find((user) => user.oid === oid),
    findUserByHint: (hint) => {
      const wanted = hint.trim().toLowerCase();
      return userList.find((user) => user.userPrincipalName.toLowerCase() === wanted || user.key === wanted);
    },
  };
}
