// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SORT,
  formatUsersQuery,
  parseUsersQuery,
  queryFromHash,
  sameFilter,
  usersHref,
} from './roster-url.ts';

describe('Users view address', () => {
  it('reads facet lists, search, sort and direction', () => {
    const parsed = parseUsersQuery(
      'status=reauth_pending,legacy&role=student&q=Ana%20Mar%C3%ADa&sort=email&dir=desc&age=never',
    );
    expect(parsed.problems).toEqual([]);
    // Lists come back in the contract's declared order, whatever the address said.
    expect(parsed.filter).toEqual({
      status: ['legacy', 'reauth_pending'],
      role: ['student'],
      syncAge: ['never'],
      q: 'Ana María',
    });
    expect(parsed.sort).toEqual({ field: 'email', direction: 'desc' });
  });

  it('keeps what it understands and names what it ignored', () => {
    const parsed = parseUsersQuery(
      'status=legacy,paused&role=&sort=shoeSize&dir=up&colour=blue&updatedSince=yesterday',
    );
    expect(parsed.filter).toEqual({ status: ['legacy'] });
    expect(parsed.sort).toEqual(DEFAULT_SORT);
    expect(parsed.problems.join(' ')).toMatch(/status “paused”/);
    expect(parsed.problems.join(' ')).toMatch(/sort “shoeSize”/);
    expect(parsed.problems.join(' ')).toMatch(/dir “up”/);
    expect(parsed.problems.join(' ')).toMatch(/“colour”/);
    expect(parsed.problems.join(' ')).toMatch(/updatedSince “yesterday”/);
  });

  it('carries the status-change and two-timestamp filters', () => {
    const filter = {
      status: ['migrated' as const],
      statusChangedSince: '2026-12-03T05:00:00Z',
      lastSyncBefore: 'connectedAt' as const,
    };
    const query = formatUsersQuery({ filter, sort: DEFAULT_SORT });
    expect(query).toBe(
      'status=migrated&statusChangedSince=2026-12-03T05%3A00%3A00Z&lastSyncBefore=connectedAt',
    );
    expect(parseUsersQuery(query)).toEqual({ filter, sort: DEFAULT_SORT, problems: [] });
    expect(parseUsersQuery('lastSyncBefore=connected').problems.join(' ')).toMatch(/connectedAt/);
  });

  it('carries the verdict facet in declared order and names an unknown verdict', () => {
    const parsed = parseUsersQuery('verdict=never,missing&status=migrated');
    expect(parsed).toEqual({
      filter: { status: ['migrated'], verdict: ['missing', 'never'] },
      sort: DEFAULT_SORT,
      problems: [],
    });
    expect(formatUsersQuery(parsed)).toBe('status=migrated&verdict=missing,never');
    expect(parseUsersQuery('verdict=anomalies').problems.join(' ')).toMatch(/verdict “anomalies”/);
  });

  it('formats canonically and round-trips', () => {
    const view = {
      filter: {
        role: ['alumni' as const, 'student' as const],
        status: ['migrated' as const],
        q: 'o’brien & co, ltd',
        error: ['none' as const],
      },
      sort: { field: 'lastSyncAt' as const, direction: 'desc' as const },
    };
    const query = formatUsersQuery(view);
    expect(query).toBe(
      'status=migrated&role=student,alumni&error=none&q=o%E2%80%99brien%20%26%20co,%20ltd&sort=lastSyncAt&dir=desc',
    );
    const back = parseUsersQuery(query);
    expect(back.problems).toEqual([]);
    expect(back.filter).toEqual({
      status: ['migrated'],
      role: ['student', 'alumni'],
      error: ['none'],
      q: 'o’brien & co, ltd',
    });
    expect(back.sort).toEqual(view.sort);
  });

  it('leaves defaults out, so the whole roster is plain #/users', () => {
    expect(formatUsersQuery({ filter: {}, sort: DEFAULT_SORT })).toBe('');
    expect(usersHref({})).toBe('#/users');
    expect(usersHref({ status: ['legacy', 'reauth_pending'], role: ['student'] })).toBe(
      '#/users?status=legacy,reauth_pending&role=student',
    );
    expect(formatUsersQuery({ filter: {}, sort: { field: 'lastName', direction: 'desc' } })).toBe(
      'sort=lastName&dir=desc',
    );
  });

  it('takes the query from a hash route and compares filters by meaning', () => {
    expect(queryFromHash('#/users?role=student')).toBe('role=student');
    expect(queryFromHash('#/users')).toBe('');
    expect(sameFilter({ status: ['migrated', 'legacy'] }, { status: ['legacy', 'migrated'] })).toBe(true);
    expect(sameFilter({ status: ['migrated'] }, { status: ['legacy'] })).toBe(false);
  });

  it('cuts an over-long search and says so', () => {
    const parsed = parseUsersQuery(`q=${'a'.repeat(250)}`);
    expect(parsed.filter.q).toHaveLength(200);
    expect(parsed.problems).toEqual(['The search text was cut to 200 characters.']);
  });
});
