import { ConsoleError } from '../../../shared/contract/errors.ts';
import {
  ErrorFacetValue,
  ProviderFacetValue,
  RosterFilter,
  RowTimestampField,
  VerdictFacetValue,
} from '../../../shared/contract/roster-query.ts';
import { ConnectionStatus, Role, Timestamp } from '../../../shared/domain/platform.ts';
import { startOfDayInZone } from '../../../shared/time/instant-format.ts';

/**
 * The filter language every CLI command takes: space-separated `key=value[,value…]` terms, all
 * ANDed. For example
 *
 *     status=legacy,error role=student q="van der berg" updatedSince=2026-11-01T00:00:00Z
 *
 * A time key also takes a bare date (`updatedSince=2026-12-03`): the start of that day in the
 * platform's time zone, which the caller passes as `timeZone`.
 *
 * `verdict=missing,unverified` keeps users whose latest verification (in the journal) found a
 * missing item or could not be completed; `verdict=never` those never verified.
 *
 * `lastSyncBefore` also takes the name of the row's own timestamp: `status=migrated
 * lastSyncBefore=connectedAt` is every migrated user whose first Graph sync has not run yet.
 *
 * A value holding spaces, quotes or backslashes is written in double quotes with `\"` and `\\`
 * escapes. Anything the parser does not know (a key, a value, a repeated key) is a usage error
 * that names it, never silently ignored: a mistyped filter on a bulk command must not widen it.
 */
const LIST_KEYS = {
  status: ConnectionStatus.options,
  role: Role.options,
  provider: ProviderFacetValue.options,
  error: ErrorFacetValue.options,
  verdict: VerdictFacetValue.options,
} as const;
const TEXT_KEYS = ['q'] as const;
const TIME_KEYS = ['updatedSince', 'statusChangedSince', 'connectedBefore', 'lastSyncBefore'] as const;
/** Time keys that may name a row's own timestamp instead of an instant. */
const ROW_TIME_KEYS: readonly string[] = ['lastSyncBefore'];
export const FILTER_KEYS = [...Object.keys(LIST_KEYS), ...TEXT_KEYS, ...TIME_KEYS] as readonly string[];

type ListKey = keyof typeof LIST_KEYS;
type TimeKey = (typeof TIME_KEYS)[number];

/** A mistake in a filter expression; `term` is the offending term as typed (or null for a syntax slip). */
export class FilterExpressionError extends ConsoleError {
  readonly term: string | null;
  constructor(message: string, term: string | null) {
    super('bad_input', message, {
      issues: [{ path: term ?? '(expression)', message: message.slice(0, 500) }],
    });
    this.name = 'FilterExpressionError';
    this.term = term;
  }
}

interface Term {
  key: string;
  value: string;
  raw: string;
}

function splitTerms(expression: string): Term[] {
  const terms: Term[] = [];
  let i = 0;
  const isSpace = (ch: string) => /\s/u.test(ch);
  while (i < expression.length) {
    if (isSpace(expression[i] as string)) {
      i += 1;
      continue;
    }
    const start = i;
    const equals = expression.indexOf('=', i);
    let keyEnd = i;
    while (keyEnd < expression.length && !isSpace(expression[keyEnd] as string) && keyEnd !== equals)
      keyEnd += 1;
    if (keyEnd !== equals) {
      const raw = expression.slice(start, keyEnd);
      throw new FilterExpressionError(
        `"${raw}" is not a filter term: write key=value (keys: ${FILTER_KEYS.join(', ')}).`,
        raw,
      );
    }
    const key = expression.slice(start, equals);
    i = equals + 1;
    let value = '';
    if (expression[i] === '"') {
      i += 1;
      let closed = false;
      while (i < expression.length) {
        const ch = expression[i] as string;
        if (ch === '\\' && (expression[i + 1] === '"' || expression[i + 1] === '\\')) {
          value += expression[i + 1];
          i += 2;
        } else if (ch === '"') {
          closed = true;
          i += 1;
          break;
        } else {
          value += ch;
          i += 1;
        }
      }
      if (!closed)
        throw new FilterExpressionError(
          `The quoted value of "${key}" has no closing quote.`,
          expression.slice(start),
        );
      if (i < expression.length && !isSpace(expression[i] as string)) {
        throw new FilterExpressionError(
          `Put a space after the closing quote of "${key}".`,
          expression.slice(start, i + 1),
        );
      }
    } else {
      while (i < expression.length && !isSpace(expression[i] as string)) {
        value += expression[i];
        i += 1;
      }
    }
    terms.push({ key, value, raw: expression.slice(start, i) });
  }
  return terms;
}

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/u;

