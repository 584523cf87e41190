import { graphError, type ErrorIds } from './errors.ts';
import type { GraphLimits } from './limits.ts';
import type { GraphRequest, GraphResponse } from './types.ts';

/**
 * JSON batching (concepts/json-batching.md): at most 20 requests; each inner request is executed
 * and throttled on its own, so a 429 comes back inside a 200 with its own Retry-After; `dependsOn`
 * orders requests and a failed dependency makes its dependents 424; against one mailbox at most 4
 * inner requests run at the same time.
 */

interface InnerRequest {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

interface InnerResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

function parseRequests(body: unknown, limits: GraphLimits): InnerRequest[] | string {
  const list = (body as { requests?: unknown } | undefined)?.requests;
  if (!Array.isArray(list) || list.length === 0)
    return 'Invalid batch payload format: requests must be a non-empty array.';
  if (list.length > limits.batchSize)
    return `The number of requests in the batch (${list.length}) exceeds the limit of ${limits.batchSize}.`;
  const out: InnerRequest[] = [];
  const seen = new Set<string>();
  for (const raw of list) {
    const r = raw as Record<string, unknown> | null;
    if (
      !r ||
      typeof r.id !== 'string' ||
      r.id === '' ||
      typeof r.method !== 'string' ||
      typeof r.url !== 'string'
    )
      return 'Each request needs a string id, method and url.';
    if (seen.has(r.id)) return `Duplicate request id '${r.id}' in the batch.`;
    seen.add(r.id);
    const headers: Record<string, string> = {};
    if (r.headers !== undefined) {
      if (typeof r.headers !== 'object' || r.headers === null)
        return `Request '${r.id}' has invalid headers.`;
      for (const [k, v] of Object.entries(r.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
    }
    const dependsOn = r.dependsOn === undefined ? [] : r.dependsOn;
    if (!Array.isArray(dependsOn) || !dependsOn.every((d) => typeof d === 'string'))
      return `Request '${r.id}' has an invalid dependsOn.`;
    out.push({
      id: r.id,
      method: r.method.toUpperCase(),
      url: r.url,
      headers,
      body: r.body,
      dependsOn: dependsOn as string[],
    });
  }
  const ids = new Set(out.map((r) => r.id));
  for (const r of out)
    for (const d of r.dependsOn)
      if (!ids.has(d)) return `Request '${r.id}' depends on unknown request '${d}'.`;
  // A cycle would never run: refuse it up front.
  const state = new Map<string, 'visiting' | 'done'>();
  const byId = new Map(out.map((r) => [r.id, r]));
  const cyclic = (id: string): boolean => {
    if (state.get(id) === 'done') return false;
    if (state.get(id) === 'visiting') return true;
    state.set(id, 'visiting');
    const found = (byId.get(id)?.dependsOn ?? []).some(cyclic);
    state.set(id, 'done');
    return found;
  };
  if (out.some((r) => cyclic(r.id))) return 'The dependsOn properties of the batch form a cycle.';
  return out;
}

function toGraphRequest(inner: InnerRequest): GraphRequest | string {
  let relative = inner.url.replace(/^https:\/\/graph\.microsoft\.com\/v1\.0/i, '');
  if (!relative.startsWith('/')) relative = `/${relative}`;
  let url: URL;
  try {
    url = new URL(relative, 'http://batch.invalid');
  } catch {
    return 'The request URL is not valid.';
  }
  if (url.pathname.toLowerCase() === '/$batch')
    return 'A batch request cannot contain another batch request.';
  return {
    method: inner.method,
    path: url.pathname,
    query: url.searchParams,
    headers: inner.headers,
    body: inner.body,
  };
}

/** Which mailbox an inner request touches, for the per-mailbox parallelism cap. */
function mailboxKey(path: string): string {
  const m = /^\/users\/([^/]+)/i.exec(path);
  if (m?.[1]) return `user:${decodeURIComponent(m[1]).toLowerCase()}`;
  return /^\/me(\/|$)/i.test(path) ? 'me' : '';
}

export async function runBatch(
  body: unknown,
  limits: GraphLimits,
  ids: ErrorIds,
  execute: (req: GraphRequest) => Promise<GraphResponse>,
): Promise<GraphResponse> {
  const parsed = parseRequests(body, limits);
  if (typeof parsed === 'string') return graphError(ids, 400, 'BadRequest', parsed);
  const responses: InnerResponse[] = [];
  const status = new Map<string, number>();
  const pending = [...parsed];
  const runningPerMailbox = new Map<string, number>();
  const running = new Set<Promise<void>>();

  const start = (inner: InnerRequest) => {
    const request = toGraphRequest(inner);
    if (typeof request === 'string') {
      const err = graphError(ids, 400, 'BadRequest', request);
      responses.push({ id: inner.id, status: err.status, headers: err.headers, body: err.body });
      status.set(inner.id, err.status);
      return;
    }
    const key = mailboxKey(request.path);
    runningPerMailbox.set(key, (runningPerMailbox.get(key) ?? 0) + 1);
    const task = execute(request)
      .then((res) => {
        const entry: InnerResponse = { id: inner.id, status: res.status, headers: res.headers };
        if (res.body !== undefined) entry.body = res.body;
        responses.push(entry);
        status.set(inner.id, res.status);
      })
      .finally(() => {
        runningPerMailbox.set(key, (runningPerMailbox.get(key) ?? 1) - 1);
        running.delete(task);
      });
    running.add(task);
  };

  while (pending.length > 0 || running.size > 0) {
    let progressed = false;
    for (let i = 0; i < pending.length;) {
      const inner = pending[i]!;
      const deps = inner.dependsOn.map((d) => status.get(d));
      if (deps.some((s) => s === undefined)) {
        i += 1;
        continue;
      }
      if (deps.some((s) => (s ?? 0) >= 400)) {
        pending.splice(i, 1);
        const err = graphError(
          ids,
          424,
          'FailedDependency',
          'The request was not executed because a request it depends on failed.',
        );
        responses.push({ id: inner.id, status: 424, headers: err.headers, body: err.body });
        status.set(inner.id, 424);
        progressed = true;
        continue;
      }
      const request = toGraphRequest(inner);
      const key = typeof request === 'string' ? '' : mailboxKey(request.path);
      if (key !== '' && (runningPerMailbox.get(key) ?? 0) >= limits.batchParallelPerMailbox) {
        i += 1;
        continue;
      }
      pending.splice(i, 1);
      start(inner);
      progressed = true;
    }
    if (!progressed && running.size > 0) await Promise.race(running);
    else if (!progressed) break;
  }
  return { status: 200, headers: { 'Content-Type': 'application/json' }, body: { responses } };
}
