import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { external } from '../../../../tests/support/paths.ts';
import {
  ErrorFacetValue,
  ProviderFacetValue,
  RosterQuery,
  RosterQueryResult,
  RosterSortField,
  SyncAgeBucket,
  verdictFacetBits,
  VerdictFacetValue,
  type RosterFilter,
  type RosterRow,
} from '../../../../shared/contract/roster-query.ts';
import {
  CalendarApi,
  ConnectionErrorCode,
  ConnectionStatus,
  Provider,
  Role,
  SyncOutcome,
} from '../../../../shared/domain/platform.ts';
import { referenceRosterQuery } from './reference-roster-query.ts';
import { RosterQueryEngine } from './roster-query-engine.ts';
import { syntheticRoster } from './synthetic-roster.ts';

const trickyNames = JSON.parse(readFileSync(external('names', 'unicode_names.json'), 'utf8')) as string[];
const NOW = Date.parse('2026-11-01T12:00:00Z');
const DAY = 86_400_000;

/** Instants clustered around bucket edges and repeated, so ties and boundaries really occur. */
const instant = fc.oneof(
  fc.constantFrom(0, 1, 7, 30).map((days) => NOW - days * DAY),
  fc.integer({ min: -3 * DAY, max: 60 * DAY }).map((ago) => NOW - ago),
  fc.integer({ min: -40 * 365 * DAY, max: 40 * 365 * DAY }).map((offset) => NOW + offset),
);
const iso = instant.map((ms) => new Date(ms).toISOString());
const name = fc.oneof(
  fc.constantFrom(
    ...trickyNames,
    'Ann',
    'ann',
    'Anne',
    'Ånn',
    'Zoë',
    'Zoe',
    'zoe',
    'ß',
    'SS',
    'Ø',
    'item 10',
    'item 9',
    '',
  ),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);

const rowArbitrary = (userId: string): fc.Arbitrary<RosterRow> =>
  fc.record({
    userId: fc.constant(userId),
    firstName: name,
    lastName: name,
    preferredName: fc.option(name),
    email: name.map((local) => `${local}@example.edu`),
    role: fc.constantFrom(...Role.options),
    provider: fc.option(fc.constantFrom(...Provider.options)),
    api: fc.option(fc.constantFrom(...CalendarApi.options)),
    status: fc.constantFrom(...ConnectionStatus.options),
    statusChangedAt: iso,
    connectedAt: fc.option(iso),
    lastSyncAt: fc.option(iso),
    lastSyncOutcome: fc.option(fc.constantFrom(...SyncOutcome.options)),
    lastError: fc.option(
      fc.record({
        code: fc.constantFrom(...ConnectionErrorCode.options),
        message: fc.constant('m'),
        at: iso,
      }),
    ),
    syncedItemCount: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.nat()),
    calendarMailbox: fc.option(name.map((local) => `${local}@mail.example.edu`)),
    updatedAt: iso,
    etag: fc.constant('"e"'),
  });

const rosterArbitrary = fc
  .uniqueArray(fc.oneof(fc.stringMatching(/^u_[0-9a-z]{1,4}$/), fc.string({ minLength: 1, maxLength: 6 })), {
    maxLength: 60,
  })
  .chain((ids) => fc.tuple(...ids.map(rowArbitrary)));

const subset = <T>(values: readonly T[]) =>
  fc.option(fc.subarray([...values], { minLength: 1 }), { nil: undefined });
const filterArbitrary: fc.Arbitrary<RosterFilter> = fc.record(
  {
    status: subset(ConnectionStatus.options),
    role: subset(Role.options),
    provider: subset(ProviderFacetValue.options),
    error: subset(ErrorFacetValue.options),
    syncAge: subset(SyncAgeBucket.options),
    q: fc.oneof(
      fc.constantFrom(
        'ann',
        'ZOE',
        'u_',
        'strauss',
        'dvorak',
        'soren',
        '子',
        'Γιώργος',
        'ann zoe',
        '@example',
        '  ',
      ),
      fc.string({ maxLength: 3 }),
    ),
    updatedSince: iso,
    statusChangedSince: iso,
    connectedBefore: iso,
    lastSyncBefore: fc.oneof(iso, fc.constantFrom('connectedAt' as const, 'statusChangedAt' as const)),
  },
  { requiredKeys: [] },
);
const queryArbitrary = fc.record({
  filter: filterArbitrary,
  sort: fc.record({
    field: fc.constantFrom(...RosterSortField.options),
    direction: fc.constantFrom('asc' as const, 'desc' as const),
  }),
  offset: fc.nat({ max: 40 }),
  limit: fc.integer({ min: 1, max: 60 }),
  now: fc.constant(new Date(NOW).toISOString()),
});

