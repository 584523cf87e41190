import { invalidParameter } from '../http/problem.ts';
import type { SandboxResponse } from '../http/types.ts';

/** Query parameter parsing: unknown parameters are ignored, bad values give 400 invalid_parameter. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; response: SandboxResponse };

export function parseLimit(query: URLSearchParams, fallback: number, max = 1000): Parsed<number> {
  const raw = query.get('limit');
  if (raw === null) return { ok: true, value: fallback };
  if (!/^\d{1,7}$/.test(raw))
    return { ok: false, response: invalidParameter('limit', `must be an integer from 1 to ${max}.`) };
  const n = Number(raw);
  if (n < 1 || n > max)
    return { ok: false, response: invalidParameter('limit', `must be an integer from 1 to ${max}.`) };
  return { ok: true, value: n };
}

export function parseList<T extends string>(
  query: URLSearchParams,
  name: string,
  allowed: readonly T[],
): Parsed<Set<T> | null> {
  const raw = query.get(name);
  if (raw === null || raw === '') return { ok: true, value: null };
  const out = new Set<T>();
  for (const part of raw.split(',')) {
    const v = part.trim();
    if (!(allowed as readonly string[]).includes(v))
      return {
        ok: false,
        response: invalidParameter(
          name,
          `unknown value "${v.slice(0, 40)}"; expected a comma list of ${allowed.join(', ')}.`,
        ),
      };
    out.add(v as T);
  }
  return { ok: true, value: out };
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseTimestamp(query: URLSearchParams, name: string): Parsed<number | null> {
  const raw = query.get(name);
  if (raw === null || raw === '') return { ok: true, value: null };
  const ms = ISO_WITH_OFFSET.test(raw) ? Date.parse(raw) : Number.NaN;
  if (!Number.isFinite(ms))
    return {
      ok: false,
      response: invalidParameter(
        name,
        'must be an ISO 8601 timestamp with offset, e.g. 2026-12-01T08:00:00-05:00.',
      ),
    };
  return { ok: true, value: ms };
}
