import type { WebContents } from 'electron';
import type { Logger } from '../core/log/logger.ts';
import { isAppUrl } from './app-url.ts';

function schemeOf(rawUrl: string): string {
  try {
    return new URL(rawUrl).protocol;
  } catch {
    return 'unreadable';
  }
}

/**
 * Applied to every web contents the app ever creates (`app.on('web-contents-created')`), so a
 * window added later cannot forget it:
 * - navigation and redirects may not leave `app://console` (a page that navigated elsewhere would
 *   keep the preload's bridge);
 * - `window.open` and `target=_blank` open nothing: links leave through the core's allowlisted
 *   `app.openExternal`;
 * - `<webview>` is never attached.
 * URLs are not logged, only their scheme: a link in a message could carry personal data.
 */
export function guardWebContents(contents: WebContents, logger: Logger): void {
  const refuseNavigation = (kind: string) => (event: { preventDefault(): void; url: string }) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    logger.warn(`${kind} blocked`, { scheme: schemeOf(event.url) });
  };
  contents.on('will-navigate', refuseNavigation('navigation'));
  contents.on('will-frame-navigate', refuseNavigation('frame navigation'));
  contents.on('will-redirect', refuseNavigation('redirect'));
  contents.setWindowOpenHandler(({ url }) => {
    logger.warn('window.open denied', { scheme: schemeOf(url) });
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    logger.warn('webview attach denied');
  });
}
