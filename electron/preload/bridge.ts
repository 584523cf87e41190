import type { IpcRenderer, IpcRendererEvent } from 'electron';
import {
  EVENT_CHANNEL_PREFIX,
  INVOKE_CHANNEL_PREFIX,
  eventNames,
  methodNames,
  splitMethodName,
  type Envelope,
} from '../../shared/contract/index.ts';
import type { PreloadBridge } from '../../shared/contract/bridge.ts';

export type BridgeIpc = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

function unavailable(): Envelope<never> {
  return {
    ok: false,
    error: {
      code: 'unavailable',
      message: 'The console could not reach its main process. Restart the app.',
      retryable: true,
    },
  };
}

/**
 * `window.consoleApi`, built from the contract's names: one function per method and one
 * subscribe function per event. The page never gets `ipcRenderer`, an `IpcRendererEvent` (whose
 * `sender` is the ipcRenderer itself) or a way to name a channel: channels are fixed here.
 */
export function createPreloadBridge(ipc: BridgeIpc): PreloadBridge {
  const bridge: Record<string, Record<string, unknown>> = {};
  for (const name of methodNames) {
    const [ns, fn] = splitMethodName(name);
    const group = (bridge[ns] ??= {});
    const channel = `${INVOKE_CHANNEL_PREFIX}${name}`;
    group[fn] = (input: unknown): Promise<Envelope<unknown>> =>
      // The main process always answers an envelope; a rejection means it never answered.
      (ipc.invoke(channel, input) as Promise<Envelope<unknown>>).catch(unavailable);
  }
  const on: Record<string, (listener: (payload: unknown) => void) => () => void> = {};
  for (const name of eventNames) {
    const channel = `${EVENT_CHANNEL_PREFIX}${name}`;
    on[name] = (listener) => {
      if (typeof listener !== 'function') throw new TypeError(`consoleApi.on['${name}'] needs a function.`);
      const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
      ipc.on(channel, forward);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipc.removeListener(channel, forward);
      };
    };
  }
  for (const group of Object.values(bridge)) Object.freeze(group);
  return Object.freeze({ ...bridge, on: Object.freeze(on) }) as unknown as PreloadBridge;
}
