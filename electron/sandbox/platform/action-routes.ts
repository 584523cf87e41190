import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { invalidParameter, problem, problemBody } from '../http/problem.ts';
import type { SideEffectKind } from '../http/stats.ts';
import { header, json, type SandboxRequest, type SandboxResponse } from '../http/types.ts';
import type { University } from '../university/index.ts';
import type { PlatformDeps } from './read-routes.ts';

/** What an action did, so the pipeline can count it (and count a replay of it). */
export interface ActionResult {
  response: SandboxResponse;
  effects: Array<{ kind: SideEffectKind; userId: string }>;
}

export interface ActionRoute {
  method: 'POST';
  pattern: string;
  handler: (req: SandboxRequest) => ActionResult;
}

const ForceDisconnectBody = z.object({ reason: z.string().trim().min(1).max(500) });
const ResyncBody = z.object({}).optional();
const Target = z.literal('calendar-sync-settings');
const Ttl = z.number().int().min(5).max(10080);
const MagicLinkBody = z.object({ userId: z.string().min(1).max(100), target: Target, ttlMinutes: Ttl });
const MagicLinkBatchBody = z.object({
  userIds: z.array(z.string().min(1).max(100)).min(1).max(500),
  target: Target,
  ttlMinutes: Ttl,
});

function noEffect(response: SandboxResponse): ActionResult {
  return { response, effects: [] };
}

function parseBody<T>(
  req: SandboxRequest,
  schema: z.ZodType<T>,
): { ok: true; value: T } | { ok: false; response: SandboxResponse } {
  const text = req.body.toString('utf8').trim();
  let raw: unknown = undefined;
  if (text !== '') {
    try {
      raw = JSON.parse(text);
    } catch {
      return { ok: false, response: problem(400, 'invalid_body', 'The request body is not valid JSON.') };
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : 'body';
    return { ok: false, response: invalidParameter(name, issue?.message ?? 'invalid value.') };
  }
  return { ok: true, value: parsed.data };
}

function notFound(userId: string): SandboxResponse {
  return problem(404, 'not_found', `No connection for user ${userId.slice(0, 80)}.`);
}

/** 412 when If-Match is present and names neither the current etag nor `*`. */
function ifMatchFails(req: SandboxRequest, etag: string): boolean {
  const want = header(req, 'if-match');
  if (want === undefined) return false;
  const candidates = want.split(',').map((s) => s.trim());
  return !candidates.includes('*') && !candidates.includes(etag);
}

/**
 * What every action on one connection checks first, in the contract's order: the user exists
 * (404), the body is valid (400), and If-Match, when given, still names the current etag (412).
 */
function openUserAction<T>(
  university: University,
  req: SandboxRequest,
  schema: z.ZodType<T>,
):
  | { ok: true; userId: string; index: number; body: T; current: ReturnType<University['connection']> }
  | { ok: false; result: ActionResult } {
  const userId = req.params.userId ?? '';
  const index = university.indexOf(userId);
  if (index < 0)
    return {
      ok: false,
      result: noEffect(notFound(userId)),
    };
  const body = parseBody(req, schema);
  if (!body.ok) return { ok: false, result: noEffect(body.response) };
  const current = university.connection(index);
  if (ifMatchFails(req, current.etag))
    return {
      ok: false,
      result: noEffect(
        problem(
          412,
          'precondition_failed',
          'The connection changed since you read it (If-Match does not match its etag).',
          {},
          { etag: current.etag },
        ),
      ),
    };
  return { ok: true, userId, index, body: body.value, current };
}

function magicLink(deps: PlatformDeps, userId: string, ttlMinutes: number) {
  const u: University = deps.university;
  return {
    url: `${deps.origin()}/magic/${randomBytes(24).toString('base64url')}?target=calendar-sync-settings`,
    expiresAt: u.zone.format(u.clock.nowMs() + ttlMinutes * 60_000),
    userId,
  };
}

export function actionRoutes(deps: PlatformDeps): ActionRoute[] {
  const u = deps.university;

  return [
    {
      method: 'POST',
      pattern: '/connections/:userId/force-disconnect',
      handler: (req) => {
        const action = openUserAction(u, req, ForceDisconnectBody);
        if (!action.ok) return action.result;
        const { userId, index, body } = action;
        const result = u.forceDisconnect(index, body.reason);
        return {
          response: json(
            200,
            { connection: result.connection, changed: result.changed },
            { etag: result.connection.etag },
          ),
          effects: result.changed ? [{ kind: 'force-disconnect', userId }] : [],
        };
      },
    },
    {
      method: 'POST',
      pattern: '/connections/:userId/resync',
      handler: (req) => {
        const action = openUserAction(u, req, ResyncBody);
        if (!action.ok) return action.result;
        const { userId, index, current } = action;
        const accepted = u.requestResync(index);
        if (!accepted)
          return noEffect(
            problem(
              409,
              'not_connected',
              `The connection is ${current.status}; only a running connection can be resynced.`,
            ),
          );
        return {
          response: json(202, {
            requestId: `rsq_${randomBytes(12).toString('base64url')}`,
            expectedBy: u.zone.format(accepted.expectedByMs),
          }),
          effects: [{ kind: 'resync', userId }],
        };
      },
    },
    {
      method: 'POST',
      pattern: '/magic-links',
      handler: (req) => {
        const body = parseBody(req, MagicLinkBody);
        if (!body.ok) return noEffect(body.response);
        if (u.indexOf(body.value.userId) < 0) return noEffect(notFound(body.value.userId));
        const link = magicLink(deps, body.value.userId, body.value.ttlMinutes);
        return {
          response: json(201, { url: link.url, expiresAt: link.expiresAt }),
          effects: [{ kind: 'magic-link', userId: body.value.userId }],
        };
      },
    },
    {
      method: 'POST',
      pattern: '/magic-links/batch',
      handler: (req) => {
        const body = parseBody(req, MagicLinkBatchBody);
        if (!body.ok) return noEffect(body.response);
        const effects: ActionResult['effects'] = [];
        const items = body.value.userIds.map((userId) => {
          if (u.indexOf(userId) < 0)
            return {
              userId,
              error: problemBody(404, 'not_found', `No connection for user ${userId.slice(0, 80)}.`),
            };
          effects.push({ kind: 'magic-link', userId });
          return magicLink(deps, userId, body.value.ttlMinutes);
        });
        return { response: json(200, { items }), effects };
      },
    },
  ];
}
