import { describe, expect, it, vi } from 'vitest';
import { createMemoryLogger } from '../core/log/logger.ts';
import { createMemoryStore } from '../core/preferences/preferences-service.ts';
import { electronCapabilities, openVettedUrl } from './capabilities.ts';

describe('Electron capabilities for the core', () => {
  it('names the app from Electron and opens links through shell.openExternal', async () => {
    const shell = { openExternal: vi.fn(async () => {}) };
    const capabilities = electronCapabilities({
      app: { getName: () => 'Calendar Sync Migration Console', getVersion: () => '1.0.0' },
      shell,
      store: createMemoryStore(),
      logger: createMemoryLogger(),
    });
    expect(capabilities).toMatchObject({
      host: 'electron',
      productName: 'Calendar Sync Migration Console',
      version: '1.0.0',
    });
    await capabilities.openExternal?.('https://learn.microsoft.com/graph');
    expect(shell.openExternal).toHaveBeenCalledExactlyOnceWith('https://learn.microsoft.com/graph');
  });

  it('never hands a non-https URL to the operating system, even if called directly', async () => {
    const shell = { openExternal: vi.fn(async () => {}) };
    for (const url of [
      'file:///C:/Windows/System32/calc.exe',
      'smb://host/share',
      'ms-msdt:/id',
      'http://example.edu/',
      'javascript:alert(1)',
      'not a url',
    ]) {
      await expect(openVettedUrl(shell, url), url).rejects.toMatchObject({ name: 'ConsoleError' });
    }
    expect(shell.openExternal).not.toHaveBeenCalled();
  });
});
