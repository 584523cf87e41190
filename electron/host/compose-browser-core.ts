import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createConsoleCore, type ConsoleCore, type CoreCapabilities } from '../core/compose.ts';
import { EnvKeyWrapper } from '../core/crypto/env-key-wrapper.ts';
import type { PlatformConfig } from '../core/data-source/data-source-service.ts';
import type { Logger } from '../core/log/logger.ts';
import { startDemoSandbox } from '../sandbox/demo.ts';
import { createConfStore } from './conf-store.ts';

const PackageInfo = z.object({ productName: z.string().min(1), version: z.string().min(1) });

/** Read once from package.json so the browser host reports what Electron's `app` would. */
export function readPackageInfo(): z.infer<typeof PackageInfo> {
  const file = fileURLToPath(new URL('../../package.json', import.meta.url));
  return PackageInfo.parse(JSON.parse(readFileSync(file, 'utf8')));
}

export interface BrowserCoreOptions {
  dataDir: string;
  logger: Logger;
  /** Start the embedded demo sandbox when no platform is configured (default true; tests switch it off). */
  demo?: boolean;
  /** Environment holding CONSOLE_DATA_KEY (default: process.env); tests pass their own. */
  env?: Record<string, string | undefined>;
  /** Sign-in tuning for tests (free loopback port, short timeout). */
  auth?: CoreCapabilities['auth'];
  /** Size of the demo sandbox's roster (default DEMO_USERS); benchmarks vary it. */
  demoUsers?: number;
  /**
   * The platform for this run (serve's `--platform-url`), used instead of the one saved in
   * Settings (whose platform fields then do not apply). Undefined: the saved platform, or the demo.
   */
  platform?: PlatformConfig;
}

/**
 * The browser host's composition: the same core as Electron with Node stand-ins for Electron's
 * capabilities. Links open in the page (`openExternal: null`), settings live in a `conf` file in
 * the data folder. New capabilities for the browser host are wired here and nowhere else.
 */
export async function composeBrowserCore(options: BrowserCoreOptions): Promise<ConsoleCore> {
  const { productName, version } = readPackageInfo();
  return createConsoleCore({
    host: 'browser',
    productName,
    version,
    logger: options.logger,
    store: createConfStore(options.dataDir, options.logger.child({ component: 'settings' })),
    openExternal: null,
    startDemo:
      options.demo === false
        ? null
        : () => startDemoSandbox(options.demoUsers === undefined ? {} : { users: options.demoUsers }),
    // Personal data at rest is sealed under CONSOLE_DATA_KEY; without it the roster stays in memory.
    // It also seals the platform key and the sign-in token cache (memory only without it).
    keyWrapper: new EnvKeyWrapper(options.env ?? process.env),
    ...(options.auth ? { auth: options.auth } : {}),
    dataDir: options.dataDir,
    ...(options.platform === undefined ? {} : { platformConfig: () => options.platform ?? null }),
  });
}
