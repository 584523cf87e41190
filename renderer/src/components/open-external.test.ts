// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { createConsoleClient } from '../api/client.ts';
import { createFakeTransport, ok } from '../test-support/fake-transport.ts';
import { openExternal } from './open-external.ts';

const URL_ = 'https://learn.microsoft.com/en-us/outlook/rest/compare-graph';

describe('openExternal', () => {
  it('is done when the desktop app opened the system browser', async () => {
    const openWindow = vi.fn();
    const fake = createFakeTransport({ 'app.openExternal': () => ok({ opened: true, reason: null }) });
    await expect(openExternal(createConsoleClient(fake.transport), URL_, openWindow)).resolves.toEqual({
      opened: true,
    });
    expect(openWindow).not.toHaveBeenCalled();
    expect(fake.calls).toEqual([{ method: 'app.openExternal', input: { url: URL_ } }]);
  });

  it('opens a new tab itself when the browser host says so', async () => {
    const openWindow = vi.fn();
    const fake = createFakeTransport({
      'app.openExternal': () => ok({ opened: false, reason: 'open-in-page' }),
    });
    await expect(openExternal(createConsoleClient(fake.transport), URL_, openWindow)).resolves.toEqual({
      opened: true,
    });
    expect(openWindow).toHaveBeenCalledWith(URL_);
  });

  it('defaults to window.open without opener or referrer', async () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    const fake = createFakeTransport({
      'app.openExternal': () => ok({ opened: false, reason: 'open-in-page' }),
    });
    await openExternal(createConsoleClient(fake.transport), URL_);
    expect(open).toHaveBeenCalledWith(URL_, '_blank', 'noopener,noreferrer');
    open.mockRestore();
  });

  it('passes on the allowlist’s reason for a refused link, and never opens it', async () => {
    const openWindow = vi.fn();
    const reason = "Links to evil.example are not on the console's allowlist.";
    const fake = createFakeTransport({ 'app.openExternal': () => ok({ opened: false, reason }) });
    await expect(
      openExternal(createConsoleClient(fake.transport), 'https://evil.example/', openWindow),
    ).resolves.toEqual({
      opened: false,
      message: reason,
    });
    expect(openWindow).not.toHaveBeenCalled();
  });

  it('reports a failed call with its message', async () => {
    const fake = createFakeTransport({
      'app.openExternal': () => ({
        ok: false,
        error: { code: 'unavailable', message: 'The console host did not answer.' },
      }),
    });
    await expect(openExternal(createConsoleClient(fake.transport), URL_, vi.fn())).resolves.toEqual({
      opened: false,
      message: 'The console host did not answer.',
    });
  });
});
