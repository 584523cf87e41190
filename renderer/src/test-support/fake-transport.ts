import type { Envelope, EventName, MethodName } from '../../../shared/contract/index.ts';
import type { Transport } from '../api/transport.ts';

type Handler = (input: unknown) => Envelope<unknown> | Promise<Envelope<unknown>>;

/**
 * A transport for renderer tests: answers from per-method handlers (an unhandled method fails like
 * the real host would) and lets the test push events. It records every call it receives.
 */
export function createFakeTransport(handlers: Partial<Record<MethodName, Handler>>) {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const calls: { method: MethodName; input: unknown }[] = [];
  const transport: Transport = {
    kind: 'http',
    async invoke(method, input) {
      calls.push({ method, input });
      const handler = handlers[method];
      if (!handler)
        return { ok: false, error: { code: 'unknown_method', message: `No fake for ${method}.` } };
      return handler(input);
    },
    subscribe(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  return {
    transport,
    calls,
    handlers,
    emit(event: EventName, payload: unknown): void {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
    listenerCount(event: EventName): number {
      return listeners.get(event)?.size ?? 0;
    },
  };
}

export const ok = <T>(value: T): Envelope<T> => ({ ok: true, value });
