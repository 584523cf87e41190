import type { DataSourceService } from '../data-source/data-source-service.ts';
import type { Feature } from '../feature.ts';
import type { Logger } from '../log/logger.ts';
import { checkExternalUrl } from '../security/external-links.ts';

export interface AppFeatureOptions {
  logger: Logger;
  productName: string;
  version: string;
  host: 'electron' | 'browser' | 'cli';
  dataSource: DataSourceService;
  /** Opens a vetted URL in the system browser; null where the UI opens links itself (browser host). */
  openExternal: ((url: string) => Promise<void>) | null;
  /** The hosts links may go to now (defaults, the host's extras, the configured platform and help article). */
  externalHosts: () => string[];
}

/** What the shell asks of the core: who it is, and links out through the allowlist. */
export function createAppFeature(options: AppFeatureOptions): Feature<'app.info' | 'app.openExternal'> {
  const { logger, dataSource, openExternal } = options;
  return {
    name: 'app',
    handlers: {
      'app.info': () => ({
        productName: options.productName,
        version: options.version,
        host: options.host,
        dataSource: dataSource.state(),
      }),
      'app.openExternal': async ({ url }) => {
        const verdict = checkExternalUrl(url, options.externalHosts());
        if (!verdict.allowed || verdict.url === null) {
          logger.warn('external link refused', { reason: verdict.reason });
          return { opened: false, reason: verdict.reason };
        }
        if (openExternal === null) return { opened: false, reason: 'open-in-page' };
        await openExternal(verdict.url);
        return { opened: true, reason: null };
      },
    },
  };
}
