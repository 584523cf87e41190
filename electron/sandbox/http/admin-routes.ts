import type { University } from '../university/index.ts';
import { invalidParameter, problem } from './problem.ts';
import { createRouter } from './router.ts';
import type { SandboxStats } from './stats.ts';
import { json, type Handler } from './types.ts';

/**
 * /__sandbox/*: test and demo controls. Never rate limited or faulted, not part of the platform
 * contract, and not used by the console's normal clients.
 */
export interface AdminDeps {
  university: University;
  stats: SandboxStats;
  /** Clears every other piece of per-run state (idempotency, rate limits, fault sequence). */
  resetAll(): void;
}

export function createAdminApi(deps: AdminDeps): Handler {
  const u = deps.university;
  const route = createRouter([
    { method: 'GET', pattern: '/stats', handler: () => json(200, deps.stats.snapshot()) },
    { method: 'GET', pattern: '/anomalies', handler: () => json(200, { items: u.anomalies() }) },
    {
      method: 'GET',
      pattern: '/truth',
      handler: () =>
        json(200, {
          asOf: u.zone.format(u.clock.nowMs()),
          cutoffAt: u.zone.format(u.cutoffMs),
          announcements: u.announcements,
          ...u.truth(),
        }),
    },
    {
      method: 'POST',
      pattern: '/clock',
      handler: (req) => {
        let body: unknown;
        try {
          body = JSON.parse(req.body.toString('utf8') || '{}');
        } catch {
          return problem(400, 'invalid_body', 'The request body is not valid JSON.');
        }
        const minutes = (body as { advanceMinutes?: unknown }).advanceMinutes;
        if (
          typeof minutes !== 'number' ||
          !Number.isInteger(minutes) ||
          minutes < 0 ||
          minutes > 366 * 1440
        ) {
          return invalidParameter('advanceMinutes', 'must be an integer number of minutes from 0 to 527040.');
        }
        u.clock.advanceMinutes(minutes);
        return json(200, { now: u.zone.format(u.clock.nowMs()), cutoffAt: u.zone.format(u.cutoffMs) });
      },
    },
    {
      method: 'POST',
      pattern: '/reset',
      handler: () => {
        deps.resetAll();
        return json(200, { now: u.zone.format(u.clock.nowMs()) });
      },
    },
  ]);
  return (req) => {
    const match = route(req.method, req.path);
    if (match.kind === 'found') return match.handler(req);
    if (match.kind === 'method_not_allowed')
      return problem(
        405,
        'method_not_allowed',
        `Use ${match.allow.join(', ')}.`,
        {},
        { allow: match.allow.join(', ') },
      );
    return problem(404, 'not_found', `No sandbox control at ${req.path.slice(0, 200)}.`);
  };
}
