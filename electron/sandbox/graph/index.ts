import { randomUUID } from 'node:crypto';
import type { SandboxStats } from '../http/stats.ts';
import type { Handler, SandboxRequest, SandboxResponse } from '../http/types.ts';
import type { AccessTokenCheck, DemoDirectory } from '../identity/index.ts';
import type { University } from '../university/index.ts';
import { authenticate, isPrincipal } from './auth.ts';
import { runBatch } from './batch.ts';
import { graphError } from './errors.ts';
import { handleGraphCall, type HandlerDeps } from './handlers.ts';
import { DEFAULT_GRAPH_LIMITS, OutlookThrottle, SendingLimits, type GraphLimits } from './limits.ts';
import { MailStore } from './mail.ts';
import { mailboxesFromUniversity, type GraphMailboxes } from './mailboxes.ts';
import { createSkipTokens } from './skiptoken.ts';
import type { CallContext, GraphRequest } from './types.ts';

export { DEFAULT_GRAPH_LIMITS, type GraphLimits } from './limits.ts';
export { mailboxesFromUniversity, type GraphMailboxes } from './mailboxes.ts';

export const GRAPH_PREFIX = '/graph/v1.0';

export interface GraphRoutesDeps {
  /** The demo university whose mailboxes Graph serves (or an adapter with the same answers). */
  university?: University;
  mailboxes?: GraphMailboxes;
  /** The identity provider: Graph trusts exactly the tokens it signs. */
  identity: { verifyAccessToken(token: string): AccessTokenCheck; directory?: DemoDirectory };
  now: () => Date;
  stats?: Pick<SandboxStats, 'recordRequest' | 'recordSideEffect'>;
  limits?: Partial<GraphLimits>;
  /** Simulated service time per Outlook call, during which the call holds a concurrency slot. */
  latencyMs?: number;
}

export interface GraphRoutes {
  prefix: string;
  handler: Handler;
}

function flatHeaders(headers: SandboxRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers))
    if (value !== undefined) out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

/** The Graph v1.0 subset, mounted by the sandbox server at `/graph/v1.0`. */
export function createGraphRoutes(deps: GraphRoutesDeps): GraphRoutes {
  const mailboxes =
    deps.mailboxes ?? (deps.university ? mailboxesFromUniversity(deps.university) : undefined);
  if (!mailboxes) throw new TypeError('createGraphRoutes needs a university or a mailboxes adapter');
  const limits: GraphLimits = { ...DEFAULT_GRAPH_LIMITS, ...deps.limits };
  const latencyMs = deps.latencyMs ?? 0;
  const nowMs = () => deps.now().getTime();
  const handlerDeps: HandlerDeps = {
    mailboxes,
    directory: deps.identity.directory,
    skipTokens: createSkipTokens(),
    throttle: new OutlookThrottle(limits, nowMs, Math.max(100, latencyMs * 2)),
    sending: new SendingLimits(limits, nowMs),
    mail: new MailStore(),
    limits,
    stats: deps.stats,
    now: deps.now,
    latencyMs,
  };

  const handler: Handler = async (req: SandboxRequest): Promise<SandboxResponse> => {
    const headers = flatHeaders(req.headers);
    const requestId = randomUUID();
    // Graph echoes the caller's client-request-id, or makes one up so every error can be traced.
    const clientRequestId = headers['client-request-id'] ?? randomUUID();
    const ids = { requestId, clientRequestId, now: deps.now() };
    const common: Record<string, string> = {
      'request-id': requestId,
      Date: deps.now().toUTCString(),
      'x-ms-ags-diagnostic': JSON.stringify({
        ServerInfo: {
          DataCenter: 'Sandbox',
          Slice: 'E',
          Ring: '0',
          ScaleUnit: '000',
          RoleInstance: 'localhost',
        },
      }),
    };
    common['client-request-id'] = clientRequestId;
    const finish = (res: {
      status: number;
      headers: Record<string, string>;
      body?: unknown;
    }): SandboxResponse => {
      deps.stats?.recordRequest(res.status);
      return {
        status: res.status,
        headers: { ...res.headers, ...common },
        ...(res.body !== undefined ? { body: res.body } : {}),
      };
    };

    const principal = authenticate(headers.authorization, deps.identity.verifyAccessToken, ids);
    if (!isPrincipal(principal)) return finish(principal);
    let body: unknown;
    if (req.body.length > 0) {
      try {
        body = JSON.parse(req.body.toString('utf8'));
      } catch {
        return finish(
          graphError(
            ids,
            400,
            'BadRequest',
            'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
          ),
        );
      }
    }
    const host = headers.host ?? '127.0.0.1';
    const ctx: CallContext = {
      principal,
      baseUrl: `http://${host}${GRAPH_PREFIX}`,
      requestId,
      clientRequestId,
    };
    if (req.path.toLowerCase() === '/$batch') {
      if (req.method !== 'POST')
        return finish(
          graphError(
            ids,
            405,
            'Request_BadRequest',
            'Specified HTTP method is not allowed for the request target.',
          ),
        );
      return finish(await runBatch(body, limits, ids, (inner) => handleGraphCall(handlerDeps, ctx, inner)));
    }
    const call: GraphRequest = { method: req.method, path: req.path, query: req.query, headers, body };
    return finish(await handleGraphCall(handlerDeps, ctx, call));
  };
  return { prefix: GRAPH_PREFIX, handler };
}
