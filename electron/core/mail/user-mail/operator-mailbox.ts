import { ConsoleError } from '../../../../shared/contract/index.ts';
import type { AuthStatus } from '../../../../shared/contract/auth.ts';
import type { GraphClient } from '../../graph/client.ts';
import { operatorAddress } from '../delivery/delivery-kind.ts';
import type { OperatorMailbox } from './user-mail-feature.ts';

/**
 * The signed-in operator's mailbox: the same Graph client announcement delivery sends with, and the
 * same budget key (the address Graph gives for `/me`), so a magic link emailed by hand and a running
 * send share Exchange's 30 a minute and 10,000 recipients a day.
 */
export function operatorMailbox(deps: {
  status: () => AuthStatus;
  graph: () => Promise<GraphClient>;
}): OperatorMailbox {
  return {
    async resolve() {
      const status = deps.status();
      if (status.state !== 'signed-in' || status.account === null)
        throw new ConsoleError(
          'unauthorized',
          'Sending needs Microsoft Graph access from your own mailbox: sign in with your Microsoft 365 account first (Mail.Send).',
        );
      const graph = await deps.graph();
      return { graph, address: (await operatorAddress(graph)).toLowerCase() };
    },
  };
}
