import type { MethodName } from '../../shared/contract/index.ts';
import type { Handlers } from './ipc/dispatcher.ts';
import type { ClearableCache } from './settings/cache-registry.ts';

/**
 * A unit of the console: the contract methods it answers, what it caches, how it starts and how
 * it lets go. `compose.ts` lists the features; the dispatcher reaches them only through their
 * handlers. A feature whose state belongs to one data source (the roster, the dashboard) keeps
 * that state in a workspace slot (workspace/workspace-host.ts), so its handlers always reach the
 * current source's state and a source switch rebuilds it.
 */
export interface Feature<M extends MethodName> {
  readonly name: string;
  readonly handlers: Pick<Handlers, M>;
  /** Local caches Settings → Clear cache may clear (fetched again afterwards). */
  readonly caches?: readonly ClearableCache[];
  /** Runs once after every feature is built (background work starts here, never in a constructor). */
  start?(): void | Promise<void>;
  dispose?(): void | Promise<void>;
}

/** Any feature, for what compose does with all of them alike (start, caches, dispose). */
export type AnyFeature = Feature<never>;

/** Refuses two features answering the same method (a later spread would silently win). */
export function checkDistinctMethods(features: readonly AnyFeature[]): void {
  const owners = new Map<string, string>();
  for (const feature of features)
    for (const method of Object.keys(feature.handlers)) {
      const owner = owners.get(method);
      if (owner !== undefined)
        throw new Error(`Both ${owner} and ${feature.name} answer ${method}: one method, one feature.`);
      owners.set(method, feature.name);
    }
}
