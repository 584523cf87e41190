import { randomBytes, timingSafeEqual } from 'node:crypto';

export const SCOPES = ['calendar-sync:read', 'calendar-sync:write', 'magic-links:write'] as const;
export type Scope = (typeof SCOPES)[number];

/** The keys a sandbox issues: one with every scope and a few narrower ones for permission tests. */
export interface SandboxKeys {
  all: string;
  readOnly: string;
  noMagicLinks: string;
  magicLinksOnly: string;
}

export interface KeyRing {
  keys: SandboxKeys;
  /** Scopes of a presented key, or null when the key is unknown. */
  scopesOf(presented: string): ReadonlySet<Scope> | null;
}

export function createKeyRing(): KeyRing {
  const mint = (label: string) => `csk_${label}_${randomBytes(18).toString('base64url')}`;
  const keys: SandboxKeys = {
    all: mint('all'),
    readOnly: mint('ro'),
    noMagicLinks: mint('rw'),
    magicLinksOnly: mint('ml'),
  };
  const table: Array<[Buffer, ReadonlySet<Scope>]> = [
    [Buffer.from(keys.all), new Set(SCOPES)],
    [Buffer.from(keys.readOnly), new Set<Scope>(['calendar-sync:read'])],
    [Buffer.from(keys.noMagicLinks), new Set<Scope>(['calendar-sync:read', 'calendar-sync:write'])],
    [Buffer.from(keys.magicLinksOnly), new Set<Scope>(['magic-links:write'])],
  ];
  return {
    keys,
    scopesOf(presented) {
      const p = Buffer.from(presented);
      for (const [k, scopes] of table) if (k.length === p.length && timingSafeEqual(k, p)) return scopes;
      return null;
    },
  };
}

/** The bearer token of an Authorization header, or null. */
export function bearerOf(authorization: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return m?.[1] ?? null;
}
