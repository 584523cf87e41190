import { readFileSync } from 'node:fs';

/**
 * What a settings file holds when it is valid JSON but not an object of settings (`null`, an array, a
 * number…), in words for the log; null when it is an object, absent, unreadable or not JSON (the store's own
 * open reports those). Both hosts move such a file aside rather than silently running on defaults.
 */
export function notAnObjectOfSettings(file: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? null : `a ${typeof value}`;
}
