import type { BrowserWindow } from 'electron';
import type { EventBus } from '../core/ipc/event-bus.ts';
import type { Logger } from '../core/log/logger.ts';
import { EVENT_CHANNEL_PREFIX } from '../../shared/contract/index.ts';

export type WindowSource = () => readonly BrowserWindow[];

/**
 * Pushes every core event to every open window on `console:event:<name>`. The bus has already
 * checked the payload against the contract; windows closing mid-send are skipped, not errors.
 */
export function forwardCoreEvents(
  bus: Pick<EventBus, 'subscribe'>,
  windows: WindowSource,
  logger: Logger,
): () => void {
  return bus.subscribe((name, payload) => {
    const channel = `${EVENT_CHANNEL_PREFIX}${name}`;
    for (const window of windows()) {
      if (window.isDestroyed() || window.webContents.isDestroyed()) continue;
      try {
        window.webContents.send(channel, payload);
      } catch (error) {
        logger.warn('event not delivered to a window', {
          event: name,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  });
}
