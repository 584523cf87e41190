import {
  ConsoleError,
  methodNames,
  splitMethodName,
  type ConsoleApi,
  type EventName,
  type EventPayload,
} from '../../../shared/contract/index.ts';
import type { PreloadBridge } from '../../../shared/contract/bridge.ts';
import { createHttpTransport } from './http-transport.ts';
import { createIpcTransport } from './ipc-transport.ts';
import type { Transport } from './transport.ts';

export type ConsoleClient = ConsoleApi & {
  readonly transport: Transport['kind'];
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

/** Builds `client.app.info(...)` etc. from the contract; each call resolves the value or throws ConsoleError. */
export function createConsoleClient(transport: Transport): ConsoleClient {
  const api: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {};
  for (const name of methodNames) {
    const [ns, fn] = splitMethodName(name);
    api[ns] ??= {};
    api[ns][fn] = async (input: unknown) => {
      const reply = await transport.invoke(name, input ?? {});
      if (reply.ok) return reply.value;
      throw ConsoleError.fromApiError(reply.error);
    };
  }
  return Object.assign(api as unknown as ConsoleApi, {
    transport: transport.kind,
    subscribe: <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) =>
      transport.subscribe(event, listener as (payload: unknown) => void),
  });
}

declare global {
  interface Window {
    consoleApi?: PreloadBridge;
  }
}

/** Electron gives us the preload bridge; anywhere else we are inside the browser host. */
export function pickTransport(): Transport {
  return window.consoleApi ? createIpcTransport(window.consoleApi) : createHttpTransport();
}
