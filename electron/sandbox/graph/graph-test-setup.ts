import { startHttpServer } from '../http/server.ts';
import { createStats, type SandboxStats } from '../http/stats.ts';
import { startIdentityProvider, type IdentityProvider } from '../identity/index.ts';
import { createUniversity, type MailboxRef, type University } from '../university/index.ts';
import { createGraphRoutes, type GraphLimits } from './index.ts';

/** A Graph sandbox over real HTTP for tests: identity provider, university, server, shared clock. */
export interface GraphHarness {
  base: string;
  idp: IdentityProvider;
  university: University;
  stats: SandboxStats;
  clock: { now: Date; advance(ms: number): void };
  /** A connected, active mailbox with many events. */
  busy: MailboxRef;
  appToken: string;
  call(
    path: string,
    init?: { method?: string; token?: string | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startGraphHarness(
  options: { limits?: Partial<GraphLimits>; latencyMs?: number } = {},
): Promise<GraphHarness> {
  const clock = {
    now: new Date('2026-10-05T15:00:00Z'),
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
  const university = createUniversity({ users: 400, now: clock.now });
  const idp = await startIdentityProvider({ now: () => clock.now });
  const stats = createStats();
  const graph = createGraphRoutes({
    university,
    identity: idp,
    now: () => clock.now,
    stats,
    limits: options.limits,
    latencyMs: options.latencyMs ?? 0,
  });
  const server = await startHttpServer({ host: '127.0.0.1', port: 0, mounts: [graph] });
  let busy: MailboxRef | undefined;
  let most = 0;
  for (let i = 0; i < university.users; i += 1) {
    const ref = university.mailbox.resolve(university.connection(i).userId);
    if (!ref || ref.inactive) continue;
    const count = university.mailbox.events(ref).length;
    if (count > most) {
      most = count;
      busy = ref;
    }
  }
  if (!busy || most < 12) throw new Error('the seeded university has no mailbox with enough events');
  const appToken = idp.mintAppToken();
  const base = `${server.url}/graph/v1.0`;
  return {
    base,
    idp,
    university,
    stats,
    clock,
    busy,
    appToken,
    async call(path, init = {}) {
      const token = init.token === undefined ? appToken : init.token;
      const headers: Record<string, string> = { ...init.headers };
      if (token) headers.Authorization = `Bearer ${token}`;
      if (init.body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await fetch(path.startsWith('http') ? path : `${base}${path}`, {
        method: init.method ?? 'GET',
        headers,
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      });
      const text = await res.text();
      return {
        status: res.status,
        headers: res.headers,
        json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      };
    },
    async close() {
      await server.close();
      await idp.close();
    },
  };
}

/** Every key of Microsoft's sample is present in ours with the same JSON type (recursively for objects). */
export function shapeDifferences(sample: unknown, ours: unknown, path = '$'): string[] {
  const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  if (kind(sample) !== kind(ours)) {
    // Nullable properties: Microsoft's sample may show a value where ours is null, or vice versa.
    if (kind(sample) === 'null' || kind(ours) === 'null') return [];
    return [`${path}: sample ${kind(sample)}, ours ${kind(ours)}`];
  }
  if (kind(sample) === 'array') {
    const s = (sample as unknown[])[0];
    const o = (ours as unknown[])[0];
    return s !== undefined && o !== undefined ? shapeDifferences(s, o, `${path}[0]`) : [];
  }
  if (kind(sample) !== 'object') return [];
  const diffs: string[] = [];
  for (const [key, value] of Object.entries(sample as Record<string, unknown>)) {
    if (!(key in (ours as Record<string, unknown>))) diffs.push(`${path}.${key}: missing`);
    else diffs.push(...shapeDifferences(value, (ours as Record<string, unknown>)[key], `${path}.${key}`));
  }
  return diffs;
}
