import type { ConsoleClient } from '../api/client.ts';
import { errorMessage } from '../format/errors.ts';

export type OpenExternalResult = { opened: true } | { opened: false; message: string };

/**
 * Every outside link goes through the core's allowlist. In Electron the core opens the system
 * browser; the browser host answers 'open-in-page' because only the page can open a tab there.
 */
export async function openExternal(
  client: ConsoleClient,
  url: string,
  openWindow: (url: string) => void = (u) => void window.open(u, '_blank', 'noopener,noreferrer'),
): Promise<OpenExternalResult> {
  try {
    const reply = await client.app.openExternal({ url });
    if (reply.opened) return { opened: true };
    if (reply.reason === 'open-in-page') {
      openWindow(url);
      return { opened: true };
    }
    return { opened: false, message: reply.reason ?? 'The console did not open the link.' };
  } catch (error) {
    return { opened: false, message: errorMessage(error) };
  }
}
