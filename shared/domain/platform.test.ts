import { describe, expect, it } from 'vitest';
import {
  Connection,
  ConnectionPage,
  MagicLinkBatchResult,
  Migration,
  Problem,
  isMagicLinkFailure,
} from './platform.ts';
import { connectionJson as connection, migrationJson as migration } from './test-support/platform-samples.ts';
import { ContractViolationError, parsePlatformReply, UnknownEnumValueError } from './validate.ts';

describe('platform schemas', () => {
  it('parses a connection and strips fields the contract does not name', () => {
    const parsed = parsePlatformReply(Connection, connection({ futureField: 1 }), { resource: 'Connection' });
    expect(parsed.status).toBe('legacy');
    expect('futureField' in parsed).toBe(false);
  });

  it('fills missing status and role counts with zeros so arithmetic never meets undefined', () => {
    const parsed = parsePlatformReply(Migration, migration(), { resource: 'Migration' });
    expect(parsed.counts.byStatus).toEqual({
      legacy: 3,
      reauth_pending: 0,
      migrated: 2,
      disconnected: 0,
      error: 0,
      not_connected: 0,
      not_affected: 0,
    });
    expect(parsed.counts.byRole.alumni.legacy).toBe(0);
    expect(parsed.counts.byRole.student.migrated).toBe(2);
  });

  it('names field, value and user for an unknown status deep in a page', () => {
    const page = {
      items: [connection(), connection({ userId: 'u_02', status: 'paused' })],
      nextCursor: null,
    };
    let caught: unknown;
    try {
      parsePlatformReply(ConnectionPage, page, { resource: 'GET /connections' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnknownEnumValueError);
    const error = caught as UnknownEnumValueError;
    expect(error.field).toBe('items.1.status');
    expect(error.value).toBe('paused');
    expect(error.userId).toBe('u_02');
    expect(error.allowed).toContain('migrated');
    expect(error.message).toContain('"paused"');
    expect(error.message).toContain('items.1.status');
    expect(error.message).toContain('u_02');
  });

  it('treats an unknown status key in the counts as an unknown enum value', () => {
    const reply = migration({ counts: { total: 1, byStatus: { legacy: 1, frozen: 0 }, byRole: {} } });
    expect(() => parsePlatformReply(Migration, reply, { resource: 'Migration' })).toThrow(
      expect.objectContaining({
        name: 'UnknownEnumValueError',
        field: 'counts.byStatus.frozen',
        value: 'frozen',
      }),
    );
  });

  it('rejects timestamps without an offset and names the field', () => {
    let caught: unknown;
    try {
      parsePlatformReply(Connection, connection({ updatedAt: '2026-01-05T10:00:00' }), {
        resource: 'Connection',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ContractViolationError);
    expect(caught).not.toBeInstanceOf(UnknownEnumValueError);
    const error = caught as ContractViolationError;
    expect(error.issues.map((i) => i.path)).toEqual(['updatedAt']);
    expect(error.userId).toBe('u_01HF0001');
    expect(error.message).toContain('updatedAt');
  });

  it('tells magic-link batch successes from per-user problems', () => {
    const parsed = parsePlatformReply(
      MagicLinkBatchResult,
      {
        items: [
          { userId: 'u_1', url: 'https://careers.example.edu/m/abc', expiresAt: '2026-06-01T12:00:00Z' },
          {
            userId: 'u_2',
            error: { type: 'about:blank', title: 'Not found', status: 404, code: 'not_found' },
          },
        ],
      },
      { resource: 'POST /magic-links/batch' },
    );
    expect(parsed.items.map((item) => isMagicLinkFailure(item))).toEqual([false, true]);
  });

  it('keeps problem extension members and defaults the type', () => {
    const parsed = Problem.parse({ title: 'Too many', status: 429, code: 'rate_limited', retryAfter: 1 });
    expect(parsed.type).toBe('about:blank');
    expect(parsed['retryAfter']).toBe(1);
  });
});
