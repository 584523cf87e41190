import type {
  Connection,
  ConnectionErrorCode,
  ConnectionStatus,
  Role,
} from '../../../../shared/domain/platform.ts';

/**
 * A deterministic roster of plausible connections for benchmarks and store tests: same seed, same
 * rows. Names mix Latin, accented and non-Latin scripts so locale-aware sorting and folding do
 * real work. Not used at run time.
 */
const FIRST = [
  'Ana',
  'José',
  'Zoë',
  'Łukasz',
  'Søren',
  'Björk',
  'Chloé',
  'Mohammed',
  'Nguyễn',
  'Ξανθή',
  'Дмитрий',
  '美咲',
  'Priya',
  'Oluwaseun',
  'Siobhán',
  'Jürgen',
  'Émile',
  'Aaliyah',
  'Kenji',
  'Maëlle',
];
const LAST = [
  'García',
  'Müller',
  'O’Connor',
  'Smith',
  'Núñez',
  'Ødegaard',
  'Kowalski',
  'van der Berg',
  'Иванов',
  '山田',
  'Żak',
  'Dvořák',
  'Nakamura',
  'Okafor',
  'Lefèvre',
  'Åberg',
  'de la Cruz',
  'Papadopoulos',
  'Strauß',
  'Ó Briain',
];
const STATUSES: readonly ConnectionStatus[] = [
  'legacy',
  'legacy',
  'legacy',
  'reauth_pending',
  'migrated',
  'migrated',
  'migrated',
  'disconnected',
  'error',
  'not_connected',
  'not_affected',
];
const ROLES: readonly Role[] = [
  'student',
  'student',
  'student',
  'student',
  'alumni',
  'alumni',
  'career_center',
];
const ERRORS: readonly ConnectionErrorCode[] = [
  'consent_revoked',
  'token_expired',
  'mailbox_not_found',
  'mailbox_inactive',
  'throttled',
  'unknown',
];

/** mulberry32: tiny, fast, and good enough for test data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

export function syntheticConnection(index: number, random: () => number, now: number): Connection {
  const status = pick(random, STATUSES);
  const provider = status === 'not_affected' ? 'google' : 'office365';
  const firstName = pick(random, FIRST);
  const lastName = pick(random, LAST);
  const connected = status === 'legacy' || status === 'migrated' || status === 'error';
  const day = 86_400_000;
  const stamp = (ms: number) => new Date(ms).toISOString();
  const lastSync = connected && random() < 0.9 ? now - Math.floor(random() * 60 * day) : null;
  const userId = `u_${index.toString(36).padStart(7, '0')}`;
  return {
    userId,
    firstName,
    lastName,
    preferredName: random() < 0.1 ? pick(random, FIRST) : null,
    email: `${firstName.toLowerCase()}.${index}@example.edu`,
    role: pick(random, ROLES),
    provider,
    api:
      status === 'legacy' ? 'outlook_rest_v2' : status === 'migrated' || status === 'error' ? 'graph' : null,
    status,
    statusChangedAt: stamp(now - Math.floor(random() * 90 * day)),
    connectedAt: connected ? stamp(now - Math.floor(random() * 400 * day)) : null,
    lastSyncAt: lastSync === null ? null : stamp(lastSync),
    lastSyncOutcome: lastSync === null ? null : random() < 0.9 ? 'ok' : 'partial',
    lastError:
      status === 'error'
        ? {
            code: pick(random, ERRORS),
            message: `Graph refused the mailbox of user ${index}.`,
            at: stamp(now - Math.floor(random() * 5 * day)),
          }
        : null,
    syncedItemCount: connected ? Math.floor(random() * 400) : 0,
    calendarMailbox: connected ? `${firstName.toLowerCase()}.${index}@example.edu` : null,
    updatedAt: stamp(now - Math.floor(random() * 30 * day)),
    etag: `"${index.toString(16)}-${Math.floor(random() * 1e9).toString(16)}"`,
  };
}

export function syntheticRoster(count: number, options: { seed?: number; now?: number } = {}): Connection[] {
  const random = seededRandom(options.seed ?? 1);
  const now = options.now ?? Date.parse('2026-11-01T12:00:00Z');
  const rows: Connection[] = new Array<Connection>(count);
  for (let i = 0; i < count; i += 1) rows[i] = syntheticConnection(i, random, now);
  return rows;
}
