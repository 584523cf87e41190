import type { PlatformConfig } from '../data-source/data-source-service.ts';
import type { AccessTokenProvider } from '../graph/auth.ts';
import { GraphClient } from '../graph/client.ts';
import type { Logger } from '../log/logger.ts';
import { platformBudgetFor } from '../net/budget-registry.ts';
import { GraphBudget } from '../net/graph-budget.ts';
import type { RequestBudget } from '../net/request-budget.ts';
import { PlatformClient } from '../platform/client.ts';

/**
 * The one place the core makes a platform client for a connection. It draws from the key's one
 * request budget (`platformBudgetFor`: shared with the roster sync's worker, key checks and jobs;
 * docs/clients.md); a job asks for its own queue per call (`{ priority: 'jobs' }`).
 */
export function createPlatformClient(connection: PlatformConfig, logger: Logger): PlatformClient {
  return new PlatformClient({
    baseUrl: connection.baseUrl,
    apiKey: connection.apiKey,
    logger,
    budget: platformBudget(connection),
    ...(connection.deadline === undefined ? {} : { deadline: connection.deadline }),
  });
}

/** The key's request budget, for a workload that paces itself (`await budget.acquire('jobs', signal)`). */
export function platformBudget(connection: PlatformConfig): RequestBudget {
  return platformBudgetFor(connection.baseUrl, connection.apiKey);
}

/**
 * Graph's per-mailbox and per-sender budgets for this process (one app registration): every Graph
 * client shares it, so the mail and verify features together stay within a mailbox's limits.
 */
export const graphBudget = new GraphBudget();

export const GRAPH_URL = 'https://graph.microsoft.com/v1.0';

/** The one place the core makes a Graph client (the demo sandbox's Graph, or Microsoft's). */
export function createGraphClient(baseUrl: string, tokens: AccessTokenProvider): GraphClient {
  return new GraphClient({ baseUrl, tokens, budget: graphBudget });
}
