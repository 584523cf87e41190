import type { CallContext } from '../ipc/dispatcher.ts';

/**
 * Who acts, for the audit log and a job's "started by": the operator from the token (its object
 * id, in clear); for the CLI, which holds the platform key itself, `cli` in clear and the OS user
 * and host as the sealed name (they name a person).
 */
export function actorOf(context: Pick<CallContext, 'transport' | 'operator'>): {
  actor: string;
  actorName: string | null;
} {
  const origin = context.operator.origin;
  if (origin !== undefined) return { actor: 'cli', actorName: `${origin.osUser}@${origin.host}` };
  if (context.transport === 'cli') return { actor: 'cli', actorName: context.operator.id };
  return { actor: context.operator.id, actorName: null };
}
