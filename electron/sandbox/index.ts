import { createAdminApi } from './http/admin-routes.ts';
import { createFaultInjector, type FaultProfile } from './http/faults.ts';
import { createRateLimiter } from './http/rate-limiter.ts';
import { startHttpServer, type Mount } from './http/server.ts';
import { createStats, type SandboxStats } from './http/stats.ts';
import type { Handler } from './http/types.ts';
import { createKeyRing } from './platform/api-keys.ts';
import { createCursorCodec } from './platform/cursor.ts';
import { createIdempotencyStore } from './platform/idempotency.ts';
import { createPlatformApi, PLATFORM_PREFIX } from './platform/index.ts';
import { startIdentityProvider } from './identity/index.ts';
import { createUniversity, type University } from './university/index.ts';

export interface SandboxOptions {
  port?: number;
  host?: '127.0.0.1';
  users?: number;
  seed?: string;
  faults?: FaultProfile;
  /** Added to every platform and Graph reply. */
  latencyMs?: number;
  /** The sandbox's "now" at start (the cut-off is 21 days later at 23:59 America/New_York). */
  now?: Date;
  /** Platform rate limit per API key (default 20/s, burst 40); tests that page a lot raise it. */
  rateLimit?: { perSecond: number; burst: number };
  /** Start the HTTPS identity provider (default true). */
  identity?: boolean;
}

export interface Sandbox {
  platformUrl: string;
  graphUrl: string;
  authorityUrl: string;
  adminUrl: string;
  /** An API key with every scope. */
  apiKey: string;
  keys: { all: string; readOnly: string; noMagicLinks: string; magicLinksOnly: string };
  /** An app-only Graph token with Calendars.Read (empty when the identity provider is off). */
  graphAppToken: string;
  /** PEM of the identity provider's certificate (empty when it is off). */
  caCertPem: string;
  university: University;
  stats: SandboxStats;
  close(): Promise<void>;
}

export const GRAPH_PREFIX = '/graph/v1.0';
export const ADMIN_PREFIX = '/__sandbox';

interface GraphModule {
  createGraphRoutes?: (deps: Record<string, unknown>) => unknown;
}

/** Engineer B's Graph subset, when present in this tree (loaded by name so the sandbox runs without it). */
async function loadGraph(): Promise<GraphModule | null> {
  const path = './graph/index.ts';
  try {
    return (await import(path)) as GraphModule;
  } catch {
    return null;
  }
}

/**
 * Starts the whole sandbox: platform API, Graph subset and admin controls on one plain-HTTP port
 * of 127.0.0.1, the identity provider on its own HTTPS port.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const seed = options.seed ?? 'demo-university';
  const university = createUniversity({ seed, users: options.users ?? 12_000, now: options.now ?? new Date() });
  const stats = createStats();
  const keyRing = createKeyRing();
  const faults = createFaultInjector(options.faults ?? 'none', seed, options.latencyMs ?? 0);
  const rateLimiter = createRateLimiter(options.rateLimit ?? {});
  const idempotency = createIdempotencyStore();
  let origin = '';

  const platform = createPlatformApi({ university, cursors: createCursorCodec(), origin: () => origin, keyRing, rateLimiter, faults, idempotency, stats });
  const admin = createAdminApi({
    university,
    stats,
    resetAll() {
      university.reset();
      stats.reset();
      idempotency.reset();
      rateLimiter.reset();
      faults.reset();
    },
  });

  const identity = options.identity === false ? null : await startIdentityProvider({ host: '127.0.0.1', now: () => new Date(university.clock.nowMs()) });
  const mounts: Mount[] = [
    { prefix: PLATFORM_PREFIX, handler: platform },
    { prefix: ADMIN_PREFIX, handler: admin },
  ];
  const graph = await loadGraph();
  if (graph?.createGraphRoutes && identity) {
    const handler = graph.createGraphRoutes({ university, stats, identity, faults: createFaultInjector(options.faults ?? 'none', seed, options.latencyMs ?? 0, 'graph'), baseUrl: () => `${origin}${GRAPH_PREFIX}` });
    if (typeof handler === 'function') mounts.push({ prefix: GRAPH_PREFIX, handler: handler as Handler });
  }

  let http;
  try {
    http = await startHttpServer({ host: options.host ?? '127.0.0.1', port: options.port ?? 0, mounts });
  } catch (error) {
    await identity?.close();
    throw error;
  }
  origin = http.url;
  return {
    platformUrl: `${origin}${PLATFORM_PREFIX}`,
    graphUrl: `${origin}${GRAPH_PREFIX}`,
    authorityUrl: identity?.authorityUrl ?? '',
    adminUrl: `${origin}${ADMIN_PREFIX}`,
    apiKey: keyRing.keys.all,
    keys: keyRing.keys,
    graphAppToken: identity?.mintAppToken({ lifetimeSeconds: 24 * 3600 }) ?? '',
    caCertPem: identity?.caCertPem ?? '',
    university,
    stats,
    async close() {
      await Promise.all([http.close(), identity?.close()]);
    },
  };
}
