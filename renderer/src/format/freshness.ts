const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * "refreshed 3 min ago" for the status bar. Coarse on purpose: the text is re-rendered on a
 * timer and a support person needs the order of magnitude, not the second.
 */
export function formatFreshness(lastRefreshedAt: string | null, now: number): string {
  if (lastRefreshedAt === null) return 'never refreshed';
  const at = Date.parse(lastRefreshedAt);
  if (Number.isNaN(at)) return 'refresh time unknown';
  // A host clock slightly ahead of ours must not read as "in 2 min".
  const age = Math.max(0, now - at);
  if (age < MINUTE) return 'refreshed just now';
  if (age < HOUR) return `refreshed ${Math.floor(age / MINUTE)} min ago`;
  if (age < DAY) return `refreshed ${Math.floor(age / HOUR)} h ago`;
  const days = Math.floor(age / DAY);
  return `refreshed ${days} ${days === 1 ? 'day' : 'days'} ago`;
}

/** The absolute time behind the relative text, for tooltips and screen readers. */
export function formatTimestamp(iso: string, locale?: string): string | null {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return null;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}
