import type { PlatformConfig } from '../data-source/data-source-service.ts';
import type { AccessTokenProvider } from '../graph/auth.ts';
import { GraphClient } from '../graph/client.ts';
import type { Logger } from '../log/logger.ts';
import { PlatformClient } from '../platform/client.ts';

/**
 * The one place the core makes a platform client for a connection. The request budget (pacing,
 * retries) lives in the client today; the per-key budget shared by every workload plugs in here.
 */
export function createPlatformClient(connection: PlatformConfig, logger: Logger): PlatformClient {
  return new PlatformClient({ baseUrl: connection.baseUrl, apiKey: connection.apiKey, logger });
}

export const GRAPH_URL = 'https://graph.microsoft.com/v1.0';

/** The one place the core makes a Graph client (the demo sandbox's Graph, or Microsoft's). */
export function createGraphClient(baseUrl: string, tokens: AccessTokenProvider): GraphClient {
  return new GraphClient({ baseUrl, tokens });
}
