import { writeFileSync } from 'node:fs';
import {
  ErrorFacetValue,
  ProviderFacetValue,
  VerdictFacetValue,
  type RosterQueryResult,
  type RosterSyncState,
} from '../../../shared/contract/index.ts';
import { ConnectionStatus, Role } from '../../../shared/domain/platform.ts';
import {
  countsFromRoleQueries,
  roleCountQuery,
  type RosterCounts,
} from '../../core/dashboard/roster-counts.ts';
import { FILTER_KEYS } from '../../core/roster/filter-expression.ts';
import { openCliCore, type CliCore } from '../cli-core.ts';
import { readFilterOption } from '../filter-option.ts';
import { UsageError, type Command, type CommandContext } from '../command.ts';
import { choiceOption, DEFAULT_ROSTER_DEADLINE_SECONDS } from '../globals.ts';

function describeState(state: RosterSyncState): string {
  const lines = [
    `Roster cache: ${plural(state.rowCount, 'user')} (store ${state.storeState}).`,
    `Last full sync: ${state.lastFullSyncAt ?? 'never'}; last incremental refresh: ${state.lastIncrementalSyncAt ?? 'none since'}.`,
  ];
  if (state.lastError !== null) lines.push(`Last sync failed: ${state.lastError}`);
  return lines.join('\n');
}

export function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}

/** A store that cannot keep the cache says so, with what to do (rebuild, or set the key). */
function reportStore(context: CommandContext, state: RosterSyncState): void {
  if (state.storeState === 'ready' || state.storeState === 'memory-only') return;
  context.out.log(`Local roster cache: ${state.storeState}. ${state.storeDetail ?? ''}`.trim());
  if (state.storeState === 'needs-rebuild' || state.storeState === 'locked')
    context.out.log(
      'Run "roster rebuild" to set it aside and rebuild the roster cache from the platform (nothing is deleted).',
    );
}

/**
 * Runs `work` on the core, brought up to date first: the start-up sync (full the first time, then
 * incremental) through `roster.sync` with `wait`. A failed sync is reported and is exit code 1.
 */
async function withSyncedRoster(
  context: CommandContext,
  work: (core: CliCore, state: RosterSyncState) => Promise<number>,
): Promise<number> {
  const core = await openCliCore(context);
  if (core.memoryOnlyReason !== null)
    context.out.log(
      `The roster cache lives in memory only (${core.memoryOnlyReason}), so every run is a full sync.`,
    );
  try {
    const state = await core.call('roster.sync', { mode: 'incremental', wait: true });
    reportStore(context, state);
    return await work(core, state);
  } finally {
    await core.close();
  }
}

function failed(context: CommandContext, state: RosterSyncState): number | null {
  if (state.lastError === null) return null;
  context.out.result({ error: { code: 'unavailable', message: state.lastError } }, '');
  context.out.log(state.lastError);
  return 1;
}

export const rosterSyncCommand: Command = {
  name: 'roster sync',
  summary: 'Downloads the roster into the local cache (full the first time, then incremental).',
  details:
    'With --data-dir and CONSOLE_DATA_KEY the cache is kept sealed in that folder between runs; otherwise it lives only for this command.',
  defaultDeadlineSeconds: DEFAULT_ROSTER_DEADLINE_SECONDS,
  options: {},
  run: (context) =>
    withSyncedRoster(context, async (_core, state) => {
      context.out.result(state, describeState(state));
      if (state.lastError !== null) context.out.log(state.lastError);
      return state.lastError === null ? 0 : 1;
    }),
};

