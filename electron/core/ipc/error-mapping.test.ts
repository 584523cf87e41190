import { describe, expect, it } from 'vitest';
import { ConsoleError } from '../../../shared/contract/index.ts';
import { GraphError } from '../graph/errors.ts';
import { PlatformError } from '../platform/errors.ts';
import { toConsoleError } from './error-mapping.ts';

describe('toConsoleError (the one place remote failures become console errors)', () => {
  it('maps platform and Graph failures to their contract codes, keeps console errors, leaves the rest unknown', () => {
    const platform = new PlatformError('The platform refused the API key.', {
      code: 'unauthorized',
      status: 401,
      title: 'Unauthorized',
      retryable: false,
    });
    expect(toConsoleError(platform)).toMatchObject({ code: 'unauthorized', retryable: false });
    const graph = new GraphError('Mailbox is throttled.', {
      code: 'TooManyRequests',
      status: 429,
      retryable: true,
    });
    expect(toConsoleError(graph)).toMatchObject({ code: 'rate_limited', retryable: true });
    const own = new ConsoleError('forbidden', 'No.');
    expect(toConsoleError(own)).toBe(own);
    expect(toConsoleError(new TypeError('x is undefined'))).toBeNull();
  });
});
