import type { WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../core/log/logger.ts';
import { FakeWebContents, makeNavigationEvent } from './test-support/fake-electron.ts';
import { guardWebContents } from './web-contents-guards.ts';

function guarded() {
  const contents = new FakeWebContents();
  const logger = createMemoryLogger();
  guardWebContents(contents as unknown as WebContents, logger);
  return { contents, logger };
}

describe('web contents guards', () => {
  for (const eventName of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
    it(`${eventName}: stays inside app://console, blocks everything else`, () => {
      const { contents } = guarded();
      const inside = makeNavigationEvent('app://console/index.html#/users');
      contents.emit(eventName, inside);
      expect(inside.defaultPrevented).toBe(false);
      for (const url of [
        'https://evil.example/',
        'file:///etc/passwd',
        'app://evil/index.html',
        'javascript:alert(1)',
        'http://localhost:5173/',
        '',
      ]) {
        const away = makeNavigationEvent(url);
        contents.emit(eventName, away);
        expect(away.defaultPrevented, url).toBe(true);
      }
    });
  }

  it('denies window.open for every URL, including our own, and logs only the scheme', () => {
    const { contents, logger } = guarded();
    for (const url of [
      'https://learn.microsoft.com/graph?user=alice@example.edu',
      'app://console/index.html',
      'about:blank',
    ]) {
      expect(contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
    expect(logger.lines.join('\n')).not.toContain('alice@example.edu');
    expect(logger.lines.join('\n')).toContain('"scheme":"https:"');
  });

  it('refuses to attach a webview', () => {
    const { contents } = guarded();
    const event = makeNavigationEvent('');
    contents.emit('will-attach-webview', event, { nodeIntegration: true }, { src: 'https://evil.example/' });
    expect(event.defaultPrevented).toBe(true);
  });
});
