import { events, type EventName, type EventPayload } from '../../../shared/contract/index.ts';
import type { Logger } from '../log/logger.ts';

export type EventListener = (name: EventName, payload: unknown) => void;

/**
 * Typed events from the core to every attached UI (Electron windows, browser-host sockets).
 * Payloads are checked against the contract before they leave, like handler outputs.
 */
export class EventBus {
  private readonly listeners = new Set<EventListener>();
  private readonly logger: Logger;

  constructor(logger: Logger) {
    this.logger = logger;
  }

  emit<K extends EventName>(name: K, payload: EventPayload<K>): void {
    const checked = events[name].payload.safeParse(payload);
    if (!checked.success) {
      this.logger.error('event payload outside the contract; not sent', { event: name });
      return;
    }
    for (const listener of this.listeners) {
      try {
        listener(name, checked.data);
      } catch (error) {
        this.logger.warn('event listener failed', {
          event: name,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
