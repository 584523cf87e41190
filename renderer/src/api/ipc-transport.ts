import {
  splitMethodName,
  type Envelope,
  type EventName,
  type MethodName,
} from '../../../shared/contract/index.ts';
import type { PreloadBridge } from '../../../shared/contract/bridge.ts';
import type { Transport } from './transport.ts';

export function createIpcTransport(bridge: PreloadBridge): Transport {
  return {
    kind: 'ipc',
    invoke(method: MethodName, input: unknown): Promise<Envelope<unknown>> {
      const [ns, fn] = splitMethodName(method);
      const group = (
        bridge as unknown as Record<string, Record<string, (input: unknown) => Promise<Envelope<unknown>>>>
      )[ns];
      const call = group?.[fn];
      if (!call)
        return Promise.resolve({
          ok: false,
          error: { code: 'unknown_method', message: `The app does not offer ${method}.` },
        });
      return call(input);
    },
    subscribe(event: EventName, listener: (payload: unknown) => void): () => void {
      const on = bridge.on[event] as (listener: (payload: unknown) => void) => () => void;
      return on(listener);
    },
  };
}
