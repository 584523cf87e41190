import type { FaultInjector } from '../http/faults.ts';
import { problem } from '../http/problem.ts';
import type { RateLimiter } from '../http/rate-limiter.ts';
import { createRouter, withParams, type Route } from '../http/router.ts';
import type { SandboxStats } from '../http/stats.ts';
import { header, type Handler, type SandboxRequest, type SandboxResponse } from '../http/types.ts';
import { actionRoutes, type ActionResult } from './action-routes.ts';
import { bearerOf, type KeyRing, type Scope } from './api-keys.ts';
import { fingerprintOf, type IdempotencyStore } from './idempotency.ts';
import { readRoutes, type PlatformDeps } from './read-routes.ts';

export const PLATFORM_PREFIX = '/api/calendar-sync/v1';

export interface PlatformApiDeps extends PlatformDeps {
  keyRing: KeyRing;
  rateLimiter: RateLimiter;
  faults: FaultInjector;
  idempotency: IdempotencyStore;
  stats: SandboxStats;
}

function scopeFor(method: string, path: string): Scope {
  if (method === 'GET') return 'calendar-sync:read';
  return path.startsWith('/magic-links') ? 'magic-links:write' : 'calendar-sync:write';
}

/**
 * The platform API pipeline, in the order a real gateway runs it: rate limit (per key, every
 * response carries RateLimit-* headers), authentication (401), routing (404/405), scope (403),
 * injected transient faults, Idempotency-Key handling for POSTs, the handler, then latency.
 */
export function createPlatformApi(deps: PlatformApiDeps): Handler {
  const reads: Route[] = readRoutes(deps);
  const actions = actionRoutes(deps);
  const actionByHandler = new Map<unknown, (req: SandboxRequest) => ActionResult>();
  const routes: Route[] = [
    ...reads,
    ...actions.map((a) => {
      const stub: Route = { method: a.method, pattern: a.pattern, handler: (req) => a.handler(req).response };
      actionByHandler.set(stub.handler, a.handler);
      return stub;
    }),
  ];
  const route = createRouter(routes);
  const u = deps.university;

  function serve(req: SandboxRequest, rateHeaders: Record<string, string>): SandboxResponse {
    const presented = bearerOf(header(req, 'authorization'));
    const scopes = presented === null ? null : deps.keyRing.scopesOf(presented);
    if (scopes === null || presented === null) {
      return problem(
        401,
        'unauthorized',
        presented === null
          ? 'Send an API key as "Authorization: Bearer <key>".'
          : 'The API key is not valid.',
        {},
        { 'www-authenticate': 'Bearer realm="calendar-sync"' },
      );
    }
    const match = route(req.method, req.path);
    if (match.kind === 'not_found')
      return problem(404, 'not_found', `No resource at ${req.path.slice(0, 200)}.`);
    if (match.kind === 'method_not_allowed')
      return problem(
        405,
        'method_not_allowed',
        `Use ${match.allow.join(', ')}.`,
        {},
        { allow: match.allow.join(', ') },
      );
    const needed = scopeFor(req.method, req.path);
    if (!scopes.has(needed))
      return problem(403, 'forbidden', `The API key lacks the ${needed} scope.`, { requiredScope: needed });

    const routed = withParams(req, match.params);
    const fault = deps.faults.next();
    if (fault?.kind === 'reset' && fault.when === 'before') return { status: 0, abort: true };
    if (fault?.kind === 'status') {
      return problem(
        fault.status,
        fault.status === 503 ? 'unavailable' : 'server_error',
        'A transient failure; retry later.',
        {},
        fault.retryAfter === null ? {} : { 'retry-after': fault.retryAfter },
      );
    }
    if (fault?.kind === 'throttle')
      return problem(
        429,
        'rate_limited',
        'Too many requests; retry after the given delay.',
        {},
        { 'retry-after': fault.retryAfter, ...rateHeaders, 'ratelimit-remaining': '0' },
      );

    let out: SandboxResponse;
    const action = actionByHandler.get(match.handler);
    if (action) out = runAction(routed, presented, action);
    else out = match.handler(routed) as SandboxResponse;
    if (fault?.kind === 'reset' && fault.when === 'after') return { status: 0, abort: true };
    if (fault?.kind === 'slow') out = { ...out, delayMs: (out.delayMs ?? 0) + fault.delayMs };
    return out;
  }

  function runAction(
    req: SandboxRequest,
    apiKey: string,
    action: (req: SandboxRequest) => ActionResult,
  ): SandboxResponse {
    const key = header(req, 'idempotency-key');
    if (key === undefined) {
      const result = action(req);
      for (const e of result.effects) deps.stats.recordSideEffect(e.kind, e.userId, 'executed');
      return result.response;
    }
    if (key.length < 1 || key.length > 255)
      return problem(400, 'invalid_parameter', 'Idempotency-Key: must be 1 to 255 characters.', {
        parameter: 'Idempotency-Key',
      });
    const fingerprint = fingerprintOf(req.method, req.path, req.body);
    const nowMs = u.clock.nowMs();
    const seen = deps.idempotency.lookup(apiKey, key, fingerprint, nowMs);
    if (seen.kind === 'conflict')
      return problem(
        422,
        'idempotency_key_reused',
        'This Idempotency-Key was already used with a different request.',
      );
    if (seen.kind === 'replay') {
      const stored = seen.response as SandboxResponse & { effects?: ActionResult['effects'] };
      for (const e of stored.effects ?? []) deps.stats.recordSideEffect(e.kind, e.userId, 'replayed');
      return {
        status: stored.status,
        body: stored.body,
        headers: { ...stored.headers, 'idempotent-replayed': 'true' },
      };
    }
    const result = action(req);
    for (const e of result.effects) deps.stats.recordSideEffect(e.kind, e.userId, 'executed');
    // Only completed work is remembered; a refused request may be retried with the same key.
    if (result.response.status >= 200 && result.response.status < 300) {
      deps.idempotency.save(
        apiKey,
        key,
        fingerprint,
        { ...result.response, effects: result.effects } as SandboxResponse,
        nowMs,
      );
    }
    return result.response;
  }

  return (req) => {
    const presented = bearerOf(header(req, 'authorization'));
    const bucket =
      presented !== null && deps.keyRing.scopesOf(presented) !== null
        ? `key:${presented}`
        : `anon:${req.remoteAddress}`;
    const rate = deps.rateLimiter.take(bucket);
    let out: SandboxResponse;
    if (!rate.allowed) {
      out = problem(
        429,
        'rate_limited',
        `Rate limit exceeded; retry after ${rate.retryAfterSeconds} s.`,
        {},
        { 'retry-after': String(rate.retryAfterSeconds) },
      );
    } else {
      out = serve(req, rate.headers);
    }
    deps.stats.recordRequest(out.abort ? 'reset' : out.status);
    if (out.abort) return out;
    const latency = deps.faults.latencyMs;
    return {
      ...out,
      headers: {
        ...out.headers,
        ...rate.headers,
        ...(out.status === 429 ? { 'ratelimit-remaining': '0' } : {}),
      },
      delayMs: (out.delayMs ?? 0) + latency,
    };
  };
}
