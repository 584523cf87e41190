import { ConnectionStatus, type Migration } from '../../../shared/domain/platform.ts';
import { ConsoleError } from '../../../shared/contract/errors.ts';
import { openCliCore } from '../cli-core.ts';
import type { Command } from '../command.ts';

const STATUS_LABELS: Record<ConnectionStatus, string> = {
  legacy: 'on the retired Outlook REST API',
  reauth_pending: 'disconnected, not yet re-authorized',
  migrated: 'on Microsoft Graph',
  disconnected: 'force-disconnected',
  error: 'on Graph but failing',
  not_connected: 'never connected',
  not_affected: 'not Office 365',
};

/** A short human summary; dates in the platform's own time zone, as users see them. */
export function summarizeMigration(migration: Migration): string {
  const zone = migration.timezone;
  const when = (iso: string): string =>
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      weekday: 'long',
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
    }).format(new Date(iso));
  const msLeft = Date.parse(migration.cutoffAt) - Date.parse(migration.asOf);
  const daysLeft = Math.ceil(msLeft / 86_400_000);
  const total = migration.counts.total;
  const pct = (n: number): string => (total === 0 ? '0%' : `${Math.round((n / total) * 100)}%`);
  const width = Math.max(...ConnectionStatus.options.map((s) => s.length));
  const lines = [
    `${migration.platformName}: Outlook REST v2.0 → Microsoft Graph`,
    `Cut-off: ${when(migration.cutoffAt)} (${zone})${msLeft > 0 ? `, ${daysLeft} day${daysLeft === 1 ? '' : 's'} left` : ', passed'}`,
    `Users: ${total.toLocaleString('en-US')}`,
    ...ConnectionStatus.options.map((status) => {
      const n = migration.counts.byStatus[status];
      return `  ${status.padEnd(width)}  ${n.toLocaleString('en-US').padStart(7)}  ${pct(n).padStart(4)}  ${STATUS_LABELS[status]}`;
    }),
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
