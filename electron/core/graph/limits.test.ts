import { afterEach, describe, expect, it } from 'vitest';
import { deadlineAfter } from '../net/deadline.ts';
import { fakeRuntime } from '../net/test-support/fake-clock.ts';
import { startRawServer, type RawServer } from '../platform/test-support/raw-server.ts';
import { StaticTokenProvider } from './auth.ts';
import { GraphClient } from './client.ts';
import { GraphError } from './errors.ts';

/** Issue 10: Graph replies are bounded too, and a reply too large is never asked for again. */
let server: RawServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('Graph reply size', () => {
  it('refuses a reply over the bound as it streams in, without retrying it', async () => {
    server = await startRawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.on('error', () => undefined);
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      for (let i = 0; i < 16 && !res.destroyed; i += 1) res.write(chunk);
      res.end();
    });
    const graph = new GraphClient({
      baseUrl: `${server.url}/v1.0`,
      tokens: new StaticTokenProvider('token'),
      runtime: fakeRuntime(),
      maxReplyBytes: 1024 * 1024,
    });
    let thrown: unknown;
    try {
      await graph.getUser('ada@uni.edu');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GraphError);
    expect((thrown as GraphError).code).toBe('reply_too_large');
    expect((thrown as GraphError).message).toMatch(/larger than 1 MiB/);
    expect(server.requests).toHaveLength(1);
  });

  it("stops at the client's deadline and says so", async () => {
    server = await startRawServer(() => undefined /* never answers */);
    const deadline = deadlineAfter(800);
    const graph = new GraphClient({
      baseUrl: `${server.url}/v1.0`,
      tokens: new StaticTokenProvider('token'),
      timeoutMs: 30_000,
      deadline,
    });
    const started = performance.now();
    const error = await graph.getUser('ada@uni.edu').catch((e: unknown) => e);
    deadline.dispose();
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(error).toBeInstanceOf(GraphError);
    expect((error as GraphError).code).toBe('timeout');
    expect((error as GraphError).message).toMatch(/within the deadline of 0\.8 s/);
  });
});
