import { ConsoleError } from '../../../shared/contract/index.ts';
import type { AuthService } from '../auth/auth-service.ts';
import type { DataSourceService } from '../data-source/data-source-service.ts';
import type { Feature } from '../feature.ts';
import type { CacheRegistry } from './cache-registry.ts';
import { buildDiagnostics } from './diagnostics.ts';
import type { SettingsService } from './settings-service.ts';

export interface SettingsFeatureOptions {
  settings: SettingsService;
  caches: CacheRegistry;
  dataSource: DataSourceService;
  auth: AuthService;
  productName: string;
  version: string;
  host: 'electron' | 'browser' | 'cli';
}

export type SettingsMethod =
  | 'settings.get'
  | 'settings.update'
  | 'settings.setSignIn'
  | 'settings.setPlatformKey'
  | 'settings.clearCache'
  | 'settings.exportDiagnostics';

/** The Settings page: preferences of the console, the platform and sign-in setup, caches, diagnostics. */
export function createSettingsFeature(options: SettingsFeatureOptions): Feature<SettingsMethod> {
  const { settings, caches, dataSource, auth } = options;
  return {
    name: 'settings',
    handlers: {
      'settings.get': () => settings.get(),
      'settings.update': (change) => settings.update(change),
      'settings.setSignIn': (change, context) => settings.setSignIn(change, context.operator),
      'settings.setPlatformKey': (change) => settings.setPlatformKey(change),
      'settings.clearCache': async () => {
        const { cleared, failed } = await caches.clearAll();
        if (failed.length > 0)
          throw new ConsoleError(
            'unavailable',
            `Could not clear: ${failed.join(', ')}. Cleared: ${cleared.join(', ') || 'nothing'}. Try again.`,
            { retryable: true },
          );
        return { cleared };
      },
      'settings.exportDiagnostics': () =>
        buildDiagnostics({
          productName: options.productName,
          version: options.version,
          host: options.host,
          dataSource: dataSource.state(),
          settings: settings.get(),
          auth: auth.status(),
          now: new Date(),
        }),
    },
  };
}
