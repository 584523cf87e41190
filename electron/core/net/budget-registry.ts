import { createHash } from 'node:crypto';
import { realRuntime, type Runtime } from './clock.ts';
import { CONTRACT_RATE_LIMIT, RequestBudget, type RequestBudgetOptions } from './request-budget.ts';

/**
 * The platform counts requests per API key, so this process keeps one budget per (platform, key):
 * every client built for the same key, whichever part of the console builds it, draws from the
 * same one. Keyed by a hash, so the map never holds a key.
 */
const budgets = new Map<string, RequestBudget>();

export function budgetKey(baseUrl: string, apiKey: string): string {
  const url = new URL(baseUrl);
  const where = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  return createHash('sha256').update(where).update('\0').update(apiKey).digest('base64url');
}

/** The one budget for this platform and key in this process (created on first use). */
export function platformBudgetFor(
  baseUrl: string,
  apiKey: string,
  options: { runtime?: Runtime; guess?: RequestBudgetOptions } = {},
): RequestBudget {
  const key = budgetKey(baseUrl, apiKey);
  let budget = budgets.get(key);
  if (budget === undefined) {
    budget = new RequestBudget(options.runtime ?? realRuntime, options.guess ?? CONTRACT_RATE_LIMIT);
    budgets.set(key, budget);
  }
  return budget;
}

/** Forgets the budgets (tests, and a data source switch that wants a fresh slow start). */
export function forgetPlatformBudgets(): void {
  budgets.clear();
}
