import { randomUUID } from 'node:crypto';
import { createGraphRoutes, GRAPH_PREFIX, type GraphLimits } from './graph/index.ts';
import { createAdminApi } from './http/admin-routes.ts';
import { createFaultInjector, type FaultInjector, type FaultProfile } from './http/faults.ts';
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
  /** Start the HTTPS identity provider and, with it, Graph (default true; Graph trusts only its tokens). */
  identity?: boolean;
  /**
   * Graph's own clock (ms since the epoch), which its throttling and Exchange sending windows slide
   * on; by default the university's. A test or benchmark shares one accelerated clock with the
   * console's Graph budget (`createScaledClock`), so an hour of sending passes in seconds.
   */
  graphClock?: () => number;
  /** Graph's limits (Exchange sending limits included) instead of Microsoft's published ones. */
  graphLimits?: Partial<GraphLimits>;
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
  /** The confidential verifier app (client credentials, Calendars.Read); empty strings when the identity provider is off. */
  graphClient: { clientId: string; clientSecret: string };
  /** PEM of the identity provider's certificate (empty when it is off). */
  caCertPem: string;
  /** A delegated Graph token (Mail.Send, Mail.ReadWrite) for a demo operator; throws when the identity provider is off. */
  mintOperatorToken(user: 'director' | 'support', lifetimeSeconds?: number): string;
  university: University;
  stats: SandboxStats;
  close(): Promise<void>;
}

export const ADMIN_PREFIX = '/__sandbox';

/**
 * Transient failures on Graph calls, shaped like Graph's own (error body with code and
 * innerError, 429 TooManyRequests with a fractional Retry-After). Graph counts its own requests
 * in the stats; an injected fault is counted here because Graph never sees it.
 */
function withGraphFaults(
  handler: Handler,
  faults: FaultInjector,
  stats: SandboxStats,
  now: () => Date,
): Handler {
  if (faults.profile === 'none') return handler;
  return async (req) => {
    const fault = faults.next();
    if (fault === null || fault.kind === 'slow') {
      const out = await handler(req);
      return fault ? { ...out, delayMs: (out.delayMs ?? 0) + fault.delayMs } : out;
    }
    if (fault.kind === 'reset') {
      if (fault.when === 'after') await handler(req);
      stats.recordRequest('reset');
      return { status: 0, abort: true };
    }
    const status = fault.kind === 'throttle' ? 429 : fault.status;
    const code =
      status === 429
        ? 'TooManyRequests'
        : status === 503
          ? 'ServiceNotAvailable'
          : status === 502
            ? 'BadGateway'
            : 'InternalServerError';
    const retryAfter = fault.retryAfter;
    stats.recordRequest(status);
    return {
      status,
      headers: { 'content-type': 'application/json', ...(retryAfter ? { 'retry-after': retryAfter } : {}) },
      body: {
        error: {
          code,
          message: 'A transient failure was injected by the sandbox.',
          innerError: { 'request-id': randomUUID(), date: now().toISOString().slice(0, 19) },
        },
      },
    };
  };
}

/**
 * Starts the whole sandbox: platform API, Graph subset and admin controls on one plain-HTTP port
 * of 127.0.0.1, the identity provider on its own HTTPS port.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const seed = options.seed ?? 'demo-university';
  const university = createUniversity({
    seed,
    users: options.users ?? 12_000,
    now: options.now ?? new Date(),
  });
  const stats = createStats();
  const keyRing = createKeyRing();
  const faults = createFaultInjector(options.faults ?? 'none', seed, options.latencyMs ?? 0);
  const rateLimiter = createRateLimiter(options.rateLimit ?? {});
  const idempotency = createIdempotencyStore();
  let origin = '';

  const platform = createPlatformApi({
    university,
    cursors: createCursorCodec(),
    origin: () => origin,
    keyRing,
    rateLimiter,
    faults,
    idempotency,
    stats,
  });
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

  const identity =
    options.identity === false
      ? null
      : await startIdentityProvider({ host: '127.0.0.1', now: () => new Date(university.clock.nowMs()) });
  const mounts: Mount[] = [
    { prefix: PLATFORM_PREFIX, handler: platform },
    { prefix: ADMIN_PREFIX, handler: admin },
  ];
  if (identity) {
    const graphClock = options.graphClock;
    const now =
      graphClock === undefined ? () => new Date(university.clock.nowMs()) : () => new Date(graphClock());
    const graph = createGraphRoutes({
      university,
      identity,
      now,
      stats,
      latencyMs: options.latencyMs ?? 0,
      ...(options.graphLimits === undefined ? {} : { limits: options.graphLimits }),
    });
    const graphFaults = createFaultInjector(options.faults ?? 'none', seed, 0, 'graph');
    mounts.push({ prefix: graph.prefix, handler: withGraphFaults(graph.handler, graphFaults, stats, now) });
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
    graphClient: {
      clientId: identity?.clients.verifier.clientId ?? '',
      clientSecret: identity?.clients.verifier.clientSecret ?? '',
    },
    caCertPem: identity?.caCertPem ?? '',
    mintOperatorToken(user, lifetimeSeconds = 24 * 3600) {
      if (identity === null) throw new Error('The sandbox was started without its identity provider.');
      return identity.mintUserToken({ user, lifetimeSeconds });
    },
    university,
    stats,
    async close() {
      await Promise.all([http.close(), identity?.close()]);
    },
  };
}
