import type { Handler, SandboxRequest } from './types.ts';

/** A minimal method + path router with `:name` segments (decoded) and 405 detection. */
export interface Route {
  method: string;
  pattern: string;
  handler: Handler;
}

export type RouteMatch =
  | { kind: 'found'; handler: Handler; params: Record<string, string> }
  | { kind: 'method_not_allowed'; allow: string[] }
  | { kind: 'not_found' };

export function createRouter(routes: readonly Route[]): (method: string, path: string) => RouteMatch {
  const compiled = routes.map((r) => ({ ...r, segments: r.pattern.split('/').filter((s) => s !== '') }));
  return (method, path) => {
    const parts = path.split('/').filter((s) => s !== '');
    const allow: string[] = [];
    for (const route of compiled) {
      if (route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        const seg = route.segments[i] ?? '';
        const part = parts[i] ?? '';
        if (seg.startsWith(':')) {
          try {
            params[seg.slice(1)] = decodeURIComponent(part);
          } catch {
            ok = false;
          }
        } else ok = seg === part;
      }
      if (!ok) continue;
      if (route.method !== method) {
        allow.push(route.method);
        continue;
      }
      return { kind: 'found', handler: route.handler, params };
    }
    return allow.length > 0 ? { kind: 'method_not_allowed', allow } : { kind: 'not_found' };
  };
}

export function withParams(req: SandboxRequest, params: Record<string, string>): SandboxRequest {
  return { ...req, params };
}
