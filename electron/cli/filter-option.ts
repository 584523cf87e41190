import type { RosterFilter } from '../../shared/contract/roster-query.ts';
import type { Migration } from '../../shared/domain/platform.ts';
import {
  FilterExpressionError,
  mentionsCalendarDate,
  parseFilterExpression,
} from '../core/roster/filter-expression.ts';
import { UsageError } from './command.ts';

/**
 * A `--filter` as commands take it: checked at once (a mistake is a usage error before anything
 * is sent), with bare dates (`updatedSince=2026-12-03`) resolved later to the start of that day
 * in the platform's time zone, which only the platform knows.
 */
export interface FilterOption {
  expression: string;
  /** Whether `resolve` must ask the platform for its time zone. */
  needsTimeZone: boolean;
  resolve(migration: () => Promise<Pick<Migration, 'timezone'>>): Promise<RosterFilter>;
}

function parsed(expression: string, timeZone?: string): RosterFilter {
  try {
    return parseFilterExpression(expression, timeZone === undefined ? {} : { timeZone });
  } catch (error) {
    if (error instanceof FilterExpressionError) throw new UsageError(`--filter: ${error.message}`);
    throw error;
  }
}

export function readFilterOption(expression: string): FilterOption {
  const needsTimeZone = mentionsCalendarDate(expression);
  // Any zone will do to check the expression now; the platform's own is applied in resolve().
  const checked = parsed(expression, needsTimeZone ? 'UTC' : undefined);
  return {
    expression,
    needsTimeZone,
    async resolve(migration) {
      if (!needsTimeZone) return checked;
      return parsed(expression, (await migration()).timezone);
    },
  };
}
