/** The `Prefer` header (RFC 7240) as Graph reads it: `IdType="ImmutableId"`, `odata.maxpagesize=50`. */
export interface Preferences {
  immutableIds: boolean;
  maxPageSize: number | undefined;
}

export function parsePrefer(header: string | undefined): Preferences {
  const prefs: Preferences = { immutableIds: false, maxPageSize: undefined };
  for (const part of (header ?? '').split(',')) {
    const [rawName, ...rest] = part.split('=');
    const name = (rawName ?? '').trim().toLowerCase();
    const value = rest
      .join('=')
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (name === 'idtype' && value.toLowerCase() === 'immutableid') prefs.immutableIds = true;
    if (name === 'odata.maxpagesize' && /^\d+$/.test(value)) prefs.maxPageSize = Number(value);
  }
  return prefs;
}

/** What to echo in `Preference-Applied` for the preferences a handler honoured. */
export function preferenceApplied(applied: {
  immutableIds?: boolean;
  maxPageSize?: number;
}): Record<string, string> {
  const parts: string[] = [];
  if (applied.immutableIds) parts.push('IdType="ImmutableId"');
  if (applied.maxPageSize !== undefined) parts.push(`odata.maxpagesize=${applied.maxPageSize}`);
  return parts.length > 0 ? { 'Preference-Applied': parts.join(', ') } : {};
}
