import type { Connection } from '../../../shared/domain/platform.ts';
import type { PlatformClient } from '../platform/client.ts';

/**
 * The few platform calls a force-disconnect job makes, behind one small interface. The client
 * draws from the key's one request budget (electron/core/net), which follows RateLimit-* and
 * Retry-After; every call here waits in its `jobs` queue, behind interactive calls.
 */
export interface DisconnectPlatform {
  /** Every connection, a page at a time (fresh state for previews and scheduled runs). */
  pages(signal?: AbortSignal): AsyncIterable<readonly Connection[]>;
  get(userId: string, signal?: AbortSignal): Promise<Connection>;
  forceDisconnect(
    userId: string,
    reason: string,
    options: { idempotencyKey: string; ifMatch: string; signal?: AbortSignal },
  ): Promise<{ changed: boolean; connection: Connection; replayed: boolean }>;
}

export function disconnectPlatformOf(client: () => Promise<PlatformClient>): DisconnectPlatform {
  return {
    async *pages(signal) {
      const platform = await client();
      for await (const page of platform.connectionPages(
        { limit: 1000 },
        signal === undefined ? { priority: 'jobs' } : { signal, priority: 'jobs' },
      ))
        yield page.items;
    },
    async get(userId, signal) {
      return (await client()).getConnection(
        userId,
        signal === undefined ? { priority: 'jobs' } : { signal, priority: 'jobs' },
      );
    },
    async forceDisconnect(userId, reason, options) {
      const result = await (
        await client()
      ).forceDisconnect(
        userId,
        { reason },
        {
          idempotencyKey: options.idempotencyKey,
          ifMatch: options.ifMatch,
          priority: 'jobs',
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        },
      );
      return {
        changed: result.value.changed,
        connection: result.value.connection,
        replayed: result.replayed,
      };
    },
  };
}
