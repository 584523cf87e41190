/**
 * The only way a link leaves the console: https, no credentials in the URL, and a host on the
 * allowlist (Microsoft's documentation and admin portals, plus hosts the operator configured such
 * as the platform and its help article). Everything else is refused with a reason.
 */
export const DEFAULT_EXTERNAL_HOSTS: readonly string[] = [
  'learn.microsoft.com',
  'support.microsoft.com',
  'entra.microsoft.com',
  'portal.azure.com',
  'admin.microsoft.com',
  'developer.microsoft.com',
];

export interface ExternalLinkVerdict {
  allowed: boolean;
  reason: string | null;
  /** The normalised URL to hand to the operating system, when allowed. */
  url: string | null;
}

export function checkExternalUrl(raw: string, allowedHosts: Iterable<string>): ExternalLinkVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { allowed: false, reason: 'That is not a valid web address.', url: null };
  }
  if (url.protocol !== 'https:') {
    return { allowed: false, reason: 'Only https links can be opened.', url: null };
  }
  if (url.username !== '' || url.password !== '') {
    return { allowed: false, reason: 'Links carrying a user name or password are not opened.', url: null };
  }
  const host = url.hostname.toLowerCase();
  for (const allowed of allowedHosts) {
    const entry = allowed.toLowerCase();
    if (host === entry || host.endsWith(`.${entry}`)) {
      return { allowed: true, reason: null, url: url.toString() };
    }
  }
  return { allowed: false, reason: `Links to ${host} are not on the console's allowlist.`, url: null };
}