export const rosterRebuildCommand: Command = {
  name: 'roster rebuild',
  summary:
    'Rebuilds the roster cache from the platform: sets a damaged or locked cache aside (nothing is deleted) and runs a full sync.',
  details:
    'For a cache "roster sync" reports as needs-rebuild or locked (e.g. CONSOLE_DATA_KEY changed). The old files move to set-aside/ in the data folder.',
  defaultDeadlineSeconds: DEFAULT_ROSTER_DEADLINE_SECONDS,
  options: {},
  async run(context) {
    const core = await openCliCore(context);
    try {
      const before = await core.call('roster.status', {});
      await core.call('roster.rebuildCache', {});
      context.out.log(`Set the ${before.storeState} roster cache aside; rebuilding it from the platform…`);
      const state = await core.call('roster.sync', { mode: 'full', wait: true });
      context.out.result(state, describeState(state));
      if (state.lastError !== null) context.out.log(state.lastError);
      return state.lastError === null ? 0 : 1;
    } finally {
      await core.close();
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
  defaultDeadlineSeconds: DEFAULT_ROSTER_DEADLINE_SECONDS,
  options: {},
  run: (context) =>
    withSyncedRoster(context, async (core, state) => {
      const failure = failed(context, state);
      if (failure !== null) return failure;
      const results = new Map<Role, RosterQueryResult>();
      for (const role of Role.options)
        results.set(role, await core.call('roster.query', roleCountQuery(role)));
      const counts = countsFromRoleQueries((role) => {
        const result = results.get(role);
        if (result === undefined) throw new Error(`no counts for ${role}`);
        return result;
      });
      context.out.result(counts, describeCounts(counts));
      return 0;
    }),
};

const WHEN =
  "a date (2026-11-01: that day's start in the platform's time zone) or an ISO timestamp (2026-11-01T00:00:00Z)";

/** What each filter key accepts, for `roster export --help`. */
export const FILTER_KEY_VALUES: Readonly<Record<string, string>> = {
  status: ConnectionStatus.options.join(', '),
  role: Role.options.join(', '),
  provider: ProviderFacetValue.options.join(', '),
  error: ErrorFacetValue.options.join(', '),
  verdict: `the latest verification (from the journal in --data-dir): ${VerdictFacetValue.options.join(', ')}`,
  q: 'words that must each occur in a name or the email, or start the user id; quote spaces: q="van der"',
  updatedSince: `${WHEN}`,
  statusChangedSince: `${WHEN}`,
  connectedBefore: `${WHEN}`,
  lastSyncBefore: `${WHEN}, or the row's own connectedAt, statusChangedAt or updatedAt`,
};

function filterKeyLines(): string {
  const width = Math.max(...FILTER_KEYS.map((key) => key.length));
  return FILTER_KEYS.map((key) => `  ${key.padEnd(width)}  ${FILTER_KEY_VALUES[key] ?? ''}`).join('\n');
}

export const rosterExportCommand: Command = {
  name: 'roster export',
  summary: 'Writes the users matching a filter to a CSV file (formula-safe, fixed column order).',
  details:
    `--filter takes key=value terms, all ANDed; a key takes one or more comma-separated values, e.g.\n` +
    `  --filter 'status=legacy,reauth_pending role=student q="van der"'\n` +
    `Keys and their values:\n${filterKeyLines()}\n` +
    `An unknown key or value is a usage error (exit 2).`,
  defaultDeadlineSeconds: DEFAULT_ROSTER_DEADLINE_SECONDS,
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
    const option = readFilterOption(expression);
    return withSyncedRoster(context, async (core, state) => {
      const failure = failed(context, state);
      if (failure !== null) return failure;
      const filter = await option.resolve(() => core.call('migration.overview', {}));
      const exported = await core.call('roster.export', {
        filter,
        sort: { field: 'lastName', direction: 'asc' },
      });
      // Personal data: readable by the operator only.
      writeFileSync(out, exported.csv, { encoding: 'utf8', mode: 0o600 });
      context.out.result(
        { out, rowCount: exported.rowCount, format: 'csv' },
        `Wrote ${plural(exported.rowCount, 'user')} to ${out}.`,
      );
      return 0;
    });
  },
};
