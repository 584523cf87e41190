export { KeyedSemaphore } from '../net/keyed-semaphore.ts';

/** The mailbox a Graph URL addresses: `/users/{upn}/…` → upn (lower case), `/me/…` → `me`. */
export function mailboxOf(url: string, basePath: string): string {
  const path = new URL(url).pathname;
  const rest = path.startsWith(basePath) ? path.slice(basePath.length) : path;
  const users = /^\/users\/([^/?]+)/i.exec(rest);
  if (users?.[1]) {
    let id = users[1];
    try {
      id = decodeURIComponent(id);
    } catch {
      // keep the raw segment
    }
    return id.replace(/^\('?|'?\)$/g, '').toLowerCase();
  }
  if (/^\/me(\/|$)/i.test(rest)) return 'me';
  return '*';
}
