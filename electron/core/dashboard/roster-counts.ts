import { ConnectionStatus, Role } from '../../../shared/domain/platform.ts';
import type { RosterQuery, RosterQueryResult } from '../../../shared/contract/roster-query.ts';
import type { RosterQueryEngine } from '../roster/query/roster-query-engine.ts';

export interface RosterCounts {
  total: number;
  byStatus: Record<ConnectionStatus, number>;
  byRole: Record<Role, Record<ConnectionStatus, number>>;
}

const EPOCH = '1970-01-01T00:00:00Z';

/**
 * The query whose status facet is one role's split by status (one facet pass per role); used
 * in-process on the engine and by the CLI through `roster.query`.
 */
export function roleCountQuery(role: Role): RosterQuery {
  return {
    filter: { role: [role] },
    sort: { field: 'userId', direction: 'asc' },
    offset: 0,
    limit: 1,
    now: EPOCH,
  };
}

/** Counts by status and by role × status from the roster cache, the same shape as the platform's /migration counts. */
export function rosterCounts(engine: RosterQueryEngine): RosterCounts {
  return countsFromRoleQueries((role) => engine.query(roleCountQuery(role)));
}

/** Combines one `roleCountQuery` result per role into the /migration counts shape. */
export function countsFromRoleQueries(resultFor: (role: Role) => RosterQueryResult): RosterCounts {
  const byRole = {} as Record<Role, Record<ConnectionStatus, number>>;
  const byStatus = Object.fromEntries(ConnectionStatus.options.map((s) => [s, 0])) as Record<
    ConnectionStatus,
    number
  >;
  let total = 0;
  for (const role of Role.options) {
    const result = resultFor(role);
    byRole[role] = { ...result.facets.status };
    for (const status of ConnectionStatus.options) byStatus[status] += result.facets.status[status];
    total += result.total;
  }
  return { total, byStatus, byRole };
}
