import { createHash } from 'node:crypto';
import type { SandboxResponse } from '../http/types.ts';

/**
 * Idempotency-Key store (IETF draft): per API key, the first successful response to a key is
 * kept for 24 h of sandbox time together with a fingerprint of the request (method, path,
 * canonical JSON body). Bounded: the oldest entries go first past `maxEntries`.
 */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export type IdempotencyLookup =
  { kind: 'miss' } | { kind: 'replay'; response: SandboxResponse } | { kind: 'conflict' };

export interface IdempotencyStore {
  lookup(apiKey: string, key: string, fingerprint: string, nowMs: number): IdempotencyLookup;
  save(apiKey: string, key: string, fingerprint: string, response: SandboxResponse, nowMs: number): void;
  reset(): void;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function fingerprintOf(method: string, path: string, body: Buffer): string {
  let text = body.toString('utf8');
  try {
    if (text.trim() !== '') text = JSON.stringify(canonical(JSON.parse(text)));
  } catch {
    // Not JSON: the raw bytes are the fingerprint.
  }
  return createHash('sha256').update(`${method}\n${path}\n${text}`).digest('base64url');
}

export function createIdempotencyStore(maxEntries = 100_000): IdempotencyStore {
  let entries = new Map<string, { fingerprint: string; response: SandboxResponse; at: number }>();
  return {
    lookup(apiKey, key, fingerprint, nowMs) {
      const id = `${apiKey}\n${key}`;
      const e = entries.get(id);
      if (!e) return { kind: 'miss' };
      if (nowMs - e.at > IDEMPOTENCY_TTL_MS) {
        entries.delete(id);
        return { kind: 'miss' };
      }
      return e.fingerprint === fingerprint ? { kind: 'replay', response: e.response } : { kind: 'conflict' };
    },
    save(apiKey, key, fingerprint, response, nowMs) {
      entries.set(`${apiKey}\n${key}`, { fingerprint, response, at: nowMs });
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
    reset() {
      entries = new Map();
    },
  };
}
