import { writeFileSync } from 'node:fs';
import type { RosterSyncState } from '../../../shared/contract/roster.ts';
import { ConnectionStatus, Role } from '../../../shared/domain/platform.ts';
import { rosterCounts, type RosterCounts } from '../../core/dashboard/roster-counts.ts';
import { rosterCsv } from '../../core/roster/export/roster-csv.ts';
import {
  FilterExpressionError,
  FILTER_KEYS,
  parseFilterExpression,
} from '../../core/roster/filter-expression.ts';
import { UsageError, type Command } from '../command.ts';
import { choiceOption } from '../globals.ts';
import { syncedSession } from './roster-session.ts';

function describeState(state: RosterSyncState): string {
  const lines = [
    `Roster cache: ${state.rowCount.toLocaleString('en-US')} users (store ${state.storeState}).`,
    `Last full sync: ${state.lastFullSyncAt ?? 'never'}; last incremental refresh: ${state.lastIncrementalSyncAt ?? 'none since'}.`,
  ];
  if (state.lastError !== null) lines.push(`Last sync failed: ${state.lastError}`);
  return lines.join('\n');
}

export const rosterSyncCommand: Command = {
  name: 'roster sync',
  summary: 'Downloads the roster into the local cache (full the first time, then incremental).',
  details:
    'With --data-dir and CONSOLE_DATA_KEY the cache is kept sealed in that folder between runs; otherwise it lives only for this command.',
  options: {},
  async run(context) {
    const session = await syncedSession(context);
    try {
      const state = session.sync.state();
      context.out.result(state, describeState(state));
      if (state.lastError !== null) context.out.log(state.lastError);
      return state.lastError === null ? 0 : 1;
    } finally {
      await session.close();
    }
  },
};

function describeCounts(counts: RosterCounts): string {
  const width = Math.max(
    ...ConnectionStatus.options.map((s) => s.length),
    ...Role.options.map((r) => r.length),
  );
  return [
    `Users: ${counts.total.toLocaleString('en-US')}`,
    'By status:',
    ...ConnectionStatus.options.map(
      (s) => `  ${s.padEnd(width)}  ${counts.byStatus[s].toLocaleString('en-US').padStart(9)}`,
    ),
    'By role:',
    ...Role.options.map(
      (r) =>
        `  ${r.padEnd(width)}  ${Object.values(counts.byRole[r])
          .reduce((a, b) => a + b, 0)
          .toLocaleString('en-US')
          .padStart(9)}`,
    ),
  ].join('\n');
}

export const rosterStatsCommand: Command = {
  name: 'roster stats',
  summary:
    'Counts by status and by role from the synced roster cache (the same shape as GET /migration counts).',
  options: {},
  async run(context) {
    const session = await syncedSession(context);
    try {
      const state = session.sync.state();
      if (state.lastError !== null) {
        context.out.result({ error: { code: 'unavailable', message: state.lastError } }, '');
        context.out.log(state.lastError);
        return 1;
      }
      const counts = rosterCounts(session.sync.engine);
      context.out.result(counts, describeCounts(counts));
      return 0;
    } finally {
      await session.close();
    }
  },
};

export const rosterExportCommand: Command = {
  name: 'roster export',
  summary: 'Writes the users matching a filter to a CSV file (formula-safe, fixed column order).',
  details:
    `--filter takes key=value terms, all ANDed, e.g. --filter 'status=legacy,reauth_pending role=student q="van der"'.\n` +
    `Keys: ${FILTER_KEYS.join(', ')}. An unknown key or value is a usage error (exit 2).`,
  options: {
    filter: { type: 'string', valueName: 'EXPR', description: 'Which users to export (default: everyone).' },
    format: { type: 'string', valueName: 'csv', description: 'File format (csv).' },
    out: { type: 'string', valueName: 'FILE', description: 'Where to write the file (required).' },
  },
  async run(context) {
    const { values } = context;
    const out = values['out'];
    if (typeof out !== 'string' || out.length === 0)
      throw new UsageError('--out FILE is required: name the file to write.');
    choiceOption(values, 'format', ['csv'] as const);
    const expression = typeof values['filter'] === 'string' ? values['filter'] : '';
    let filter;
    try {
      filter = parseFilterExpression(expression);
    } catch (error) {
      if (error instanceof FilterExpressionError) throw new UsageError(`--filter: ${error.message}`);
      throw error;
    }
    const session = await syncedSession(context);
    try {
      const state = session.sync.state();
      if (state.lastError !== null) {
        context.out.result({ error: { code: 'unavailable', message: state.lastError } }, '');
        context.out.log(state.lastError);
        return 1;
      }
      const engine = session.sync.engine;
      const result = engine.query({
        filter,
        sort: { field: 'lastName', direction: 'asc' },
        offset: 0,
        limit: Math.max(1, engine.size),
        now: new Date().toISOString(),
      });
      // Personal data: readable by the operator only.
      writeFileSync(out, rosterCsv(result.rows), { encoding: 'utf8', mode: 0o600 });
      context.out.result(
        { out, rowCount: result.total, format: 'csv' },
        `Wrote ${result.total.toLocaleString('en-US')} users to ${out}.`,
      );
      return 0;
    } finally {
      await session.close();
    }
  },
};
