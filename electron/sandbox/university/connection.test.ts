import { describe, expect, it } from 'vitest';
import { createUniversity } from './university.ts';
import type { Connection } from './connection.ts';

const NOW = new Date('2026-11-24T15:00:00Z');
const ALL = { statuses: null, roles: null, provider: null, q: null, updatedSinceMs: null };

function listJson(u: ReturnType<typeof createUniversity>): string[] {
  const out: string[] = [];
  let after = -1;
  for (;;) {
    const page = u.pageJson(ALL, after, 500, 100_000);
    out.push(...page.items);
    after = page.lastScanned;
    if (page.exhausted) return out;
  }
}

function withoutEtag(c: Connection): string {
  const { etag: _etag, ...body } = c;
  return JSON.stringify(body);
}

describe('connection JSON', () => {
  it('each listed text is exactly JSON.stringify of the connection, through overrides and time', () => {
    for (const seed of ['json-a', 'json-b']) {
      const u = createUniversity({ seed, users: 3000, now: NOW });
      const check = () => {
        const texts = listJson(u);
        expect(texts).toHaveLength(3000);
        texts.forEach((text, i) => expect(text).toBe(JSON.stringify(u.connection(i))));
      };
      check();
      for (let i = 0; i < 3000; i += 11) u.forceDisconnect(i, 'test');
      for (let i = 5; i < 3000; i += 13) u.requestResync(i);
      u.clock.advanceMinutes(45);
      check();
      u.clock.advanceMinutes(40 * 1440);
      check();
    }
  });

  it('covers every shape: unicode names, nicknames, errors, nulls', () => {
    const u = createUniversity({ seed: 'shapes', users: 3000, now: NOW });
    const people = Array.from({ length: 3000 }, (_, i) => u.connection(i));
    expect(people.some((p) => /[^ -~]/.test(p.lastName))).toBe(true);
    expect(people.some((p) => p.preferredName !== null)).toBe(true);
    expect(people.some((p) => p.lastError !== null)).toBe(true);
    expect(people.some((p) => p.connectedAt === null && p.lastSyncAt === null)).toBe(true);
    expect(people.some((p) => p.lastSyncOutcome === 'partial')).toBe(true);
  });
});

describe('etag', () => {
  it('changes exactly when the body changes', () => {
    const u = createUniversity({ seed: 'etags', users: 400, now: NOW });
    // Per user: body → etag and etag → body over many states must both be functions.
    const tagOf = new Map<string, string>();
    const bodyOf = new Map<string, string>();
    let bodies = 0;
    const observe = () => {
      for (let i = 0; i < 400; i++) {
        const c = u.connection(i);
        expect(c.etag).toMatch(/^"[0-9a-z]+"$/);
        const body = `${i}|${withoutEtag(c)}`;
        const tag = `${i}|${c.etag}`;
        const knownTag = tagOf.get(body);
        if (knownTag === undefined) {
          bodies++;
          tagOf.set(body, tag);
        } else expect(tag).toBe(knownTag);
        const knownBody = bodyOf.get(tag);
        if (knownBody === undefined) bodyOf.set(tag, body);
        else expect(body).toBe(knownBody);
      }
    };
    observe();
    observe();
    for (let step = 0; step < 60; step++) {
      u.clock.advanceMinutes(step % 3 === 0 ? 1 : step % 3 === 1 ? 17 : 2 * 1440);
      if (step % 4 === 0) for (let i = step; i < 400; i += 37) u.forceDisconnect(i, 'test');
      if (step % 5 === 0) for (let i = step; i < 400; i += 29) u.requestResync(i);
      observe();
    }
    expect(bodies).toBeGreaterThan(4000);
    // Back to the start: the same bodies as at first, so the same etags.
    u.reset();
    observe();
  });

  it('a force-disconnect changes the etag; reading again does not', () => {
    const u = createUniversity({ seed: 'etag-fd', users: 200, now: NOW });
    const i = Array.from({ length: 200 }, (_, k) => k).find((k) => u.connection(k).status === 'legacy')!;
    const before = u.connection(i);
    expect(u.connection(i).etag).toBe(before.etag);
    const { changed, connection } = u.forceDisconnect(i, 'test');
    expect(changed).toBe(true);
    expect(connection.etag).not.toBe(before.etag);
    expect(u.connection(i).etag).toBe(connection.etag);
    expect(JSON.parse(listJson(u)[i]!).etag).toBe(connection.etag);
  });
});
