import {
  EnvelopeSchema,
  type Envelope,
  type EventName,
  type MethodName,
} from '../../../shared/contract/index.ts';
import { HOST_EVENTS_PATH, HOST_INVOKE_PATH } from '../../../shared/contract/bridge.ts';
import type { Transport } from './transport.ts';

function failure(code: 'unavailable' | 'unauthorized' | 'bad_reply', message: string): Envelope<never> {
  return { ok: false, error: { code, message, retryable: code === 'unavailable' } };
}

/**
 * The browser host's transport: one POST per call (the session cookie authenticates it) and one
 * WebSocket for all events, reconnected with backoff when the host restarts.
 */
export function createHttpTransport(base: URL = new URL(window.location.href)): Transport {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let socket: WebSocket | null = null;
  let retryMs = 500;

  const connect = (): void => {
    const url = new URL(HOST_EVENTS_PATH, base);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      retryMs = 500;
    };
    ws.onmessage = (message) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(message.data));
      } catch {
        return;
      }
      if (typeof parsed !== 'object' || parsed === null) return;
      const { event, payload } = parsed as { event?: unknown; payload?: unknown };
      const set = listeners.get(event as EventName);
      if (set) for (const listener of set) listener(payload);
    };
    ws.onclose = () => {
      socket = null;
      if (listeners.size === 0) return;
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 10_000);
    };
  };

  return {
    kind: 'http',
    async invoke(method: MethodName, input: unknown): Promise<Envelope<unknown>> {
      let response: Response;
      try {
        response = await fetch(new URL(`${HOST_INVOKE_PATH}${method}`, base), {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(input ?? {}),
        });
      } catch {
        return failure('unavailable', 'The console host did not answer. Is `npm run serve` still running?');
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        return failure('bad_reply', `The console host answered ${response.status} without a readable body.`);
      }
      const envelope = EnvelopeSchema.safeParse(body);
      if (!envelope.success) return failure('bad_reply', 'The console host answered in an unexpected shape.');
      return envelope.data as Envelope<unknown>;
    },
    subscribe(event: EventName, listener: (payload: unknown) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      if (socket === null) connect();
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(event);
        if (listeners.size === 0 && socket) socket.close();
      };
    },
  };
}