function isCalendarDate(value: string): boolean {
  const match = CALENDAR_DATE.exec(value);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export interface FilterParseOptions {
  /** The platform's IANA time zone: a bare date in a time key is the start of that day there. */
  timeZone?: string;
}

/** True when a time key holds a bare date, so the caller needs the platform's time zone to parse it. */
export function mentionsCalendarDate(expression: string): boolean {
  return splitTerms(expression).some(
    (term) => (TIME_KEYS as readonly string[]).includes(term.key) && isCalendarDate(term.value),
  );
}

export function parseFilterExpression(expression: string, options: FilterParseOptions = {}): RosterFilter {
  const filter: RosterFilter = {};
  const seen = new Set<string>();
  for (const term of splitTerms(expression)) {
    if (!FILTER_KEYS.includes(term.key)) {
      throw new FilterExpressionError(
        `Unknown filter key "${term.key}" in "${term.raw}". Known keys: ${FILTER_KEYS.join(', ')}.`,
        term.raw,
      );
    }
    if (seen.has(term.key))
      throw new FilterExpressionError(
        `"${term.key}" is given twice; list several values with commas: ${term.key}=a,b.`,
        term.raw,
      );
    seen.add(term.key);
    if (term.key in LIST_KEYS) {
      const key = term.key as ListKey;
      const known: readonly string[] = LIST_KEYS[key];
      const values = term.value.split(',');
      for (const value of values) {
        if (value === '')
          throw new FilterExpressionError(
            `"${term.raw}" has an empty value; write ${key}=${known[0]} or ${key}=${known[0]},${known[1]}.`,
            term.raw,
          );
        if (!known.includes(value))
          throw new FilterExpressionError(
            `Unknown ${key} "${value}" in "${term.raw}". Known: ${known.join(', ')}.`,
            term.raw,
          );
      }
      (filter as Record<ListKey, string[]>)[key] = values;
    } else if (term.key === 'q') {
      filter.q = term.value;
    } else {
      const key = term.key as TimeKey;
      if (isCalendarDate(term.value)) {
        if (options.timeZone === undefined)
          throw new FilterExpressionError(
            `"${term.raw}" is a date; the platform's time zone is needed to know when that day starts. Write a timestamp such as ${key}=${term.value}T00:00:00Z.`,
            term.raw,
          );
        (filter as Record<TimeKey, string>)[key] = startOfDayInZone(term.value, options.timeZone);
        continue;
      }
      const named = ROW_TIME_KEYS.includes(key) && RowTimestampField.safeParse(term.value).success;
      if (!named && !Timestamp.safeParse(term.value).success) {
        const alternatives = ROW_TIME_KEYS.includes(key)
          ? ` or one of the row's own timestamps (${RowTimestampField.options.join(', ')})`
          : '';
        throw new FilterExpressionError(
          `"${term.raw}" needs a date (${key}=2026-11-01, the start of that day in the platform's time zone) or an ISO 8601 timestamp with a time zone, such as ${key}=2026-11-01T00:00:00Z${alternatives}.`,
          term.raw,
        );
      }
      (filter as Record<TimeKey, string>)[key] = term.value;
    }
  }
  const checked = RosterFilter.safeParse(filter);
  if (!checked.success)
    throw new FilterExpressionError(
      `The filter is not valid: ${checked.error.issues[0]?.message ?? 'unknown problem'}.`,
      null,
    );
  return checked.data;
}

function quoteIfNeeded(value: string): string {
  if (value !== '' && !/[\s"\\]/u.test(value)) return value;
  return `"${value.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
}

/** The canonical expression of a filter: keys in a fixed order, so `parse(format(f))` gives `f` back. */
export function formatFilterExpression(filter: RosterFilter): string {
  const terms: string[] = [];
  for (const key of Object.keys(LIST_KEYS) as ListKey[]) {
    const values = filter[key];
    if (values !== undefined) terms.push(`${key}=${values.join(',')}`);
  }
  if (filter.q !== undefined) terms.push(`q=${quoteIfNeeded(filter.q)}`);
  for (const key of TIME_KEYS) {
    const value = filter[key];
    if (value !== undefined) terms.push(`${key}=${value}`);
  }
  return terms.join(' ');
}
