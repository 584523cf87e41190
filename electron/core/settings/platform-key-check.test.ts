import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleError } from '../../../shared/contract/index.ts';
import { createMemoryLogger } from '../log/logger.ts';
import { platformKeyCheck } from './platform-key-check.ts';

/** A platform that accepts connections and never answers. */
let hung: Server;
let baseUrl = '';
beforeAll(async () => {
  hung = createServer(() => undefined);
  await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(hung.address() as AddressInfo).port}/api/calendar-sync/v1`;
});
afterAll(async () => {
  hung.closeAllConnections();
  await new Promise<void>((resolve) => hung.close(() => resolve()));
});

describe('platform key check', () => {
  it('ends at its overall deadline against a hung platform and says what happened', async () => {
    const started = performance.now();
    const error = await platformKeyCheck(1_000)({ baseUrl, apiKey: 'key-123456' }, createMemoryLogger()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(ConsoleError);
    const failure = error as ConsoleError;
    expect(failure.code).toBe('timeout');
    expect(failure.message).toMatch(
      /^The key could not be checked: No complete answer to GET \/migration within the deadline of 1 s \(1 attempt; attempt 1 was still waiting for a reply/,
    );
    expect(failure.message).toMatch(/Nothing was changed; try again\.$/);
    expect(failure.message).not.toMatch(/key-123456|15 s/);
  }, 20_000);
});
