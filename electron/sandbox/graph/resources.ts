import { createHash } from 'node:crypto';
import type { MailboxEvent, MailboxRef } from '../university/index.ts';

/** Graph v1.0 resource shapes (user, calendar, event) and OData $select. */

export interface UserProfile {
  id: string;
  displayName: string;
  givenName: string;
  surname: string;
  userPrincipalName: string;
  jobTitle: string | null;
}

export function userResource(p: UserProfile): Record<string, unknown> {
  return {
    businessPhones: [],
    displayName: p.displayName,
    givenName: p.givenName,
    jobTitle: p.jobTitle,
    mail: p.userPrincipalName,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: 'en-US',
    surname: p.surname,
    userPrincipalName: p.userPrincipalName,
    id: p.id,
  };
}

export function profileOfMailbox(ref: MailboxRef): UserProfile {
  return {
    id: ref.id,
    displayName: ref.displayName,
    givenName: ref.givenName,
    surname: ref.surname,
    userPrincipalName: ref.upn,
    jobTitle: null,
  };
}

export function calendarResource(ref: MailboxRef, calendarId: string): Record<string, unknown> {
  return {
    id: calendarId,
    name: 'Calendar',
    color: 'auto',
    hexColor: '',
    isDefaultCalendar: true,
    changeKey: createHash('sha256').update(calendarId).digest().subarray(0, 16).toString('base64'),
    canShare: true,
    canViewPrivateItems: true,
    canEdit: true,
    allowedOnlineMeetingProviders: ['teamsForBusiness'],
    defaultOnlineMeetingProvider: 'teamsForBusiness',
    isTallyingResponses: true,
    isRemovable: false,
    owner: { name: ref.displayName, address: ref.upn },
  };
}

/** The event as stored, with its ids in the requested form (`Prefer: IdType="ImmutableId"`). */
export function eventResource(event: MailboxEvent, immutable: boolean): Record<string, unknown> {
  // v1.0 events always carry hideAttendees (event-get sample); the model leaves it to us.
  const base: Record<string, unknown> = { hideAttendees: false, ...event.resource };
  // A named location carries a uniqueId (private, the name itself) as in the event-get sample.
  const location = base.location as { displayName?: unknown; uniqueId?: unknown } | undefined;
  if (
    location &&
    typeof location.displayName === 'string' &&
    location.displayName !== '' &&
    location.uniqueId === undefined
  ) {
    base.location = { ...location, uniqueId: location.displayName, uniqueIdType: 'private' };
  }
  if (!immutable) return base;
  const id = event.restImmutableEntryId;
  return {
    ...base,
    id,
    webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`,
  };
}

/**
 * `$select`: only the named properties. Entities keep `id` (and `@odata.etag`) as Graph does for
 * Outlook items; directory objects return exactly what was selected (see user-get-select sample).
 */
export function applySelect(
  resource: Record<string, unknown>,
  select: string | null,
  keep: readonly string[] = [],
): Record<string, unknown> {
  if (!select) return resource;
  const wanted = new Set(
    select
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resource)) {
    if (wanted.has(key) || keep.includes(key)) out[key] = value;
  }
  return out;
}

export function unknownSelect(resource: Record<string, unknown>, select: string | null): string | undefined {
  if (!select) return undefined;
  return select
    .split(',')
    .map((s) => s.trim())
    .find((s) => s !== '' && !(s in resource));
}
