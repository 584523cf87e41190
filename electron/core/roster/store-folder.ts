import { createHash } from 'node:crypto';

/**
 * The cache folder of a configured platform: its name carries a short hash of the URL, so
 * switching platforms never shows one university's roster under another's name.
 */
export function storeFolderFor(platformUrl: string | null): string {
  if (platformUrl === null) return 'store';
  const normalized = new URL(platformUrl).toString().replace(/\/+$/, '');
  return `store-${createHash('sha256').update(normalized).digest('hex').slice(0, 12)}`;
}
