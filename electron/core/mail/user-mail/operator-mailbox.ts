import { ConsoleError } from '../../../../shared/contract/index.ts';
import type { AuthStatus } from '../../../../shared/contract/auth.ts';
import type { GraphClient } from '../../graph/client.ts';
import { createGraphClient } from '../../workspace/platform-clients.ts';
import type { OperatorMailbox } from './user-mail-feature.ts';

/**
 * The signed-in operator's mailbox: Graph (the demo sandbox's or Microsoft's) with the operator's own
 * delegated token, keyed in the process-wide Graph budget by their address so every send from it shares
 * Exchange's 30 a minute and 10,000 recipients a day.
 */
export function operatorMailbox(deps: {
  status: () => AuthStatus;
  accessToken: () => Promise<string>;
  graphUrl: () => string;
}): OperatorMailbox {
  let cached: { url: string; client: GraphClient } | null = null;
  return {
    resolve() {
      const status = deps.status();
      if (status.state !== 'signed-in' || status.account === null)
        return Promise.reject(
          new ConsoleError(
            'unauthorized',
            'Sending needs Microsoft Graph access from your own mailbox: sign in with your Microsoft 365 account first (Mail.Send).',
          ),
        );
      const url = deps.graphUrl();
      if (cached?.url !== url)
        cached = { url, client: createGraphClient(url, { getAccessToken: () => deps.accessToken() }) };
      return Promise.resolve({ graph: cached.client, address: status.account.username.toLowerCase() });
    },
  };
}
