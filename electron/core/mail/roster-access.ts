import type { RosterFilter } from '../../../shared/contract/roster-query.ts';
import type { RosterQueryEngine } from '../roster/query/roster-query-engine.ts';
import type { RosterAccess } from './mail-feature.ts';

const PAGE = 1000;

/** The announcement feature's view of the in-memory roster: ids by filter (in user-id order) and rows by id. */
export function engineRosterAccess(engine: () => RosterQueryEngine, loaded: () => boolean): RosterAccess {
  return {
    ids(filter: RosterFilter): string[] {
      const current = engine();
      const ids: string[] = [];
      const now = new Date().toISOString();
      for (let offset = 0; ; offset += PAGE) {
        const page = current.query({
          filter,
          sort: { field: 'userId', direction: 'asc' },
          offset,
          limit: PAGE,
          now,
        });
        for (const row of page.rows) ids.push(row.userId);
        if (page.rows.length < PAGE || offset + PAGE >= page.total) break;
      }
      return ids;
    },
    get: (userId) => engine().get(userId),
    loaded,
  };
}