describe('RosterQueryEngine', () => {
  it('answers the same after reserving room up front, and keeps offset timestamps verbatim', () => {
    const rows = syntheticRoster(300, { seed: 5 }).map((row, i) =>
      i % 3 === 0 ? { ...row, updatedAt: '2026-11-01T07:00:00-05:00' } : row,
    );
    const plain = RosterQueryEngine.from(rows);
    const reserved = RosterQueryEngine.from([]);
    reserved.reserve(100_000);
    reserved.upsert(rows);
    const query = {
      filter: {},
      sort: { field: 'updatedAt', direction: 'desc' },
      offset: 0,
      limit: 300,
      now: '2026-11-02T00:00:00Z',
    } as const;
    expect(reserved.query(query)).toEqual(plain.query(query));
    expect(reserved.get(rows[0]!.userId)?.updatedAt).toBe('2026-11-01T07:00:00-05:00');
  });

  it('answers exactly what a naive filter + sort gives, for random rosters and queries', () => {
    fc.assert(
      fc.property(
        rosterArbitrary,
        fc.array(queryArbitrary, { minLength: 1, maxLength: 5 }),
        (rows, queries) => {
          const engine = RosterQueryEngine.from(rows);
          for (const query of queries) {
            expect(engine.query(query)).toEqual(referenceRosterQuery(rows, query));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stays equal to the naive answer across incremental upserts (new rows, changed names and statuses)', () => {
    fc.assert(
      fc.property(rosterArbitrary, rosterArbitrary, queryArbitrary, (first, second, query) => {
        const engine = RosterQueryEngine.from(first);
        engine.query({ ...query, sort: { field: 'lastName', direction: 'asc' } }); // forces ranks before the upsert
        engine.query({ ...query, sort: { field: 'email', direction: 'asc' } });
        engine.upsert(second);
        const merged = new Map(first.map((row) => [row.userId, row]));
        for (const row of second) merged.set(row.userId, row);
        const rows = [...merged.values()];
        expect(engine.query(query)).toEqual(referenceRosterQuery(rows, query));
        const byName = { ...query, sort: { field: 'lastName' as const, direction: query.sort.direction } };
        expect(engine.query(byName)).toEqual(referenceRosterQuery(rows, byName));
      }),
      { numRuns: 200 },
    );
  });

  it('filters and counts the verdict facet (several values per user, `never` for the unverified) as the naive query does', () => {
    // Bits 0..6: any mix of ok, the anomaly classes and unverified (a result never carries `never`).
    const labelled = rosterArbitrary.chain((rows) =>
      fc.tuple(
        fc.constant(rows),
        fc.array(
          fc.tuple(fc.constantFrom(...rows.map((r) => r.userId), 'u_gone'), fc.integer({ min: 1, max: 127 })),
          {
            maxLength: rows.length + 1,
          },
        ),
      ),
    );
    const withVerdict = queryArbitrary.chain((query) =>
      subset(VerdictFacetValue.options).map((verdict) => ({
        ...query,
        filter: verdict === undefined ? query.filter : { ...query.filter, verdict },
      })),
    );
    fc.assert(
      fc.property(
        labelled,
        fc.array(withVerdict, { minLength: 1, maxLength: 4 }),
        ([rows, pairs], queries) => {
          const engine = RosterQueryEngine.from(rows);
          const verdicts = new Map(pairs);
          for (const query of queries) {
            const answer = engine.query(query, { verdicts });
            expect(answer).toEqual(referenceRosterQuery(rows, query, { verdicts }));
            expect(RosterQueryResult.parse(answer).facets.verdict).toBeDefined();
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a verdict filter it cannot resolve, and follows a new results map', () => {
    const rows = syntheticRoster(50, { seed: 3 });
    const engine = RosterQueryEngine.from(rows);
    const query = {
      filter: { verdict: ['missing' as const] },
      sort: { field: 'userId' as const, direction: 'asc' as const },
      offset: 0,
      limit: 50,
      now: '2026-11-01T12:00:00Z',
    };
    expect(() => engine.query(query)).toThrow(/verdict filter needs the latest verifications/);
    const first = new Map([[rows[3]!.userId, verdictFacetBits('anomalies', { missing: 2, ok: 5 })]]);
    expect(engine.query(query, { verdicts: first }).rows.map((r) => r.userId)).toEqual([rows[3]!.userId]);
    const second = new Map([[rows[7]!.userId, verdictFacetBits('anomalies', { missing: 1 })]]);
    const answer = engine.query(query, { verdicts: second });
    expect(answer.rows.map((r) => r.userId)).toEqual([rows[7]!.userId]);
    // Its own filter does not narrow its counts (the usual faceted rule).
    expect(answer.facets.verdict).toMatchObject({ missing: 1, never: 49 });
    const students = engine.query(
      { ...query, filter: { verdict: ['never'], role: ['student'] } },
      { verdicts: second },
    );
    expect(students.total).toBe(
      rows.filter((r) => r.role === 'student' && r.userId !== rows[7]!.userId).length,
    );
  });

  it('gives a verification its verdict facet values', () => {
    const bit = (v: VerdictFacetValue) => 1 << VerdictFacetValue.options.indexOf(v);
    expect(verdictFacetBits('ok', { ok: 3 })).toBe(bit('ok'));
    expect(verdictFacetBits('no_items', {})).toBe(bit('ok'));
    expect(verdictFacetBits('anomalies', { ok: 1, missing: 1, duplicate: 2, unverified: 1 })).toBe(
      bit('missing') | bit('duplicate') | bit('unverified'),
    );
    for (const verdict of ['incomplete', 'no_mailbox', 'platform_only', 'failed', 'something new'])
      expect(verdictFacetBits(verdict, {})).toBe(bit('unverified'));
  });

  it('returns results the contract accepts', () => {
    const rows = syntheticRoster(2000, { seed: 11 });
    const engine = RosterQueryEngine.from(rows);
    const query = RosterQuery.parse({
      filter: { status: ['legacy'], q: 'ana' },
      sort: { field: 'lastName', direction: 'asc' },
      offset: 0,
      limit: 50,
      now: '2026-11-01T12:00:00Z',
    });
    const result = engine.query(query);
    expect(RosterQueryResult.parse(result)).toEqual(result);
    expect(result.total).toBeGreaterThan(0);
    expect(result.rows.every((row) => row.status === 'legacy')).toBe(true);
  });

  it('counts each facet with the other facets applied but not its own', () => {
    const base = syntheticRoster(1, { seed: 1 })[0]!;
    const rows: RosterRow[] = [
      { ...base, userId: 'a', role: 'student', status: 'legacy' },
      { ...base, userId: 'b', role: 'student', status: 'migrated' },
      { ...base, userId: 'c', role: 'alumni', status: 'legacy' },
      { ...base, userId: 'd', role: 'alumni', status: 'error' },
    ];
    const result = RosterQueryEngine.from(rows).query({
      filter: { role: ['student'], status: ['legacy'] },
      sort: { field: 'userId', direction: 'asc' },
      offset: 0,
      limit: 10,
      now: '2026-11-01T12:00:00Z',
    });
    expect(result.total).toBe(1);
    expect(result.facets.role).toEqual({ student: 1, alumni: 1, career_center: 0 });
    expect(result.facets.status).toMatchObject({ legacy: 1, migrated: 1, error: 0 });
  });

  it('finds names regardless of case, accents and script', () => {
    const base = syntheticRoster(1, { seed: 1 })[0]!;
    const rows = trickyNames.map((full, i) => {
      const [firstName = '', ...rest] = full.split(' ');
      return { ...base, userId: `u_${i}`, firstName, lastName: rest.join(' '), email: `p${i}@example.edu` };
    });
    const engine = RosterQueryEngine.from(rows);
    const find = (q: string) =>
      engine
        .query({
          filter: { q },
          sort: { field: 'userId', direction: 'asc' },
          offset: 0,
          limit: 100,
          now: '2026-11-01T12:00:00Z',
        })
        .rows.map((r) => `${r.firstName} ${r.lastName}`);
    expect(find('bjork gudmundsdottir')).toEqual(['Björk Guðmundsdóttir']);
    expect(find('STRAUSS')).toEqual(['Johann Strauß']);
    expect(find('soren fausboll')).toEqual(['Søren Hauch-Fausbøll']);
    expect(find("o'connor")).toEqual(['Sinéad O’Connor']);
    expect(find('γιωργος')).toEqual(['Γιώργος Νταλάρας']);
    expect(find('горбачев')).toEqual(['Михаил Горбачёв']);
    expect(find('子怡')).toEqual(['章子怡 ']);
    expect(find('u_1')).toHaveLength(11);
  });

  it('sorts names with the locale, nulls last in both directions', () => {
    const base = syntheticRoster(1, { seed: 1 })[0]!;
    const names = ['Zimmer', 'Ångström', 'Ábel', null, 'abel', 'Öz'];
    const rows = names.map((preferredName, i) => ({ ...base, userId: `u_${i}`, preferredName }));
    const sorted = (locale: string, direction: 'asc' | 'desc') =>
      RosterQueryEngine.from(rows, { locale })
        .query({
          filter: {},
          sort: { field: 'preferredName', direction },
          offset: 0,
          limit: 10,
          now: '2026-11-01T12:00:00Z',
        })
        .rows.map((r) => r.preferredName);
    expect(sorted('en', 'asc')).toEqual(['abel', 'Ábel', 'Ångström', 'Öz', 'Zimmer', null]);
    expect(sorted('sv', 'asc')).toEqual(['abel', 'Ábel', 'Zimmer', 'Ångström', 'Öz', null]);
    expect(sorted('en', 'desc')).toEqual(['Zimmer', 'Öz', 'Ångström', 'Ábel', 'abel', null]);
  });

  it('gives rows back exactly as written, whatever the timestamp spelling', () => {
    const base = syntheticRoster(1, { seed: 1 })[0]!;
    const rows: RosterRow[] = [
      { ...base, userId: 'a', updatedAt: '2026-01-01T00:00:00Z', connectedAt: '2026-01-01T00:00:00.000Z' },
      { ...base, userId: 'b', updatedAt: '2026-01-01T02:00:00.5+02:00', lastSyncAt: null },
      {
        ...base,
        userId: 'c',
        updatedAt: '2026-01-01T00:00:00.123456Z',
        lastError: { code: 'throttled', message: 'slow down', at: '2026-01-01T00:00:01Z' },
      },
    ];
    const engine = RosterQueryEngine.from(rows);
    for (const row of rows) expect(engine.get(row.userId)).toEqual(row);
    engine.upsert([{ ...rows[2]!, lastError: null, updatedAt: '2026-01-02T00:00:00Z' }]);
    expect(engine.get('c')).toEqual({ ...rows[2]!, lastError: null, updatedAt: '2026-01-02T00:00:00Z' });
  });

  it('gives offset timestamps back exactly, whatever the instant and offset, and odd spellings verbatim', () => {
    const base = syntheticRoster(1, { seed: 1 })[0]!;
    const two = (n: number) => String(n).padStart(2, '0');
    // An independent spelling of `YYYY-MM-DDTHH:MM:SS±HH:MM` for an instant and an offset.
    const spell = (ms: number, offset: number) => {
      const local = new Date(ms + offset * 60_000);
      const sign = offset < 0 ? '-' : '+';
      const abs = Math.abs(offset);
      return (
        `${String(local.getUTCFullYear()).padStart(4, '0')}-${two(local.getUTCMonth() + 1)}-${two(local.getUTCDate())}` +
        `T${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())}` +
        `${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`
      );
    };
    const text = fc.oneof(
      fc
        .tuple(
          fc.integer({ min: -2_000_000_000, max: 4_000_000_000 }).map((s) => s * 1000),
          fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
        )
        .map(([ms, offset]) => spell(ms, offset)),
      fc.constantFrom(
        '2026-11-02T10:00:00-00:00',
        '2026-11-02T24:00:00-05:00',
        '2026-02-30T10:00:00-05:00',
        '2026-11-02T10:00:00.5-05:00',
        '2026-11-02T10:00:00-05:60',
        '2026-11-02T10:00:00+24:00',
        '2026-11-02 10:00:00-05:00',
      ),
    );
    fc.assert(
      fc.property(text, text, (updatedAt, statusChangedAt) => {
        const row = { ...base, updatedAt, statusChangedAt };
        const engine = RosterQueryEngine.from([row]);
        expect(engine.get(row.userId)).toEqual(row);
        // Rewritten in place, the row takes the new spelling, not the old one.
        const again = { ...row, updatedAt: statusChangedAt };
        engine.upsert([again]);
        expect(engine.get(row.userId)).toEqual(again);
      }),
    );
  });

  it('orders e-mail addresses exactly as the collator does (digits as numbers, punctuation first)', () => {
    const base = syntheticRoster(1, { seed: 1 })[0]!;
    const emails = [
      'a.b10@x.edu',
      'a.b9@x.edu',
      'a-b@x.edu',
      'a_b@x.edu',
      'ab@x.edu',
      'a.b@x.edu',
      "o'b1@x.edu",
    ];
    const rows = emails.map((email, i) => ({ ...base, userId: `u_${i}`, email }));
    const query = {
      filter: {},
      sort: { field: 'email', direction: 'asc' },
      offset: 0,
      limit: 10,
      now: '2026-11-01T12:00:00Z',
    } as const;
    const engine = RosterQueryEngine.from(rows);
    expect(engine.query(query)).toEqual(referenceRosterQuery(rows, query));
    // A value the key cannot order (upper case) sends the whole column back to the collator.
    engine.upsert([{ ...base, userId: 'u_x', email: 'A.B10@x.edu' }]);
    const all = [...rows, { ...base, userId: 'u_x', email: 'A.B10@x.edu' }];
    expect(engine.query(query)).toEqual(referenceRosterQuery(all, query));
  });
});

describe('search as the table shows names, and the two-timestamp filters', () => {
  const base = syntheticRoster(1, { seed: 3 })[0]!;
  const people: RosterRow[] = [
    {
      ...base,
      userId: 'u1',
      firstName: 'Andrés',
      lastName: 'Abara',
      preferredName: null,
      email: 'andres.abara4451@demo.edu',
    },
    {
      ...base,
      userId: 'u2',
      firstName: 'Andrea',
      lastName: 'Barton',
      preferredName: null,
      email: 'andrea.barton@demo.edu',
    },
  ];
  const ids = (engine: RosterQueryEngine, filter: RosterFilter) =>
    engine
      .query({
        filter,
        sort: { field: 'userId', direction: 'asc' },
        offset: 0,
        limit: 10,
        now: '2026-11-01T12:00:00Z',
      })
      .rows.map((r) => r.userId);

  it('finds "Last, First", "First Last" and partial words, accents or not', () => {
    const engine = RosterQueryEngine.from(people);
    expect(ids(engine, { q: 'Abara, Andrés' })).toEqual(['u1']);
    expect(ids(engine, { q: 'Andres Abara' })).toEqual(['u1']);
    expect(ids(engine, { q: 'abar andr' })).toEqual(['u1']);
    expect(ids(engine, { q: 'andre' })).toEqual(['u1', 'u2']);
    expect(ids(engine, { q: 'Barton, Andrés' })).toEqual([]);
  });

  it('lastSyncBefore=connectedAt keeps rows with no sync since their connection', () => {
    const rows: RosterRow[] = [
      { ...base, userId: 'never', connectedAt: '2026-11-01T10:00:00Z', lastSyncAt: null },
      { ...base, userId: 'older', connectedAt: '2026-11-01T10:00:00Z', lastSyncAt: '2026-10-20T10:00:00Z' },
      { ...base, userId: 'synced', connectedAt: '2026-11-01T10:00:00Z', lastSyncAt: '2026-11-01T10:05:00Z' },
      { ...base, userId: 'unconnected', connectedAt: null, lastSyncAt: null },
    ];
    const engine = RosterQueryEngine.from(rows);
    expect(ids(engine, { lastSyncBefore: 'connectedAt' })).toEqual(['never', 'older']);
    expect(
      referenceRosterQuery(rows, {
        filter: { lastSyncBefore: 'connectedAt' },
        sort: { field: 'userId', direction: 'asc' },
        offset: 0,
        limit: 10,
        now: '2026-11-01T12:00:00Z',
      }).rows.map((r) => r.userId),
    ).toEqual(['never', 'older']);
  });

  it('connectedBefore with lastSyncBefore=connectedAt: the first Graph sync is overdue', () => {
    const rows: RosterRow[] = [
      {
        ...base,
        userId: 'overdue',
        status: 'migrated',
        connectedAt: '2026-11-01T10:00:00Z',
        lastSyncAt: null,
      },
      { ...base, userId: 'fresh', status: 'migrated', connectedAt: '2026-11-01T11:50:00Z', lastSyncAt: null },
      {
        ...base,
        userId: 'synced',
        status: 'migrated',
        connectedAt: '2026-11-01T10:00:00Z',
        lastSyncAt: '2026-11-01T10:01:00Z',
      },
    ];
    const engine = RosterQueryEngine.from(rows);
    expect(
      ids(engine, {
        status: ['migrated'],
        lastSyncBefore: 'connectedAt',
        connectedBefore: '2026-11-01T11:30:00Z',
      }),
    ).toEqual(['overdue']);
  });

  it('statusChangedSince keeps rows whose status changed later than the instant', () => {
    const rows: RosterRow[] = [
      { ...base, userId: 'today', statusChangedAt: '2026-11-01T09:00:00Z' },
      { ...base, userId: 'last-week', statusChangedAt: '2026-10-25T09:00:00Z' },
    ];
    const engine = RosterQueryEngine.from(rows);
    expect(ids(engine, { statusChangedSince: '2026-10-31T00:00:00Z' })).toEqual(['today']);
  });
});
