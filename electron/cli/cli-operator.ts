import { hostname, userInfo } from 'node:os';
import type { Operator } from '../core/ipc/dispatcher.ts';

/**
 * Who acts when the CLI calls the core. The CLI holds the platform key itself (from the
 * environment variable named by --platform-key-env), so it may do what that key allows, as a
 * director may in the app; the audit log names the OS account and the machine it ran on.
 */
export function cliOperator(env: NodeJS.ProcessEnv): Operator {
  let osUser: string;
  try {
    osUser = userInfo().username;
  } catch {
    // No passwd entry (some containers): the environment's word is the best there is.
    osUser = env['USER'] ?? env['USERNAME'] ?? 'unknown';
  }
  const host = hostname();
  return { id: `cli:${osUser}@${host}`, role: 'director', origin: { osUser, host } };
}
