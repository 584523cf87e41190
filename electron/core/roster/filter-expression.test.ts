import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ErrorFacetValue,
  VerdictFacetValue,
  ProviderFacetValue,
  type RosterFilter,
} from '../../../shared/contract/roster-query.ts';
import { ConnectionStatus, Role } from '../../../shared/domain/platform.ts';
import {
  FilterExpressionError,
  formatFilterExpression,
  mentionsCalendarDate,
  parseFilterExpression,
} from './filter-expression.ts';

function usageError(expression: string): FilterExpressionError {
  try {
    parseFilterExpression(expression);
  } catch (error) {
    if (error instanceof FilterExpressionError) return error;
    throw error;
  }
  throw new Error(`"${expression}" parsed without error`);
}

describe('filter expressions', () => {
  it('parses every key', () => {
    expect(
      parseFilterExpression(
        'status=legacy,error  role=student provider=office365,none error=token_expired q="van der Berg" updatedSince=2026-11-01T00:00:00Z lastSyncBefore=2026-10-01T00:00:00-05:00',
      ),
    ).toEqual({
      status: ['legacy', 'error'],
      role: ['student'],
      provider: ['office365', 'none'],
      error: ['token_expired'],
      q: 'van der Berg',
      updatedSince: '2026-11-01T00:00:00Z',
      lastSyncBefore: '2026-10-01T00:00:00-05:00',
    });
    expect(parseFilterExpression('verdict=missing,never status=migrated')).toEqual({
      verdict: ['missing', 'never'],
      status: ['migrated'],
    });
    expect(usageError('verdict=anomalies').message).toMatch(/Unknown verdict "anomalies".*ok, missing/);
    expect(parseFilterExpression('')).toEqual({});
    expect(parseFilterExpression('q=a=b')).toEqual({ q: 'a=b' });
  });

  it("compares a row's two timestamps: lastSyncBefore=connectedAt", () => {
    expect(parseFilterExpression('status=migrated lastSyncBefore=connectedAt')).toEqual({
      status: ['migrated'],
      lastSyncBefore: 'connectedAt',
    });
    expect(parseFilterExpression('statusChangedSince=2026-12-03T05:00:00Z')).toEqual({
      statusChangedSince: '2026-12-03T05:00:00Z',
    });
    expect(usageError('lastSyncBefore=connected').message).toMatch(/connectedAt, statusChangedAt, updatedAt/);
    expect(usageError('updatedSince=connectedAt').message).toMatch(/ISO 8601/);
  });

  it("reads a bare date as the start of that day in the platform's time zone", () => {
    expect(mentionsCalendarDate('status=legacy updatedSince=2026-12-03')).toBe(true);
    expect(mentionsCalendarDate('updatedSince=2026-12-03T00:00:00Z q=2026-12-03')).toBe(false);
    expect(parseFilterExpression('updatedSince=2026-12-03', { timeZone: 'America/New_York' })).toEqual({
      updatedSince: '2026-12-03T05:00:00.000Z',
    });
    // A day that starts in summer time elsewhere.
    expect(parseFilterExpression('statusChangedSince=2026-07-01', { timeZone: 'Australia/Sydney' })).toEqual({
      statusChangedSince: '2026-06-30T14:00:00.000Z',
    });
    // Without the zone it says what is missing instead of guessing UTC.
    expect(() => parseFilterExpression('updatedSince=2026-12-03')).toThrow(/time zone is needed/);
    // Not a real day.
    expect(() => parseFilterExpression('updatedSince=2026-02-30', { timeZone: 'UTC' })).toThrow(
      FilterExpressionError,
    );
  });

  it('names the unknown key or value in its usage error', () => {
    expect(usageError('stat=legacy').message).toMatch(/Unknown filter key "stat".*Known keys: status, role/);
    expect(usageError('status=legasy').message).toMatch(
      /Unknown status "legasy" in "status=legasy". Known: legacy,/,
    );
    expect(usageError('role=student,teacher').term).toBe('role=student,teacher');
    expect(usageError('provider=').message).toMatch(/empty value/);
    expect(usageError('status=legacy status=error').message).toMatch(/given twice/);
    expect(usageError('legacy').message).toMatch(/"legacy" is not a filter term/);
    expect(usageError('updatedSince=yesterday').message).toMatch(/ISO 8601/);
    expect(usageError('q="open').message).toMatch(/no closing quote/);
    expect(usageError('q="a"b').message).toMatch(/space after the closing quote/);
    expect(usageError('stat=legacy').code).toBe('bad_input');
  });

  it('round-trips any filter through format and parse', () => {
    const subset = <T>(values: readonly T[]) =>
      fc.option(fc.subarray([...values], { minLength: 1 }), { nil: undefined });
    const timestamp = fc
      .date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString());
    const filter: fc.Arbitrary<RosterFilter> = fc.record(
      {
        status: subset(ConnectionStatus.options),
        role: subset(Role.options),
        provider: subset(ProviderFacetValue.options),
        error: subset(ErrorFacetValue.options),
        verdict: subset(VerdictFacetValue.options),
        q: fc.string({ unit: 'binary', maxLength: 40 }),
        updatedSince: timestamp,
        statusChangedSince: timestamp,
        connectedBefore: timestamp,
        lastSyncBefore: fc.oneof(timestamp, fc.constantFrom('connectedAt' as const, 'updatedAt' as const)),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(filter, (original) => {
        expect(parseFilterExpression(formatFilterExpression(original))).toEqual(original);
      }),
      { numRuns: 500 },
    );
  });
});
