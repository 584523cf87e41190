import { describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  exposed: [] as Array<[string, unknown]>,
  ipcRenderer: {
    invoke: async (channel: string) => ({ ok: true, value: channel }),
    on: () => undefined,
    removeListener: () => undefined,
    send: () => {
      throw new Error('the page must never get raw send');
    },
  },
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void electron.exposed.push([key, api]) },
  ipcRenderer: electron.ipcRenderer,
}));

describe('electron/preload/index.ts', () => {
  it('exposes consoleApi and nothing else', async () => {
    await import('./index.ts');
    expect(electron.exposed.map(([key]) => key)).toEqual(['consoleApi']);
    const api = electron.exposed[0]?.[1] as Record<string, unknown>;
    expect(api).not.toHaveProperty('invoke');
    expect(api).not.toHaveProperty('send');
    expect(api).not.toHaveProperty('ipcRenderer');
    await expect((api.app as { info: (input: unknown) => Promise<unknown> }).info({})).resolves.toEqual({
      ok: true,
      value: 'console:invoke:app.info',
    });
  });
});
