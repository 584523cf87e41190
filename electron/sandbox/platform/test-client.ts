import type { Sandbox } from '../index.ts';

/** Small helpers for the sandbox's own HTTP tests. */
export async function call(
  sb: Sandbox,
  path: string,
  init: { method?: string; key?: string | null; headers?: Record<string, string>; body?: unknown } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  const key = init.key === undefined ? sb.apiKey : init.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${sb.platformUrl}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body:
      text === ''
        ? null
        : (JSON.parse(text) as Record<string, unknown> & {
            items?: Array<Record<string, unknown>>;
            nextCursor?: string | null;
          }),
  };
}

export async function admin(sb: Sandbox, path: string, body?: unknown) {
  const res = await fetch(`${sb.adminUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as Record<string, unknown>;
}

/** Every item of a paged list, following nextCursor. */
export async function allPages(
  sb: Sandbox,
  path: string,
  limit = 1000,
): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  let cursor: string | null = null;
  const sep = path.includes('?') ? '&' : '?';
  do {
    const r = await call(
      sb,
      `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    if (r.status !== 200 || !r.body) throw new Error(`GET ${path} -> ${r.status} ${JSON.stringify(r.body)}`);
    out.push(...(r.body.items ?? []));
    cursor = r.body.nextCursor ?? null;
  } while (cursor);
  return out;
}
