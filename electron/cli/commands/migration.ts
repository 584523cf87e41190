import { ConnectionStatus, type Migration } from '../../../shared/domain/platform.ts';
import { ConsoleError } from '../../../shared/contract/errors.ts';
import {
  formatCountdown,
  formatShare,
  PROGRESS_DEFINITION,
  progressOf,
  STATUS_WORDS,
} from '../../../shared/progress/migration-progress.ts';
import { formatInstant } from '../../../shared/time/instant-format.ts';
import { openCliCore } from '../cli-core.ts';
import type { Command } from '../command.ts';

/**
 * A short human summary in words (codes only with --json): the same progress definition and
 * countdown as the dashboard (shared/progress), dates in the platform's time zone.
 */
export function summarizeMigration(migration: Migration, now: number = Date.now()): string {
  const zone = migration.timezone;
  const when = (iso: string): string => formatInstant(iso, zone) ?? iso;
  const progress = progressOf(migration.counts.byStatus);
  const countdown = formatCountdown(migration.cutoffAt, now);
  const count = (n: number): string => n.toLocaleString('en-US');
  const width = Math.max(...ConnectionStatus.options.map((s) => STATUS_WORDS[s].length));
  const lines = [
    `${migration.platformName}: Outlook REST v2.0 → Microsoft Graph`,
    `Cut-off: ${when(migration.cutoffAt)} (${zone}); ${countdown.text}`,
    `Progress: ${formatShare(progress.share)} re-authorized (${count(progress.reauthorized)} of ${count(progress.inScope)} who must; ${count(progress.toAct)} still to act)`,
    `Users: ${count(migration.counts.total)}`,
    ...ConnectionStatus.options.map((status) => {
      const n = migration.counts.byStatus[status];
      return `  ${STATUS_WORDS[status].padEnd(width)}  ${count(n).padStart(9)}`;
    }),
    PROGRESS_DEFINITION,
    `As of ${when(migration.asOf)}`,
  ];
  return lines.join('\n');
}

export const migrationCommand: Command = {
  name: 'migration',
  summary: 'Shows the migration: cut-off date and how many users are in each status.',
  details:
    "With --json, prints the platform's migration document (GET /migration) as validated by the console.",
  options: {},
  async run(context) {
    const core = await openCliCore(context);
    try {
      const migration = await core.call('migration.overview', {});
      context.out.result(migration, summarizeMigration(migration));
      return 0;
    } catch (error) {
      if (error instanceof ConsoleError) {
        context.out.result({ error: error.toApiError() }, '');
        context.out.log(error.message);
        return 1;
      }
      throw error;
    } finally {
      await core.close();
    }
  },
};
