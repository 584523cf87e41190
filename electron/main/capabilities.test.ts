import { describe, expect, it, vi } from 'vitest';
import { createMemoryLogger } from '../core/log/logger.ts';
import { createMemoryStore } from '../core/preferences/preferences-service.ts';
import { electronCapabilities, openVettedUrl, saveDialogChooser } from './capabilities.ts';

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

  it('asks where to save through the save dialog, over the window, starting in Downloads', async () => {
    const dialog = {
      showSaveDialog: vi.fn(async (..._args: unknown[]) => ({
        canceled: false,
        filePath: '/home/ada/roster.csv',
      })),
    };
    const window = { id: 1 } as unknown as Electron.BaseWindow;
    const choose = saveDialogChooser(dialog as never, () => window, '/home/ada/Downloads');
    expect(await choose('roster-2026-11-02.csv')).toBe('/home/ada/roster.csv');
    expect(dialog.showSaveDialog).toHaveBeenCalledExactlyOnceWith(
      window,
      expect.objectContaining({
        defaultPath: '/home/ada/Downloads/roster-2026-11-02.csv',
        filters: [expect.objectContaining({ extensions: ['csv'] })],
      }),
    );
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: true, filePath: '' });
    expect(await choose('roster.csv')).toBeNull();
    // Without a window the dialog is shown on its own.
    await saveDialogChooser(dialog as never)('roster.csv');
    expect(dialog.showSaveDialog).toHaveBeenLastCalledWith(
      expect.objectContaining({ defaultPath: 'roster.csv' }),
    );
  });

  it('gives the core a chooseSaveFile only where there is a dialog', () => {
    const base = {
      app: { getName: () => 'Console', getVersion: () => '1.0.0' },
      shell: { openExternal: vi.fn(async () => {}) },
      store: createMemoryStore(),
      logger: createMemoryLogger(),
    };
    expect(electronCapabilities(base).chooseSaveFile).toBeUndefined();
    const dialog = { showSaveDialog: vi.fn(async () => ({ canceled: true, filePath: '' })) };
    expect(electronCapabilities({ ...base, dialog: dialog as never }).chooseSaveFile).toBeTypeOf('function');
  });
});
