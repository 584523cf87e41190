import type { MergeField } from './template.ts';

/** The parts of a platform connection a message is addressed with. */
export interface RecipientFields {
  userId: string;
  firstName: string;
  lastName: string;
  preferredName: string | null;
  email: string;
}

/** Values that are the same for every recipient of one announcement. */
export interface MessageContext {
  /** `{{FirstName}}` when a user has neither a preferred nor a first name ("there": "Hi there,"). */
  fallbackFirstName: string;
  reauthorizeUrl: string | null;
  helpUrl: string | null;
  /** Long date of the cut-off ("December 15, 2026"). */
  cutoffDate: string | null;
}

export const DEFAULT_FALLBACK_FIRST_NAME = 'there';

/** Longest name part put into a message; longer ones are cut with an ellipsis (a 50 KB name stays a name). */
export const MAX_NAME_LENGTH = 100;

/**
 * Control characters (C0, DEL, C1), line and paragraph separators, and bidi overrides/isolates that
 * could reorder the text around a name: all become a plain space, so a value can never start a
 * header line or a new paragraph, nor flip the direction of the sentence it sits in.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]+/g;

export function cleanValue(value: string): string {
  return value.replace(UNSAFE_CHARS, ' ').replace(/ {2,}/g, ' ').trim();
}

/** Cuts at a code point boundary (never half a surrogate pair). */
export function truncate(value: string, max = MAX_NAME_LENGTH): string {
  const points = Array.from(value);
  return points.length <= max ? value : `${points.slice(0, max - 1).join('')}…`;
}

/**
 * Mail clients turn `evil.example`, `www.…` and `x@y.z` into links even in plain text. In a
 * name, a WORD JOINER (U+2060, invisible) after each `.`, `:`, `/` and `@` keeps the name readable
 * while no client sees a link in it.
 */
export function defangLinks(value: string): string {
  return /[.:/@]/.test(value) ? value.replace(/([.:/@])/g, '$1\u2060') : value;
}

const RIGHT_TO_LEFT = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;

/**
 * A right-to-left name inside a left-to-right sentence is wrapped in FIRST STRONG ISOLATE … POP
 * DIRECTIONAL ISOLATE (U+2068, U+2069), so the comma or the words after it stay where they belong.
 * Isolates cannot reorder anything outside them (the overrides and embeddings that could were removed).
 */
export function isolateDirection(value: string): string {
  return RIGHT_TO_LEFT.test(value) ? `\u2068${value}\u2069` : value;
}

function nameValue(value: string | null): string {
  return value === null ? '' : isolateDirection(defangLinks(truncate(cleanValue(value))));
}

/**
 * An https URL without credentials, or null. Plain http is accepted only on this computer
 * (127.0.0.1, localhost, [::1]): the local sandbox the demo and the tests run against, as the
 * platform URL setting allows.
 */
export function httpsUrl(value: string | null): string | null {
  if (value === null) return null;
  try {
    const url = new URL(value);
    if (url.username !== '' || url.password !== '') return null;
    if (url.protocol === 'https:') return url.href;
    return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
      ? url.href
      : null;
  } catch {
    return null;
  }
}

/**
 * The merge values of one recipient. `{{FirstName}}` is the preferred name, else the first name,
 * else the fallback. `{{MagicLink}}` without a link (offline export) is the re-authorize page.
 */
export function mergeValues(
  recipient: RecipientFields,
  context: MessageContext,
  magicLink: string | null,
): Record<MergeField, string> {
  const preferred = nameValue(recipient.preferredName);
  const first = nameValue(recipient.firstName);
  const reauthorize = httpsUrl(context.reauthorizeUrl) ?? '';
  return {
    FirstName: preferred !== '' ? preferred : first !== '' ? first : cleanValue(context.fallbackFirstName),
    LastName: nameValue(recipient.lastName),
    Email: cleanValue(recipient.email),
    MagicLink: httpsUrl(magicLink) ?? reauthorize,
    ReauthorizeUrl: reauthorize,
    HelpUrl: httpsUrl(context.helpUrl) ?? '',
    CutoffDate: cleanValue(context.cutoffDate ?? ''),
  };
}

/** The display name in the To header: preferred or first name and last name, cleaned and cut. */
export function displayName(recipient: RecipientFields): string {
  const first = cleanValue(recipient.preferredName ?? '') || cleanValue(recipient.firstName);
  return truncate(cleanValue(`${first} ${cleanValue(recipient.lastName)}`), MAX_NAME_LENGTH * 2);
}

/**
 * A deliverable address: one `@`, a local part and a domain with a dot, no spaces, controls,
 * quotes or angle brackets. Non-ASCII is allowed (SMTPUTF8 local parts, IDN domains).
 */
export function isDeliverableAddress(email: string): boolean {
  if (email.length > 254 || email !== email.trim()) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f<>()[\]\\,;:"]/.test(email)) return false;
  const at = email.lastIndexOf('@');
  if (at <= 0 || at !== email.indexOf('@')) return false;
  const domain = email.slice(at + 1);
  return /^[^.]+(\.[^.]+)+$/.test(domain) && email.slice(0, at).length <= 64;
}
