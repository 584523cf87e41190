import type { Command } from '../command.ts';
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
];
