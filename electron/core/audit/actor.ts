import { hostname, userInfo } from 'node:os';
import type { CallContext } from '../ipc/dispatcher.ts';

/** Who acts, for the audit log: the operator from the token; on the CLI, also the OS user and host (sealed). */
export function actorOf(context: Pick<CallContext, 'transport' | 'operator'>): {
  actor: string;
  actorName: string | null;
} {
  if (context.transport !== 'cli') return { actor: context.operator.id, actorName: null };
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): the host still says where it ran.
  }
  return { actor: context.operator.id, actorName: `${user}@${hostname()}` };
}
