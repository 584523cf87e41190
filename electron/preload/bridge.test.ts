import { describe, expect, it, vi } from 'vitest';
import { eventNames, methodNames, splitMethodName } from '../../shared/contract/index.ts';
import { createPreloadBridge, type BridgeIpc } from './bridge.ts';

type Forward = (event: unknown, payload: unknown) => void;

function fakeIpcRenderer() {
  const listeners = new Map<string, Set<Forward>>();
  const ipc = {
    invoke: vi.fn(async (channel: string, input: unknown) => ({ ok: true, value: { channel, input } })),
    on: vi.fn((channel: string, listener: Forward) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
      return ipc;
    }),
    removeListener: vi.fn((channel: string, listener: Forward) => {
      listeners.get(channel)?.delete(listener);
      return ipc;
    }),
  };
  const emit = (channel: string, payload: unknown) => {
    const sender = { secret: 'the ipcRenderer itself' };
    for (const listener of listeners.get(channel) ?? []) listener({ sender, ports: [] }, payload);
  };
  return { ipc, emit, listeners };
}

describe('preload bridge', () => {
  it('has exactly one function per contract method, grouped by namespace, plus on', () => {
    const { ipc } = fakeIpcRenderer();
    const bridge = createPreloadBridge(ipc as unknown as BridgeIpc) as unknown as Record<
      string,
      Record<string, unknown>
    >;
    const expected: Record<string, string[]> = {};
    for (const name of methodNames) {
      const [ns, fn] = splitMethodName(name);
      (expected[ns] ??= []).push(fn);
    }
    expect(Object.keys(bridge).sort()).toEqual([...Object.keys(expected), 'on'].sort());
    for (const [ns, fns] of Object.entries(expected)) {
      expect(Object.keys(bridge[ns] ?? {}).sort()).toEqual(fns.sort());
      for (const fn of fns) expect(typeof bridge[ns]?.[fn]).toBe('function');
    }
    expect(Object.keys(bridge.on ?? {}).sort()).toEqual([...eventNames].sort());
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.isFrozen(bridge.on)).toBe(true);
  });

  it('invokes console:invoke:<method> with the input and returns the envelope', async () => {
    const { ipc } = fakeIpcRenderer();
    const bridge = createPreloadBridge(ipc as unknown as BridgeIpc);
    await expect(bridge.preferences.set({ theme: 'dark' })).resolves.toEqual({
      ok: true,
      value: { channel: 'console:invoke:preferences.set', input: { theme: 'dark' } },
    });
    expect(ipc.invoke).toHaveBeenCalledExactlyOnceWith('console:invoke:preferences.set', { theme: 'dark' });
  });

  it('turns a failed invoke into an unavailable envelope instead of a rejection', async () => {
    const { ipc } = fakeIpcRenderer();
    ipc.invoke.mockRejectedValueOnce(new Error("No handler registered for 'console:invoke:app.info'"));
    const bridge = createPreloadBridge(ipc as unknown as BridgeIpc);
    await expect(bridge.app.info({})).resolves.toMatchObject({
      ok: false,
      error: { code: 'unavailable', retryable: true },
    });
  });

  it('delivers event payloads without the IpcRendererEvent, and unsubscribes once', () => {
    const { ipc, emit, listeners } = fakeIpcRenderer();
    const bridge = createPreloadBridge(ipc as unknown as BridgeIpc);
    const received: unknown[][] = [];
    const unsubscribe = bridge.on['preferences.changed']((...args: unknown[]) => void received.push(args));
    emit('console:event:preferences.changed', { theme: 'dark', navCollapsed: false });
    expect(received).toEqual([[{ theme: 'dark', navCollapsed: false }]]);
    unsubscribe();
    unsubscribe();
    expect(ipc.removeListener).toHaveBeenCalledTimes(1);
    expect(listeners.get('console:event:preferences.changed')?.size).toBe(0);
    emit('console:event:preferences.changed', { theme: 'light', navCollapsed: false });
    expect(received).toHaveLength(1);
  });

  it('refuses a listener that is not a function', () => {
    const { ipc } = fakeIpcRenderer();
    const bridge = createPreloadBridge(ipc as unknown as BridgeIpc);
    expect(() => bridge.on['app.dataSource']('nope' as never)).toThrow(TypeError);
    expect(ipc.on).not.toHaveBeenCalled();
  });
});
