import type { University } from '../university/index.ts';
import { invalidParameter, problem } from './problem.ts';
import { createRouter } from './router.ts';
import { SIDE_EFFECT_KINDS, type SandboxStats, type SideEffectKind } from './stats.ts';
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

function readJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8') || '{}') as unknown };
  } catch {
    return { ok: false };
  }
}

export function createAdminApi(deps: AdminDeps): Handler {
  const u = deps.university;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const reauthorize = (userIds: readonly string[]) =>
    userIds.map((userId) => {
      const index = u.indexOf(userId);
      if (index < 0) return { userId, changed: false, status: null };
      const result = u.reauthorize(index);
      return { userId, changed: result.changed, status: result.connection.status };
    });
  const route = createRouter([
    { method: 'GET', pattern: '/stats', handler: () => json(200, deps.stats.snapshot()) },
    {
      // Executed side effects per user, to prove "exactly one" per user and "none" outside a selection.
      method: 'GET',
      pattern: '/side-effects/:kind',
      handler: (req) => {
        const kind = req.params.kind ?? '';
        if (!(SIDE_EFFECT_KINDS as readonly string[]).includes(kind))
          return invalidParameter('kind', `must be one of ${SIDE_EFFECT_KINDS.join(', ')}.`);
        return json(200, { kind, perUser: deps.stats.perUser(kind as SideEffectKind) });
      },
    },
    {
      // Users re-authorize to Graph now, or after `afterMs` of real time (users acting while a job runs).
      method: 'POST',
      pattern: '/reauthorize',
      handler: (req) => {
        const body = readJson(req.body);
        if (!body.ok) return problem(400, 'invalid_body', 'The request body is not valid JSON.');
        const { userIds, afterMs } = body.value as { userIds?: unknown; afterMs?: unknown };
        if (
          !Array.isArray(userIds) ||
          userIds.length > 100_000 ||
          !userIds.every((id) => typeof id === 'string')
        )
          return invalidParameter('userIds', 'must be an array of user ids (at most 100,000).');
        if (
          afterMs !== undefined &&
          (typeof afterMs !== 'number' || !Number.isInteger(afterMs) || afterMs < 0 || afterMs > 3_600_000)
        )
          return invalidParameter('afterMs', 'must be an integer number of milliseconds from 0 to 3600000.');
        if (afterMs === undefined || afterMs === 0)
          return json(200, { items: reauthorize(userIds as string[]) });
        const timer = setTimeout(() => {
          timers.delete(timer);
          reauthorize(userIds as string[]);
        }, afterMs);
        timer.unref?.();
        timers.add(timer);
        return json(202, { scheduled: userIds.length, afterMs });
      },
    },
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
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        deps.resetAll();
        return json(200, { now: u.zone.format(u.clock.nowMs()) });
      },
    },
  ]);
  return (req) => {
    const match = route(req.method, req.path);
    if (match.kind === 'found') return match.handler({ ...req, params: match.params });
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
