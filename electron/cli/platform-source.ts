import { PlatformClient } from '../core/platform/client.ts';
import type { Deadline } from '../core/net/deadline.ts';
import type { CommandContext } from './command.ts';
import { secretFromEnv } from './globals.ts';

export interface PlatformSource {
  client: PlatformClient;
  demo: boolean;
  close(): Promise<void>;
}

/**
 * The platform a command talks to: the one named by --platform-url (key from --platform-key-env),
 * or, without it, an in-process demo sandbox, announced on stderr so nobody mistakes demo
 * figures for their university's.
 */
export async function openPlatform(context: CommandContext): Promise<PlatformSource> {
  const { globals } = context;
  if (globals.platformUrl !== undefined) {
    const apiKey = secretFromEnv('platform-key-env', globals.platformKeyEnv, context.env);
    return {
      client: new PlatformClient({ baseUrl: globals.platformUrl, apiKey, ...deadlineOf(context) }),
      demo: false,
      close: async () => {},
    };
  }
  context.out.log(
    'Demo mode: no --platform-url given, so this runs against an in-process sandbox with made-up users.',
  );
  const { startSandbox } = await import('../sandbox/index.ts');
  const { DEMO_USERS } = await import('../sandbox/demo.ts');
  // The same demo university the app shows, so figures from the CLI and the console agree.
  const sandbox = await startSandbox({ users: DEMO_USERS, identity: false });
  return {
    client: new PlatformClient({
      baseUrl: sandbox.platformUrl,
      apiKey: sandbox.apiKey,
      ...deadlineOf(context),
    }),
    demo: true,
    close: () => sandbox.close(),
  };
}

/** The command's deadline for the client, so a hung platform ends the command on time and says so. */
function deadlineOf(context: CommandContext): { deadline?: Deadline } {
  return context.deadline === undefined ? {} : { deadline: context.deadline };
}
