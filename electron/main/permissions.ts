import type { Session } from 'electron';
import type { Logger } from '../core/log/logger.ts';
import { isAppUrl } from './app-url.ts';

export type PermissionSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
>;

/**
 * The console needs one browser permission: writing plain text to the clipboard (the sign-in
 * dialog's "Copy code"), and only for our own page. Everything else (camera, notifications,
 * clipboard read, geolocation, HID, USB, serial...) is denied, every request and every check.
 * Electron's default is to grant most of them, which is why this must run before the first window.
 */
const GRANTED_TO_APP: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function denyAllPermissions(session: PermissionSession, logger: Logger): void {
  session.setPermissionRequestHandler((webContents, permission, callback, details) => {
    const requester =
      (details as { requestingUrl?: string } | undefined)?.requestingUrl ?? webContents?.getURL?.();
    if (GRANTED_TO_APP.has(permission) && isAppUrl(requester)) {
      callback(true);
      return;
    }
    logger.warn('permission request denied', { permission });
    callback(false);
  });
  session.setPermissionCheckHandler(
    (_webContents, permission, requestingOrigin) =>
      GRANTED_TO_APP.has(permission) && isAppUrl(requestingOrigin),
  );
  session.setDevicePermissionHandler(() => false);
}

/** Schemes Chromium itself uses for DevTools; they never carry network traffic. */
const INTERNAL_SCHEMES = new Set(['devtools:', 'chrome-extension:']);

export function isAllowedRendererRequest(rawUrl: string): boolean {
  if (isAppUrl(rawUrl)) return true;
  try {
    return INTERNAL_SCHEMES.has(new URL(rawUrl).protocol);
  } catch {
    return false;
  }
}

/**
 * Belt and braces behind the CSP: the renderer talks to the main process over IPC only, so any
 * request it makes to http(s), ws(s), file: or another scheme is cancelled at the session. The
 * core's own network traffic (Graph, the platform) goes through Node, not this session.
 */
export function blockNonAppRequests(session: Pick<Session, 'webRequest'>, logger: Logger): void {
  session.webRequest.onBeforeRequest((details, callback) => {
    if (isAllowedRendererRequest(details.url)) {
      callback({});
      return;
    }
    let scheme = 'unreadable';
    try {
      scheme = new URL(details.url).protocol;
    } catch {
      // keep 'unreadable'
    }
    logger.warn('renderer request cancelled', { scheme, resourceType: details.resourceType });
    callback({ cancel: true });
  });
}
