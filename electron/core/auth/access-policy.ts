import { PERMISSIONS, type OperatorRole, type Permission } from '../../../shared/contract/index.ts';

/**
 * Where the console's data comes from, as far as access is concerned: the embedded demo (invented people)
 * or a real platform (a university's students and staff). Signed out, the demo stays open; a real
 * platform may be browsed but not exported or changed.
 */
export type AccessScope = 'demo' | 'platform';

const SIGNED_OUT_ON_PLATFORM: readonly Permission[] = ['read', 'sign-in-setup'];

/**
 * What a role may do. Directors may do everything. Support reads, exports, keeps saved views, starts full
 * syncs, acts on one user and drafts announcements; only directors force-disconnect, act in bulk, send or
 * change settings. `viewer` is signed out or signed in without a console role: on a real platform it may
 * browse and set up sign-in (first run); on the demo it may also export and change views.
 */
const ROLE_PERMISSIONS: Record<AccessScope, Record<OperatorRole, ReadonlySet<Permission>>> = {
  platform: {
    director: new Set<Permission>(PERMISSIONS),
    support: new Set<Permission>(['read', 'export', 'change-shared', 'act-one', 'compose']),
    viewer: new Set<Permission>(SIGNED_OUT_ON_PLATFORM),
  },
  demo: {
    director: new Set<Permission>(PERMISSIONS),
    support: new Set<Permission>(['read', 'export', 'change-shared', 'act-one', 'compose']),
    viewer: new Set<Permission>([...SIGNED_OUT_ON_PLATFORM, 'export', 'change-shared']),
  },
};

export function isAllowed(
  role: OperatorRole,
  permission: Permission,
  scope: AccessScope = 'platform',
): boolean {
  return ROLE_PERMISSIONS[scope][role].has(permission);
}

/** The permissions of a role, in contract order (for `auth.status`, so the UI can explain a missing one). */
export function permissionsOf(role: OperatorRole, scope: AccessScope = 'platform'): Permission[] {
  return PERMISSIONS.filter((permission) => ROLE_PERMISSIONS[scope][role].has(permission));
}
