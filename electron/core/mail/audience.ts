import type { Connection, ConnectionStatus, Role } from '../../../shared/domain/platform.ts';
import { cleanValue, isDeliverableAddress } from '../../../shared/mail/recipient.ts';

/** Who an announcement goes to, after the suppression list, duplicates and unusable addresses. */
export interface AudienceOptions {
  /** Lower-cased emails and user ids that must never be mailed. */
  suppressed: ReadonlySet<string>;
  /**
   * Domains counted as internal (subdomains included). Null: the domains of the users' Office 365
   * calendar mailboxes, which are the tenant's own.
   */
  internalDomains: readonly string[] | null;
}

export interface ExcludedUser {
  userId: string;
  name: string;
  email: string;
  reason: 'duplicate-email' | 'no-email' | 'suppressed';
}

export type EdgeCase =
  | 'longest-name'
  | 'non-latin'
  | 'right-to-left'
  | 'missing-first-name'
  | 'markup-characters'
  | 'quotes'
  | 'emoji';

export interface AudienceAnalysis {
  total: number;
  recipients: number;
  internal: number;
  external: number;
  internalDomains: string[];
  byRole: Partial<Record<Role, number>>;
  byStatus: Partial<Record<ConnectionStatus, number>>;
  excluded: { duplicateEmail: number; noEmail: number; suppressed: number };
  /** The first excluded users (the whole list goes to the export's report). */
  excludedSample: ExcludedUser[];
  /** One recipient per edge case found, for stepping through the preview. */
  edgeCases: Array<{ kind: EdgeCase; userId: string }>;
}

export const EXCLUDED_SAMPLE = 200;

export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

export function isInternal(email: string, domains: readonly string[]): boolean {
  const domain = domainOf(email);
  return domains.some((d) => domain === d || domain.endsWith(`.${d}`));
}

const NON_LATIN = /[^\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]/u;
const RTL = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const EMOJI = /\p{Extended_Pictographic}/u;

function nameOf(row: Connection): string {
  return cleanValue(`${row.preferredName ?? row.firstName} ${row.lastName}`);
}

/**
 * Decides, for a stream of candidate users, who receives the announcement. Users sharing one
 * address are all held back (a message addressed to one of them would greet the wrong person and
 * carry the wrong magic link); users without a deliverable address and suppressed ones too.
 */
export class Audience {
  readonly #options: AudienceOptions;
  readonly #emailCounts = new Map<string, number>();
  readonly #mailboxDomains = new Set<string>();

  constructor(options: AudienceOptions) {
    this.#options = options;
  }

  /** First pass: counts addresses (duplicates are known only after seeing everyone). */
  observe(row: Connection): void {
    const key = emailKey(row.email);
    this.#emailCounts.set(key, (this.#emailCounts.get(key) ?? 0) + 1);
    if (row.calendarMailbox !== null && row.calendarMailbox.includes('@'))
      this.#mailboxDomains.add(domainOf(row.calendarMailbox));
  }

  get internalDomains(): string[] {
    return [...(this.#options.internalDomains ?? this.#mailboxDomains)].map((d) => d.toLowerCase()).sort();
  }

  /** Second pass: why a user is held back, or null when the user receives the message. */
  exclusion(row: Connection): ExcludedUser['reason'] | null {
    const key = emailKey(row.email);
    if (this.#options.suppressed.has(key) || this.#options.suppressed.has(row.userId.toLowerCase()))
      return 'suppressed';
    if (!isDeliverableAddress(row.email.trim())) return 'no-email';
    if ((this.#emailCounts.get(key) ?? 0) > 1) return 'duplicate-email';
    return null;
  }

  /** Both passes over a re-iterable source, summarized for the composer and the plan. */
  static analyze(rows: () => Iterable<Connection>, options: AudienceOptions): AudienceAnalysis {
    const audience = new Audience(options);
    for (const row of rows()) audience.observe(row);
    const domains = audience.internalDomains;
    const result: AudienceAnalysis = {
      total: 0,
      recipients: 0,
      internal: 0,
      external: 0,
      internalDomains: domains,
      byRole: {},
      byStatus: {},
      excluded: { duplicateEmail: 0, noEmail: 0, suppressed: 0 },
      excludedSample: [],
      edgeCases: [],
    };
    const found = new Map<EdgeCase, string>();
    let longest = { length: -1, userId: '' };
    for (const row of rows()) {
      result.total += 1;
      const reason = audience.exclusion(row);
      if (reason !== null) {
        if (reason === 'duplicate-email') result.excluded.duplicateEmail += 1;
        else if (reason === 'no-email') result.excluded.noEmail += 1;
        else result.excluded.suppressed += 1;
        if (result.excludedSample.length < EXCLUDED_SAMPLE)
          result.excludedSample.push({
            userId: row.userId,
            name: nameOf(row),
            email: row.email.slice(0, 320),
            reason,
          });
        continue;
      }
      result.recipients += 1;
      if (isInternal(row.email, domains)) result.internal += 1;
      else result.external += 1;
      result.byRole[row.role] = (result.byRole[row.role] ?? 0) + 1;
      result.byStatus[row.status] = (result.byStatus[row.status] ?? 0) + 1;
      const name = `${row.preferredName ?? ''} ${row.firstName} ${row.lastName}`;
      if (name.length > longest.length) longest = { length: name.length, userId: row.userId };
      const mark = (kind: EdgeCase, test: boolean) => {
        if (test && !found.has(kind)) found.set(kind, row.userId);
      };
      mark('non-latin', NON_LATIN.test(name));
      mark('right-to-left', RTL.test(name));
      mark(
        'missing-first-name',
        cleanValue(row.firstName) === '' && cleanValue(row.preferredName ?? '') === '',
      );
      mark('markup-characters', /[<>&]/.test(name));
      mark('quotes', /["'“”‘’]/.test(name));
      mark('emoji', EMOJI.test(name));
    }
    if (longest.length >= 0) result.edgeCases.push({ kind: 'longest-name', userId: longest.userId });
    for (const [kind, userId] of found) result.edgeCases.push({ kind, userId });
    return result;
  }
}
