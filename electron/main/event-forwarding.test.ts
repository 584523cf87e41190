import type { BrowserWindow } from 'electron';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../core/ipc/event-bus.ts';
import { createMemoryLogger } from '../core/log/logger.ts';
import { forwardCoreEvents } from './event-forwarding.ts';
import { createFakeElectron } from './test-support/fake-electron.ts';

describe('core events to windows', () => {
  it('sends each event to every live window on console:event:<name> and stops on unsubscribe', () => {
    const fake = createFakeElectron();
    const logger = createMemoryLogger();
    const bus = new EventBus(logger);
    const a = new fake.module.BrowserWindow({});
    const b = new fake.module.BrowserWindow({});
    const closed = new fake.module.BrowserWindow({});
    closed.webContents.destroyed = true;
    const stop = forwardCoreEvents(
      bus,
      () => fake.module.BrowserWindow.getAllWindows() as unknown as BrowserWindow[],
      logger,
    );

    bus.emit('preferences.changed', { theme: 'dark', navCollapsed: true });
    for (const window of [a, b]) {
      expect(window.webContents.send).toHaveBeenCalledExactlyOnceWith('console:event:preferences.changed', {
        theme: 'dark',
        navCollapsed: true,
      });
    }
    expect(closed.webContents.send).not.toHaveBeenCalled();

    stop();
    bus.emit('preferences.changed', { theme: 'light', navCollapsed: false });
    expect(a.webContents.send).toHaveBeenCalledTimes(1);
  });

  it('keeps delivering to other windows when one send throws', () => {
    const fake = createFakeElectron();
    const logger = createMemoryLogger();
    const bus = new EventBus(logger);
    const broken = new fake.module.BrowserWindow({});
    const healthy = new fake.module.BrowserWindow({});
    broken.webContents.send.mockImplementation(() => {
      throw new Error('Object has been destroyed');
    });
    forwardCoreEvents(bus, () => [broken, healthy] as unknown as BrowserWindow[], logger);
    bus.emit('preferences.changed', { theme: 'dark', navCollapsed: false });
    expect(healthy.webContents.send).toHaveBeenCalledTimes(1);
    expect(logger.lines.some((line) => line.includes('event not delivered'))).toBe(true);
  });
});
