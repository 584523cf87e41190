import { ConsoleError } from '../../../shared/contract/index.ts';
import type { PlatformConfig } from '../data-source/data-source-service.ts';
import type { Logger } from '../log/logger.ts';
import { deadlineAfter, type Deadline } from '../net/deadline.ts';
import { PlatformClient } from '../platform/client.ts';
import { PlatformError } from '../platform/errors.ts';

export type PlatformKeyCheck = (config: PlatformConfig, logger: Logger) => Promise<void>;

/** How long a key check may take in all, retries included (net/ deadline: the failure says what happened). */
export const KEY_CHECK_DEADLINE_MS = 15_000;

/**
 * GET /migration with the candidate URL and key: the cheapest call that proves both. Failures
 * become field errors (`platformUrl` or `apiKey`) the Settings form shows beside the field; the
 * key itself is never quoted, logged or returned. One overall deadline (the caller's, else
 * `deadlineMs`) bounds it, and a check it ends says so: attempts, time, what was still awaited.
 */
export function platformKeyCheck(deadlineMs: number = KEY_CHECK_DEADLINE_MS): PlatformKeyCheck {
  return async (config, logger) => {
    const own = config.deadline === undefined ? deadlineAfter(deadlineMs) : null;
    try {
      await check(config, logger, config.deadline ?? (own as Deadline));
    } finally {
      own?.dispose();
    }
  };
}

export const checkPlatformKey: PlatformKeyCheck = platformKeyCheck();

async function check(config: PlatformConfig, logger: Logger, deadline: Deadline): Promise<void> {
  const client = new PlatformClient({
    baseUrl: config.baseUrl,
    apiKey: config.apiKey,
    logger,
    retry: { maxAttempts: 2 },
    deadline,
  });
  try {
    await client.getMigration({ signal: deadline.signal });
  } catch (error) {
    if (!(error instanceof PlatformError)) throw error;
    logger.warn('platform key check failed', {
      host: new URL(config.baseUrl).host,
      code: error.code,
      status: error.status,
    });
    if (error.status === 401) {
      throw new ConsoleError('bad_input', 'The platform did not accept this API key.', {
        issues: [
          {
            path: 'apiKey',
            message:
              'The platform answered 401: this key is not valid (check for a typo, or create a new key).',
          },
        ],
      });
    }
    if (error.status === 403) {
      throw new ConsoleError('bad_input', 'This API key may not read the migration.', {
        issues: [
          {
            path: 'apiKey',
            message:
              'The platform answered 403: give the key the calendar-sync:read scope (and the write scopes the console needs).',
          },
        ],
      });
    }
    if (error.status === 404) {
      throw new ConsoleError('bad_input', 'No Calendar Sync Administration API at this address.', {
        issues: [
          {
            path: 'platformUrl',
            message:
              'Nothing answers /migration here: use the API base URL, ending in /api/calendar-sync/v1.',
          },
        ],
      });
    }
    if (error.code === 'timeout')
      throw new ConsoleError(
        'timeout',
        `The key could not be checked: ${error.message} Nothing was changed; try again.`.slice(0, 2000),
        {
          retryable: true,
          issues: [
            {
              path: 'platformUrl',
              message: 'No complete answer from this address in time (check the URL and the network).',
            },
          ],
        },
      );
    throw new ConsoleError(
      'unavailable',
      'The platform could not be reached to check the key. Nothing was changed; try again.',
      {
        retryable: true,
        issues: [
          { path: 'platformUrl', message: 'No answer from this address (check the URL and the network).' },
        ],
      },
    );
  }
}
