import type { App, Shell } from 'electron';
import type { CoreCapabilities } from '../core/compose.ts';
import type { Logger } from '../core/log/logger.ts';
import type { KeyValueStore } from '../core/preferences/preferences-service.ts';

export interface ElectronCapabilityDeps {
  app: Pick<App, 'getName' | 'getVersion'>;
  shell: Pick<Shell, 'openExternal'>;
  store: KeyValueStore;
  logger: Logger;
}

/**
 * Electron's real capabilities, handed to the core (which never imports `electron`).
 * `openExternal` is only ever reached after the core's allowlist accepted the URL.
 */
export function electronCapabilities(deps: ElectronCapabilityDeps): CoreCapabilities {
  return {
    host: 'electron',
    productName: deps.app.getName(),
    version: deps.app.getVersion(),
    logger: deps.logger,
    store: deps.store,
    openExternal: (url) => deps.shell.openExternal(url),
  };
}
