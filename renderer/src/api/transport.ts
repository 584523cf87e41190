import type { Envelope, EventName, MethodName } from '../../../shared/contract/index.ts';

/**
 * How the renderer reaches the main-process services. Two implementations: the Electron preload
 * bridge and the browser host's HTTP + WebSocket. The rest of the UI sees only `ConsoleClient`.
 */
export interface Transport {
  readonly kind: 'ipc' | 'http';
  invoke(method: MethodName, input: unknown): Promise<Envelope<unknown>>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
}
