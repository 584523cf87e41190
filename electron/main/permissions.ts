import type { Session } from 'electron';
import type { Logger } from '../core/log/logger.ts';
import { isAppUrl } from './app-url.ts';

export type PermissionSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
>;

/**
 * The console needs no browser permission at all (no camera, notifications, clipboard read,
 * geolocation, HID, USB, serial...), so every request and every check is denied. Electron's
 * default is to grant most of them, which is why this must run before the first window exists.
 */
export function denyAllPermissions(session: PermissionSession, logger: Logger): void {
  session.setPermissionRequestHandler((_webContents, permission, callback) => {
    logger.warn('permission request denied', { permission });
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
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
