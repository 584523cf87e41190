import type { DemoSandboxHandle } from '../core/data-source/data-source-service.ts';
import { startSandbox, type SandboxOptions } from './index.ts';

export const DEMO_USERS = 12_000;

/**
 * The console's embedded demo: the sandbox on a random loopback port, started in the same process
 * as the host (Electron main or the browser host) and handed to the core as its data source.
 */
export async function startDemoSandbox(options: Pick<SandboxOptions, 'users' | 'seed'> = {}): Promise<DemoSandboxHandle> {
  const users = options.users ?? DEMO_USERS;
  const sandbox = await startSandbox({ port: 0, users, ...(options.seed === undefined ? {} : { seed: options.seed }) });
  return {
    platformUrl: sandbox.platformUrl,
    apiKey: sandbox.apiKey,
    graphUrl: sandbox.graphUrl,
    authorityUrl: sandbox.authorityUrl,
    users,
    close: () => sandbox.close(),
  };
}
