import type { Connection } from '../../../shared/domain/platform.ts';
import type { PlatformClient } from '../platform/client.ts';

/**
 * The few platform calls a force-disconnect job makes, behind one small interface so the
 * composition root decides how they are paced: today the platform client's own limiter (which
 * follows RateLimit-* and Retry-After); with the shared request budget of electron/core/net, a
 * client drawing from the key's one budget at job priority.
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
        signal === undefined ? {} : { signal },
      ))
        yield page.items;
    },
    async get(userId, signal) {
      return (await client()).getConnection(userId, signal === undefined ? {} : { signal });
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
