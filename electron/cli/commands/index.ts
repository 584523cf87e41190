import type { Command } from '../command.ts';
import {
  auditExportCommand,
  auditVerifyCommand,
  disconnectCommand,
  jobsCancelCommand,
  jobsListCommand,
  jobsResumeCommand,
  jobsRetryFailedCommand,
  jobsRunDueCommand,
  jobsShowCommand,
} from './jobs.ts';
import { migrationCommand } from './migration.ts';
import {
  rosterExportCommand,
  rosterRebuildCommand,
  rosterStatsCommand,
  rosterSyncCommand,
} from './roster.ts';
import { sandboxStartCommand } from './sandbox-start.ts';

/** The command registry: a new command is one file in this folder and one line here. */
export const commands: readonly Command[] = [
  migrationCommand,
  rosterSyncCommand,
  rosterStatsCommand,
  rosterExportCommand,
  rosterRebuildCommand,
  sandboxStartCommand,
  disconnectCommand,
  jobsListCommand,
  jobsShowCommand,
  jobsResumeCommand,
  jobsCancelCommand,
  jobsRetryFailedCommand,
  jobsRunDueCommand,
  auditVerifyCommand,
  auditExportCommand,
];
