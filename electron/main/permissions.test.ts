import type { Session } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { createMemoryLogger } from '../core/log/logger.ts';
import { blockNonAppRequests, denyAllPermissions, isAllowedRendererRequest } from './permissions.ts';
import { createFakeElectron } from './test-support/fake-electron.ts';

describe('permissions', () => {
  it('denies every permission request, check and device request', () => {
    const { defaultSession } = createFakeElectron();
    const logger = createMemoryLogger();
    denyAllPermissions(defaultSession as unknown as Session, logger);
    for (const permission of [
      'media',
      'notifications',
      'geolocation',
      'clipboard-read',
      'openExternal',
      'fullscreen',
      'hid',
      'unknown',
    ]) {
      const callback = vi.fn();
      defaultSession.permissionRequestHandler?.({}, permission, callback, {});
      expect(callback, permission).toHaveBeenCalledExactlyOnceWith(false);
      expect(defaultSession.permissionCheckHandler?.({}, permission, 'app://console', {}), permission).toBe(
        false,
      );
    }
    expect(defaultSession.devicePermissionHandler?.({ deviceType: 'usb', origin: 'app://console' })).toBe(
      false,
    );
    expect(logger.lines.filter((line) => line.includes('permission request denied'))).toHaveLength(8);
  });

  it('lets only our own page write plain text to the clipboard', () => {
    const { defaultSession } = createFakeElectron();
    denyAllPermissions(defaultSession as unknown as Session, createMemoryLogger());
    const request = (requestingUrl: string) => {
      const callback = vi.fn();
      defaultSession.permissionRequestHandler?.({}, 'clipboard-sanitized-write', callback, { requestingUrl });
      return callback.mock.calls[0]?.[0] as boolean;
    };
    expect(request('app://console/index.html')).toBe(true);
    expect(request('https://evil.example/')).toBe(false);
    expect(request('app://other/index.html')).toBe(false);
    expect(
      defaultSession.permissionCheckHandler?.({}, 'clipboard-sanitized-write', 'app://console', {}),
    ).toBe(true);
    expect(
      defaultSession.permissionCheckHandler?.({}, 'clipboard-sanitized-write', 'https://evil.example', {}),
    ).toBe(false);
    expect(defaultSession.permissionCheckHandler?.({}, 'clipboard-read', 'app://console', {})).toBe(false);
  });

  it('cancels every renderer request that is not app://console or DevTools', () => {
    const { defaultSession } = createFakeElectron();
    blockNonAppRequests(defaultSession as unknown as Session, createMemoryLogger());
    const verdict = (url: string) => {
      const callback = vi.fn();
      defaultSession.beforeRequest?.({ url, resourceType: 'xhr' }, callback);
      return callback.mock.calls[0]?.[0] as { cancel?: boolean };
    };
    expect(verdict('app://console/assets/index.js')).toEqual({});
    expect(verdict('devtools://devtools/bundled/inspector.html')).toEqual({});
    for (const url of [
      'https://graph.microsoft.com/v1.0/me',
      'http://127.0.0.1:8080/',
      'wss://x.example/',
      'file:///etc/passwd',
      'app://other/x',
      'data:text/html,hi',
      'not a url',
    ]) {
      expect(verdict(url), url).toEqual({ cancel: true });
    }
    expect(isAllowedRendererRequest('chrome-extension://abc/x.js')).toBe(true);
  });
});
