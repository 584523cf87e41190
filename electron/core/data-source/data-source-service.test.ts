import { afterEach, describe, expect, it } from 'vitest';
import { migrationJson } from '../../../shared/domain/test-support/platform-samples.ts';
import { createMemoryLogger } from '../log/logger.ts';
import { startRawServer, type RawServer } from '../platform/test-support/raw-server.ts';
import { DataSourceService } from './data-source-service.ts';

let server: RawServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const settledWithin = async (promise: Promise<unknown>, ms: number): Promise<boolean> =>
  Promise.race([
    promise.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms)),
  ]);

describe('DataSourceService.connect', () => {
  it('lets a caller that arrives while the first attempt checks the platform share that attempt', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    server = await startRawServer(async (request, response) => {
      if (request.url.endsWith('/migration')) await gate;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(migrationJson()));
    });
    const logger = createMemoryLogger('error');
    const service = new DataSourceService({
      logger,
      platformConfig: () => ({ baseUrl: server!.url, apiKey: 'k' }),
      startDemo: null,
    });
    const first = service.connect();
    // Wait until the first attempt is inside its /migration check.
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const second = service.connect();
    // The second caller must wait for the same attempt, not resolve while the source is still starting.
    expect(await settledWithin(second, 100)).toBe(false);
    expect(service.state().state).toBe('starting');
    release();
    await Promise.all([first, second]);
    expect(service.state().state).toBe('ready');
    expect(server.requests.filter((r) => r.url.endsWith('/migration'))).toHaveLength(1);
    await service.dispose();
  });
});
