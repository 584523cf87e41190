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
import { doctorCommand } from './doctor.ts';
import { mailRenderCommand } from './mail.ts';
import { mailDraftsCommand, mailSendCommand } from './mail-send.ts';
import { migrationCommand } from './migration.ts';
import { mailRemindersListCommand, mailRemindersRunDueCommand } from './reminders.ts';
import {
  rosterExportCommand,
  rosterRebuildCommand,
  rosterStatsCommand,
  rosterSyncCommand,
} from './roster.ts';
import { sandboxStartCommand } from './sandbox-start.ts';
import { verifyCommand } from './verify.ts';

/** The command registry: a new command is one file in this folder and one line here. */
export const commands: readonly Command[] = [
  migrationCommand,
  rosterSyncCommand,
  rosterStatsCommand,
  rosterExportCommand,
  rosterRebuildCommand,
  mailRenderCommand,
  mailSendCommand,
  mailDraftsCommand,
  mailRemindersListCommand,
  mailRemindersRunDueCommand,
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
  verifyCommand,
  doctorCommand,
];
