import type { IpcMain, IpcMainInvokeEvent, WebFrameMain } from 'electron';
import type { ConsoleCore } from '../core/compose.ts';
import type { Logger } from '../core/log/logger.ts';
import { INVOKE_CHANNEL_PREFIX, methodNames, type Envelope } from '../../shared/contract/index.ts';
import { isAppUrl } from './app-url.ts';

type FrameIdentity = Partial<Pick<WebFrameMain, 'processId' | 'routingId'>>;

/**
 * Electron hands out one wrapper object per live frame, so identity normally decides; the
 * process and routing ids (which together name a frame) cover a wrapper created afresh.
 */
function isSameFrame(a: FrameIdentity, b: FrameIdentity): boolean {
  if (a === b) return true;
  return (
    typeof a.processId === 'number' &&
    typeof a.routingId === 'number' &&
    a.processId === b.processId &&
    a.routingId === b.routingId
  );
}

export type SenderVerdict = { trusted: true } | { trusted: false; reason: string };

/**
 * Only the app's own top-level page may call the core: not an iframe (even one of ours), not a
 * page that somehow navigated to another origin, not a frame that has gone away. The frame is
 * read from the event, never from anything the renderer sent.
 */
export function checkSender(event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>): SenderVerdict {
  try {
    const frame = event.senderFrame;
    if (!frame) return { trusted: false, reason: 'no sender frame' };
    if (frame.parent !== null) return { trusted: false, reason: 'not the main frame' };
    const mainFrame = event.sender?.mainFrame;
    if (mainFrame && !isSameFrame(mainFrame, frame)) return { trusted: false, reason: 'not the main frame' };
    if (!isAppUrl(frame.url)) return { trusted: false, reason: 'foreign origin' };
    return { trusted: true };
  } catch {
    // Electron throws when a frame or its web contents was destroyed while the call was in flight.
    return { trusted: false, reason: 'sender frame gone' };
  }
}

function badSender(): Envelope<never> {
  return {
    ok: false,
    error: { code: 'bad_sender', message: 'This request did not come from the console window.' },
  };
}

function internalError(): Envelope<never> {
  return {
    ok: false,
    error: {
      code: 'internal',
      message: 'Something went wrong inside the console. The details are in the log.',
    },
  };
}

export type IpcCore = Pick<ConsoleCore, 'dispatch' | 'operator'>;

/**
 * One `console:invoke:<method>` handler per contract method. A handler always resolves to an
 * envelope: a rejected invoke would surface in the renderer as an Error whose text Electron
 * builds itself, outside the contract.
 */
export function registerIpcHandlers(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  core: IpcCore,
  logger: Logger,
): () => void {
  const channels: string[] = [];
  for (const method of methodNames) {
    const channel = `${INVOKE_CHANNEL_PREFIX}${method}`;
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, input: unknown): Promise<Envelope<unknown>> => {
      try {
        const verdict = checkSender(event);
        if (!verdict.trusted) {
          logger.warn('ipc call refused: bad sender', { method, reason: verdict.reason });
          return badSender();
        }
        return await core.dispatch(method, input, { transport: 'ipc', operator: core.operator() });
      } catch (error) {
        logger.error('ipc handler crashed', {
          method,
          error: error instanceof Error ? error.message : String(error),
        });
        return internalError();
      }
    });
    channels.push(channel);
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
