import type { DemoSandboxHandle } from '../core/data-source/data-source-service.ts';
import type { DemoIdentity } from '../core/auth/identity-config.ts';
import { createDemoDirectory } from './identity/directory.ts';
import { instanceDiscovery, openIdConfiguration } from './identity/metadata.ts';
import { startSandbox, type SandboxOptions } from './index.ts';

export const DEMO_USERS = 12_000;

/**
 * The console's embedded demo: the sandbox on a random loopback port, started in the same process
 * as the host (Electron main or the browser host) and handed to the core as its data source.
 */
export async function startDemoSandbox(
  options: Pick<SandboxOptions, 'users' | 'seed'> = {},
): Promise<DemoSandboxHandle> {
  const users = options.users ?? DEMO_USERS;
  const sandbox = await startSandbox({
    port: 0,
    users,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  return {
    platformUrl: sandbox.platformUrl,
    apiKey: sandbox.apiKey,
    graphUrl: sandbox.graphUrl,
    authorityUrl: sandbox.authorityUrl,
    identity: sandbox.authorityUrl === '' ? null : demoIdentity(sandbox.authorityUrl, sandbox.caCertPem),
    verifier: sandbox.graphClient.clientId === '' ? null : sandbox.graphClient,
    users,
    close: () => sandbox.close(),
  };
}

/**
 * What MSAL needs to use the demo identity provider without contacting Microsoft: the same
 * metadata the provider serves, so the real MSAL code path runs against it.
 */
export function demoIdentity(authorityUrl: string, caCertPem: string): DemoIdentity {
  const authority = new URL(authorityUrl);
  const tenantId = authority.pathname.replace(/^\/+|\/+$/g, '');
  return {
    authority: authorityUrl,
    // The demo directory's ids are fixed, so the console app's client id is known without asking.
    clientId: createDemoDirectory({ tenantId }).apps.console.clientId,
    caPem: caCertPem,
    knownAuthorities: [authority.host],
    authorityMetadata: JSON.stringify(openIdConfiguration(authority.origin, tenantId)),
    cloudDiscoveryMetadata: JSON.stringify(instanceDiscovery(authority.origin, tenantId)),
  };
}
